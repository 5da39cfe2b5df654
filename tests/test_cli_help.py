"""``ipreg COMMAND --help`` fits the terminal it is shown in: every line within COLUMNS display columns (a Chinese
character takes two), no code (pledge_financing, high_value_patent ...) broken across lines, the option column lined
up whatever the metavar's script (``--document 文号``). Windows' cmd is 120 columns wide, a small terminal 80."""

from __future__ import annotations

import contextlib
import io
import re
from itertools import pairwise

import pytest

from generator.cli import COMMANDS, main
from generator.labels import PROGRAMME_ZH, SERVICE_KIND_ZH, SUPPORT_OUTCOME_ZH
from generator.words import chunks, columns, wrap

CODES = [*SERVICE_KIND_ZH, *PROGRAMME_ZH, *SUPPORT_OUTCOME_ZH, "filed", "review_passed", "review_failed", "review_absent", "revoked",
         "withdrawn"]  # the last six: ipreg decide --type


def _help(argv: list[str], width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))  # what argparse's HelpFormatter reads (shutil.get_terminal_size)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return out.getvalue()


def _too_wide(text: str, width: int) -> list[str]:
    """The lines wider than ``width`` columns, except one holding a single token that cannot break (none do today)."""
    return [line for line in text.splitlines() if columns(line) > width and len(chunks(line.strip())) > 1]


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)], ids=lambda c: c[0] if c else "ipreg")
def test_every_help_fits_the_terminal_in_display_columns(command: list[str], width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _help(command, width, monkeypatch)
    assert _too_wide(text, width) == [], text
    assert all(columns(line) <= width for line in text.splitlines()), text  # no token is that long: the allowance is unused
    headings = [line for line in text.splitlines() if line and not line[0].isspace() and line.endswith((":", "："))]
    assert "选项：" in headings and all(h.endswith("：") for h in headings), headings  # a Chinese heading's colon


@pytest.mark.parametrize("width", [80, 120])
def test_the_codes_of_service_priority_and_decide_are_never_broken(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "".join(_help([command], width, monkeypatch) for command in ("service", "priority", "decide"))
    words = set(re.findall(r"[a-z_]+", text))
    assert [code for code in CODES if code not in words] == [], text
    lines = [line.strip() for line in text.splitlines()]
    broken = [(a, b) for a, b in pairwise(lines) for code in CODES for i in range(1, len(code))  # a line ends in a piece
              if re.search(rf"(?<![a-z_]){code[:i]}$", a) and re.match(rf"{code[i:]}(?![a-z_])", b)]  # the next starts with the rest
    assert broken == []


@pytest.mark.parametrize("width", [80, 120])
def test_the_option_column_lines_up_with_a_chinese_metavar(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    for command in ("service", "priority", "decide"):
        text = _help([command], width, monkeypatch)
        starts = {columns(m.group(1)) for m in re.finditer(r"(?m)^(  -.*?\S  +)\S", text)}  # where each option's help begins
        assert len(starts) == 1, (command, starts, text)
        usage = text.split("\n\n")[0].splitlines()  # the usage's continuation lines start under its first option
        assert all(columns(line) - columns(line.lstrip()) == columns(usage[0].split("[")[0]) for line in usage[1:]), usage


def test_wrap_breaks_chinese_between_characters_and_keeps_codes_and_punctuation() -> None:
    assert wrap("服务类别：pledge_financing（质押融资）、training（人才培养培训）", 20) == [
        "服务类别：", "pledge_financing（质", "押融资）、training", "（人才培养培训）"]
    assert wrap("结果，英文代码或中文：recommended（已推荐）", 12) == ["结果，英文代", "码或中文：", "recommended", "（已推荐）"]
    assert wrap("一个 very_long_code_that_cannot_break 之后", 10) == ["一个", "very_long_code_that_cannot_break", "之后"]
    for line in wrap("可选：" + "、".join(f"{c}（{z}）" for c, z in PROGRAMME_ZH.items()), 30):
        assert columns(line) <= 30 and not line.startswith(("、", "）", "，")) and not line.endswith("（"), line
