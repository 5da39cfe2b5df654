"""The Windows starters (启动表单编辑器.bat, 检查记录.bat, 生成公文.bat): the .bat files only find Python and call
tools/windows/start.py, whose logic runs here on Linux."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers import ROOT, scratch_checkout

STARTERS = {"启动表单编辑器.bat": "editor", "检查记录.bat": "check", "生成公文.bat": "docs"}


def _start() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ipreg_windows_start", ROOT / "tools" / "windows" / "start.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


start = _start()


def test_each_starter_has_crlf_line_ends_and_calls_the_python_script() -> None:
    for name, task in STARTERS.items():
        data = (ROOT / name).read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf"), name  # a BOM breaks "@echo off"
        assert data.count(b"\n") == data.count(b"\r\n") > 5, name
        text = data.decode("utf-8")
        assert text.startswith("@echo off\r\n") and "chcp 65001" in text, name
        assert 'cd /d "%~dp0"' in text, name  # works from any folder, with spaces and Chinese characters
        assert f'"%~dp0tools\\windows\\start.py" {task}\r\n' in text, name
        assert "py -3" in text and "pause" in text and "python.org" in text, name
    attributes = (ROOT / ".gitattributes").read_text(encoding="utf-8")
    assert "*.bat text eol=crlf" in attributes


def test_install_checks_hashes_and_uses_the_wheelhouse_when_present(tmp_path: Path) -> None:
    python = tmp_path / ".venv" / "bin" / "python"
    online = start.install_commands(tmp_path, python)
    assert "--require-hashes" in online[0] and "--no-index" not in online[0] and online[1][-2:] == ["-e", str(tmp_path)]
    (tmp_path / "wheelhouse").mkdir()
    offline = start.install_commands(tmp_path, python)
    assert offline[0][offline[0].index("--find-links") + 1] == str(tmp_path / "wheelhouse") and "--no-index" in offline[1]


def _fake_root(tmp_path: Path) -> Path:
    root = tmp_path / "西平 登记簿"
    root.mkdir()
    for name in ("requirements.lock", "pyproject.toml"):
        (root / name).write_text(name, encoding="utf-8")
    return root


def test_first_use_creates_the_environment_with_progress_then_never_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _fake_root(tmp_path)
    ran: list[list[str]] = []

    def run(command: Sequence[str]) -> int:
        ran.append(list(command))
        if "venv" in command:
            start.venv_python(root).parent.mkdir(parents=True)
            start.venv_python(root).touch()
        return 0

    assert start.ensure_environment(root, run, "py") == start.venv_python(root)
    assert [c[1:3] for c in ran] == [["-m", "venv"], ["-m", "pip"], ["-m", "pip"]]
    out = capsys.readouterr().out
    assert "第一次使用" in out and "第 2 步，共 3 步" in out and "运行环境已就绪" in out
    ran.clear()
    start.ensure_environment(root, run, "py")
    assert ran == []
    (root / "requirements.lock").write_text("changed", encoding="utf-8")  # a new lock: install again, no new venv
    start.ensure_environment(root, run, "py")
    assert len(ran) == 2 and len(list((root / ".venv").glob(".starter-*"))) == 1


def test_a_failed_install_is_one_chinese_sentence_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _fake_root(tmp_path)
    start.venv_python(root).parent.mkdir(parents=True)
    start.venv_python(root).touch()
    assert start.main(["check"], run=lambda c: 1, root=root) == 1
    out = capsys.readouterr().out
    assert "安装软件包失败" in out and "wheelhouse" in out and "Traceback" not in out
    assert start.main(["nonsense"], root=root) == 2


def _answers(*values: str) -> start.Ask:  # type: ignore[name-defined]
    queue = list(values)
    return lambda prompt: queue.pop(0)


def test_the_documents_menu_asks_only_what_each_kind_needs() -> None:
    today = date(2027, 3, 1)
    assert start.docs_arguments(_answers("1", "西市监[2027]30号"), today) == ["docs", "--kind", "notice", "--document", "西市监[2027]30号"]
    assert start.docs_arguments(_answers("9", "2", "西市监〔2027〕30号"), today)[:3] == ["docs", "--kind", "certificates"]
    letters = start.docs_arguments(_answers("3", "西市监函〔2027〕12号"), today)
    assert letters is not None and letters[-2:] == ["--within", "90"]
    assert start.docs_arguments(_answers("4"), today) == ["docs", "--kind", "review-sheet"]
    assert start.docs_arguments(_answers("5", ""), today) == ["report", "--year", "2027", "-o", "documents/年度统计-2027.xlsx"]
    assert start.docs_arguments(_answers("0"), today) is None
    with pytest.raises(start.StartError, match="没有输入文号"):
        start.docs_arguments(_answers("1", " "), today)


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="the fake environment is a shell script")
def test_check_runs_from_a_folder_with_spaces_and_chinese_characters(tmp_path: Path) -> None:
    """The real start.py, copied into 'D:\\科 室\\ipreg'-like folder with an installed environment: checks the samples."""
    root = scratch_checkout(tmp_path / "科 室" / "ipreg 登记簿")
    script = root / "tools" / "windows" / "start.py"
    script.parent.mkdir(parents=True)
    script.write_bytes((ROOT / "tools" / "windows" / "start.py").read_bytes())
    for name in ("requirements.lock", "pyproject.toml"):
        (root / name).write_bytes((ROOT / name).read_bytes())
    python = root / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    start.stamp(root).touch()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "IPREG_TODAY": "2026-06-01"}
    result = subprocess.run([sys.executable, str(script), "check"], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert "正在检查全部记录" in result.stdout and "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert ("检查通过" in result.stdout) == (result.returncode == 0), result.stdout


def test_each_starter_runs_its_command_in_the_environment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _fake_root(tmp_path)
    start.venv_python(root).parent.mkdir(parents=True)
    start.venv_python(root).touch()
    start.stamp(root).touch()
    ran: list[list[str]] = []

    def run(command: Sequence[str]) -> int:
        ran.append(list(command))
        return 0

    python = str(start.venv_python(root))
    assert start.main(["editor"], run=run, root=root) == 0 and ran[-1] == [python, "-m", "generator", "admin"]
    assert start.main(["check"], run=run, root=root) == 0 and ran[-1] == [python, "-m", "generator", "check"]
    assert start.main(["docs"], run=run, ask=_answers("4"), root=root) == 0 and ran[-1][-3:] == ["docs", "--kind", "review-sheet"]
    assert (root / "documents").is_dir()
    out = capsys.readouterr().out
    assert "127.0.0.1:8081/admin/" in out and "检查通过" in out and "documents 文件夹" in out
