"""Starters a clerk double-clicks on Windows (启动表单编辑器.bat, 检查记录.bat, 生成公文.bat in the repository root).

The .bat files only find Python and run ``py -3 tools\\windows\\start.py editor|check|docs``; everything else is here,
so it can be tested on Linux (tests/test_windows_start.py): create ``.venv`` on first use, install the locked
packages with hashes (offline from ``wheelhouse/`` when it is there), then start the form editor, the check, or
a small Chinese menu for the documents. Every message is Chinese; no traceback reaches the window.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MIN_PYTHON = (3, 11)


class StartError(Exception):
    """Something the clerk can act on: the message is Chinese and says what to do."""


def venv_python(root: Path) -> Path:
    """The environment's interpreter: Scripts\\python.exe on Windows, bin/python elsewhere."""
    if os.name == "nt":
        return root / ".venv" / "Scripts" / "python.exe"
    return root / ".venv" / "bin" / "python"


def stamp(root: Path) -> Path:
    """A file whose name changes when requirements.lock or pyproject.toml changes: then the packages are installed again."""
    digest = hashlib.sha256()
    for name in ("requirements.lock", "pyproject.toml"):
        digest.update((root / name).read_bytes())
    return root / ".venv" / f".starter-{digest.hexdigest()[:16]}"


def install_commands(root: Path, python: Path) -> list[list[str]]:
    """The pip commands, in order: hashes checked; no network when ``wheelhouse/`` exists (make wheelhouse)."""
    source: list[str] = []
    wheelhouse = root / "wheelhouse"
    if wheelhouse.is_dir():
        source = ["--no-index", "--find-links", str(wheelhouse)]
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", *source]
    return [
        [*pip, "--require-hashes", "-r", str(root / "requirements.lock")],
        [*pip, "--no-deps", "--no-build-isolation", "-e", str(root)],
    ]


Runner = Callable[[Sequence[str]], int]


def _run(command: Sequence[str]) -> int:
    return subprocess.call(list(command), cwd=ROOT)


def say(text: str) -> None:
    print(text, flush=True)


def ensure_environment(root: Path, run: Runner = _run, base_python: str = sys.executable) -> Path:
    """Create .venv and install the packages unless this lock is already installed; returns the environment's python."""
    if sys.version_info < MIN_PYTHON:
        raise StartError(
            f"需要 Python 3.11 或更高版本，这台电脑上是 {sys.version.split()[0]}。"
            "请从 https://www.python.org/downloads/windows/ 安装新版本后再双击。"
        )
    python = venv_python(root)
    done = stamp(root)
    if python.exists() and done.exists():
        return python
    steps = 1 + len(install_commands(root, python))
    if not python.exists():
        say(f"第一次使用：正在建立运行环境（第 1 步，共 {steps} 步，约半分钟）……")
        if run([base_python, "-m", "venv", str(root / ".venv")]) != 0 or not python.exists():
            raise StartError("建立运行环境（.venv 文件夹）失败。请删除仓库中的 .venv 文件夹后再双击一次；仍不行请联系信息科。")
    offline = (root / "wheelhouse").is_dir()
    where = "从 wheelhouse 文件夹（不联网）" if offline else "从网上下载，约需几分钟"
    for number, command in enumerate(install_commands(root, python), start=2):
        what = "安装所需的软件包（" + where + "，逐个核对校验值）" if number == 2 else "安装本程序"
        say(f"第 {number} 步，共 {steps} 步：{what}……")
        if run(command) != 0:
            raise StartError(
                "安装软件包失败（见上面的提示）。请检查网络后再双击一次；单位内网不能上网时，"
                "请信息科按 README.md“内网安装”准备 wheelhouse 文件夹。"
            )
    for old in done.parent.glob(".starter-*"):
        old.unlink()
    done.touch()
    say("运行环境已就绪。")
    return python


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    kind: str  # notice / certificates / review-letters / review-sheet / report


CHOICES = (
    Choice("1", "备案或复核结果的通知（需要文号）", "notice"),
    Choice("2", "证书（需要决定的文号）", "certificates"),
    Choice("3", "复核通知函（90 天内到期的企业，需要第一封的文号）", "review-letters"),
    Choice("4", "申报企业的审核表", "review-sheet"),
    Choice("5", "年度统计表（Excel）", "report"),
)

Ask = Callable[[str], str]


def docs_arguments(ask: Ask, today: date) -> list[str] | None:
    """Ask in Chinese what to produce; the ipreg arguments, or None when the clerk leaves the menu."""
    say("要生成什么？")
    for choice in CHOICES:
        say(f"  {choice.key}. {choice.label}")
    say("  0. 退出")
    while True:
        answer = ask("请输入序号后按回车：").strip()
        if answer in ("0", "", "q"):
            return None
        picked = next((c for c in CHOICES if c.key == answer), None)
        if picked:
            break
        say(f"没有“{answer}”这一项，请输入 0 到 {len(CHOICES)} 的数字。")
    if picked.kind == "report":
        year = ask(f"哪一年的统计？直接回车为 {today.year} 年：").strip() or str(today.year)
        if not (year.isdigit() and len(year) == 4):
            raise StartError(f"年份应写 4 位数字，例如 {today.year}；实为“{year}”。")
        return ["report", "--year", year, "-o", f"documents/年度统计-{year}.xlsx"]
    arguments = ["docs", "--kind", picked.kind]
    if picked.kind != "review-sheet":
        prompt = "第一封函的文号" if picked.kind == "review-letters" else "决定的文号"
        document = ask(f"{prompt}（例如 西市监[{today.year}]40号，方括号可以代替〔〕）：").strip()
        if not document:
            raise StartError("没有输入文号：什么也没有生成。")
        arguments += ["--document", document]
    if picked.kind == "review-letters":
        arguments += ["--within", "90"]
    return arguments


def ipreg(python: Path, arguments: Sequence[str]) -> list[str]:
    return [str(python), "-m", "generator", *arguments]


def open_in_explorer(path: Path) -> None:
    if os.name == "nt" and path.exists():
        os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606 - Windows only: open the folder for the clerk


def main(argv: Sequence[str] | None = None, run: Runner = _run, ask: Ask = input, root: Path = ROOT) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    task = argv[0] if argv else ""
    if task not in ("editor", "check", "docs"):
        say("用法：start.py editor|check|docs（请双击仓库中的 启动表单编辑器.bat、检查记录.bat 或 生成公文.bat）")
        return 2
    try:
        python = ensure_environment(root, run)
        if task == "editor":
            say("正在启动表单编辑器：浏览器会自动打开 http://127.0.0.1:8081/admin/ 。用完后关闭这个窗口即可。")
            return run(ipreg(python, ["admin"]))
        if task == "check":
            say("正在检查全部记录……")
            code = run(ipreg(python, ["check"]))
            say("检查通过：没有错误。" if code == 0 else "检查发现了问题：请按上面每一行的说明改正（操作手册“检查结果看不懂怎么办”）。")
            return code
        arguments = docs_arguments(ask, date.today())
        if arguments is None:
            return 0
        say("正在生成……")
        (root / "documents").mkdir(exist_ok=True)
        code = run(ipreg(python, arguments))
        if code == 0:
            say("已生成，文件在 documents 文件夹中。")
            open_in_explorer(root / "documents")
        return code
    except StartError as error:
        say(str(error))
        return 1
    except (KeyboardInterrupt, EOFError):
        say("已取消。")
        return 1
    except OSError as error:
        say(f"出错了：{error.strerror or error}（{error.filename or ''}）。请把这个窗口截图发给信息科。")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
