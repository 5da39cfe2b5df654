"""Nothing crashes and nothing is skipped in silence: internal faults stay with their file, odd folder entries
are errors, diff copes with any file name, and one file cannot flood the output."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from generator import cli
from generator.inputs import discover
from generator.loader import load_bytes
from generator.policy import default_policy
from generator.registry import build_registry
from generator.schema import MAX_FINDINGS
from tests.helpers import CASES, DEFAULT_TODAY
from tests.sitekit import fixtures, ipreg, scratch_repo

VALID = (CASES / "valid" / "advantage.yaml").read_bytes()


def test_an_internal_fault_in_one_file_does_not_hide_the_others(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    import generator.registry as registry_module

    real = registry_module.status

    def broken(record, policy, today):  # type: ignore[no-untyped-def]
        if record.uscc == fixtures()["machine"].uscc:
            raise TypeError("both arguments should be Rational instances")
        return real(record, policy, today)

    monkeypatch.setattr(registry_module, "status", broken)
    repo = scratch_repo(tmp_path / "repo", {k: fixtures()[k] for k in ("machine", "private")})
    bad = repo / "records" / f"{fixtures()['private'].uscc}.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("legal_person: true", "legal_person: false"), encoding="utf-8")
    monkeypatch.chdir(repo)
    code = cli.main(["check", "--format", "github", "--no-cache", "--today", "2026-11-25"])
    out = capsys.readouterr()
    assert code == 1 and out.err == ""
    assert f"file=records/{fixtures()['machine'].uscc}.yaml,line=1,title=[internal.error]::" in out.out
    assert f"file=records/{bad.name}," in out.out and "[art4.legal-person]" in out.out  # the other file is still reported


def test_folder_entries_that_are_not_records_are_errors(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "91411721MA00000154.yaml").write_bytes(VALID)
    for name in ("X.YAML", "X.yml", "X.yaml.txt", ".hidden.yaml", "notes.md"):
        (folder / name).write_text("uscc: x\n", encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "91411721MA00000154.yaml").write_bytes(VALID)
    os.mkfifo(folder / "pipe.yaml")
    (folder / "link.yaml").symlink_to(folder / "91411721MA00000154.yaml")
    (folder / ".gitkeep").write_bytes(b"")
    (folder.parent / "odd").mkdir()
    (folder.parent / "odd" / os.fsdecode(b"\xff\n.yaml")).write_bytes(VALID)
    files, notes = discover([str(folder), str(folder.parent / "odd")])
    assert [display for _, display in files] == [f"{folder.as_posix()}/91411721MA00000154.yaml"]
    refused = sorted(n.file.rsplit("/", 1)[1] for n in notes)
    assert refused == sorted(
        [".hidden.yaml", "X.YAML", "X.yaml.txt", "X.yml", "link.yaml", "notes.md", "pipe.yaml", "sub", "\ufffd\\x0a.yaml"]
    )
    assert all(n.severity == "error" and n.rule == "file.name" and n.file.isprintable() for n in notes)


@pytest.mark.slow
def test_records_folder_that_is_a_symlink_or_fifo_is_refused_without_reading(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo", {"machine": fixtures()["machine"]})
    real = tmp_path / "elsewhere"
    (repo / "records").rename(real)
    (repo / "records").symlink_to(real)
    result = ipreg(repo, "check", "--today", "2026-11-25")
    assert result.returncode == 1 and "符号链接" in result.stdout and "检查了 0 个记录" in result.stdout
    (repo / "records").unlink()
    os.mkfifo(repo / "records")
    result = ipreg(repo, "check", "--today", "2026-11-25")  # a FIFO would block a reader forever
    assert result.returncode == 1 and "不是普通文件" in result.stdout


def test_one_file_cannot_flood_the_output() -> None:
    lines = VALID.decode() + "".join(f"unknown_{i}: 1\n" for i in range(5000))
    registry = build_registry([load_bytes(lines.encode(), "records/91411721MA00000154.yaml")], default_policy(), DEFAULT_TODAY)
    assert len(registry.findings) == MAX_FINDINGS + 1
    assert "另有 4950 个问题未逐条列出" in registry.findings[-1].message


@pytest.mark.slow
def test_diff_copes_with_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo", {"machine": fixtures()["machine"]})
    odd = repo / "records" / os.fsdecode(b"\xfe\xff.yaml")
    odd.write_bytes(VALID)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "records", "policy.yml"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=repo, check=True)
    odd.unlink()
    for fmt in ("text", "markdown", "json"):
        result = ipreg(repo, "diff", "HEAD", "--format", fmt, "--today", "2026-11-25")
        assert result.returncode in (0, 1) and result.stderr == "", result.stderr
        assert "\ufffd\ufffd.yaml" in result.stdout or fmt != "text"


def test_enterprise_heading_id_never_comes_from_the_name() -> None:
    from generator.site.templating import TEMPLATES

    template = (TEMPLATES / "enterprise.md.j2").read_text(encoding="utf-8")
    heading = next(line for line in template.splitlines() if line.startswith("# "))
    assert heading.endswith("{ #enterprise }")  # attr_list sets the id; toc would slugify the name ("__config" broke Material)
