"""Staff-facing outputs: spreadsheet formulas, Markdown cells, a quiet build, a lock file with hashes."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from pathlib import Path

import pytest

from generator.cells import markdown_cell, spreadsheet_cell
from tests.helpers import ROOT, ipreg
from tests.sitekit import SITE_URL, _record, build, fixtures, make_uscc, scratch_repo


def test_spreadsheet_cells_never_start_a_formula() -> None:
    for text in ("=cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"):
        assert spreadsheet_cell(text).startswith("'"), text
    assert spreadsheet_cell("西平县") == "西平县" and spreadsheet_cell(None) == ""


@pytest.mark.slow
def test_status_csv_guards_formulas(tmp_path: Path) -> None:
    name = "=HYPERLINK(\"http://x.invalid\",\"点击\")有限公司"
    formula = _record(make_uscc("MA0FM001"), name)
    repo = scratch_repo(tmp_path / "repo", {"formula": formula})
    result = ipreg(repo, "status", "--format", "csv", "--today", "2026-11-25", timeout=120)
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows and rows[0]["企业名称"] == "'" + name


def test_markdown_cells_stay_in_their_cell_and_line() -> None:
    cell = markdown_cell("a\r\nb\u2028c\\|d <b>")
    assert "\n" not in cell and "\r" not in cell and "\u2028" not in cell
    assert cell == "a b c\\\\\\|d &lt;b&gt;"
    row = "| " + markdown_cell("x\\") + " | y |"
    assert len(re.findall(r"(?<!\\)(?:\\\\)*\|", row)) == 3  # the trailing backslash does not swallow the cell's end


@pytest.mark.slow
def test_diff_markdown_escapes_names(tmp_path: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    odd = _record(make_uscc("MA0MD001"), "西平县测试示例\\|伪造列 有限公司\\")
    repo = scratch_repo(tmp_path / "repo", {"machine": fixtures()["machine"]})
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "records", "policy.yml"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=repo, check=True)
    (repo / "records" / f"{odd.uscc}.yaml").write_text(odd.text, encoding="utf-8")
    result = ipreg(repo, "diff", "HEAD", "--format", "markdown", "--today", "2026-11-25", timeout=120)
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if odd.uscc in line and line.startswith("|"))
    assert len(re.findall(r"(?<!\\)(?:\\\\)*\|", row)) == 8  # seven cells, whatever the name holds


@pytest.mark.slow
def test_build_is_quiet_and_keeps_jiebas_cache_in_ipregs_folder(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo", {"machine": fixtures()["machine"]})
    home = tmp_path / "home"
    env = {"HOME": str(home), "TMPDIR": str(tmp_path / "tmp"), "IPREG_SITE_URL": "https://ipreg.example.gov.cn/"}
    (tmp_path / "tmp").mkdir()
    result = ipreg(repo, "build", "--today", "2026-11-25", env=env, unset=("IPREG_CACHE_DIR", "XDG_CACHE_HOME"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "jieba" not in result.stdout.lower() and "prefix dict" not in result.stdout.lower()
    assert list((tmp_path / "tmp").iterdir()) == []  # nothing in the shared temporary folder
    assert (home / ".cache" / "ipreg" / "jieba" / "jieba.cache").is_file()
    assert build(repo).returncode == 0


def test_lock_file_pins_every_package_with_hashes() -> None:
    """Two locks, every package pinned with its hashes: what running needs, and what only the tests need."""
    pins = {}
    for name in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / name).read_text(encoding="utf-8")
        requirements = [line for line in text.splitlines() if line[:1].isalnum()]
        entries = re.findall(r"^([A-Za-z0-9][^\s=]*==[^\s\\]+)((?: \\\n +--hash=sha256:[0-9a-f]{64})+)$", text, re.MULTILINE)
        assert len(requirements) >= 30 and len(entries) == len(requirements), name  # every requirement pinned, with its hashes
        pins[name] = {pin.split("==")[0].lower() for pin, _ in entries}
    assert not pins["requirements.lock"] & pins["requirements-dev.lock"]  # each package in one lock only
    assert (
        "mkdocs" in pins["requirements.lock"]
        and "playwright" in pins["requirements-dev.lock"]
        and "pytest" not in pins["requirements.lock"]
    )
    runtime = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert re.search(r"^mkdocs==1\.", runtime, re.MULTILINE) and re.search(r"^mkdocs-material==9\.", runtime, re.MULTILINE)  # mkdocs<2
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.lock" in makefile and "-r requirements.lock -r requirements-dev.lock" in makefile


@pytest.mark.slow
def test_build_without_site_url_warns_in_chinese(tmp_path: Path) -> None:
    """The placeholder address is never used silently: the build says so, and the pages still link relatively; no
    enterprise page carries a QR code of a placeholder address (issue 41 item 8), and the build says it left them out."""
    machine = fixtures()["machine"]
    repo = scratch_repo(tmp_path / "repo", {"machine": machine})
    result = ipreg(repo, "build", "--today", "2026-11-25", unset=("IPREG_SITE_URL",))
    assert result.returncode == 0 and "未设置站点地址" in result.stderr and "企业页不放“本页二维码”" in result.stderr
    home = (repo / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="list/"' in home
    page = (repo / "site" / "enterprises" / machine.uscc / "index.html").read_text(encoding="utf-8")
    assert "本页二维码" not in page and "qr.svg" not in page and "ipreg:qr" not in page
    assert not list((repo / "site").rglob("qr.svg*"))
    addressed = ipreg(repo, "build", "--today", "2026-11-25", "--site-dir", "addressed", env={"IPREG_SITE_URL": SITE_URL})
    assert addressed.returncode == 0 and "未设置站点地址" not in addressed.stderr
    assert "本页二维码" in (repo / "addressed" / "enterprises" / machine.uscc / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_build_lists_its_warnings(tmp_path: Path) -> None:
    """ "警告 3 个" alone sends the clerk to ipreg check: the build prints each warning line as ipreg check does."""
    from tests.helpers import scratch_checkout

    repo = scratch_checkout(tmp_path / "repo")  # the samples: four warnings
    result = ipreg(repo, "build", "--today", "2026-11-25")
    check = ipreg(repo, "check", "--no-cache", "--today", "2026-11-25")
    warnings = [line for line in check.stdout.splitlines() if ": warning [" in line]
    assert result.returncode == 0 and warnings and all(line in result.stdout for line in warnings), (result.stdout, warnings)
    assert f"警告 {len(warnings)} 个，见上" in result.stdout
