"""Identifier checks: real numbers from domain.md pass; one changed character fails."""

from __future__ import annotations

import pytest

from generator import ids

REAL_USCC = [
    "91411721MAK6AACC5E",  # a real Xiping company (domain.md)
    "91410000MA403TWC10",
    "914101006831917309",
    "91110000600037341L",
    "9144030071526726XG",
    "91310115MA1K3BTP2B",
    "91620105MA73NBBLXE",
    "91411721MA00000154",  # synthetic, domain.md
    "91411721MA9XP0Q72X",
    "93411721MA0000023Q",
]


@pytest.mark.parametrize("code", REAL_USCC)
def test_real_uscc_pass(code: str) -> None:
    assert ids.uscc_problem(code) is None


@pytest.mark.parametrize("code", REAL_USCC)
def test_uscc_one_changed_character_fails(code: str) -> None:
    for pos in (9, 16, 17):  # body, organisation-code check, final check
        alphabet = ids.USCC_ALPHABET
        changed = code[:pos] + alphabet[(alphabet.index(code[pos]) + 1) % len(alphabet)] + code[pos + 1:]
        assert ids.uscc_problem(changed) is not None, changed


def test_stdnum_alone_misses_position_17() -> None:
    """91411721MAK6AACC4B has a recomputed final character but a wrong 17th (domain.md)."""
    from stdnum.cn import uscc

    assert uscc.is_valid("91411721MAK6AACC4B")
    problem = ids.uscc_problem("91411721MAK6AACC4B")
    assert problem is not None and "第 17 位" in problem


@pytest.mark.parametrize(
    "code,expected", [("91410000MA9ABCDEF0", "第 17 位"), ("91350100M000100Y4Z", "18 位"), ("91350100M000100Y44", "第 18 位")]
)
def test_known_bad_uscc(code: str, expected: str) -> None:
    problem = ids.uscc_problem(code)
    assert problem is not None and expected in problem


def test_uscc_shape_and_division() -> None:
    assert ids.uscc_problem("91411721MA0000015") is not None  # 17 characters
    assert ids.uscc_problem("91411721MA0000O154") is not None  # letter O is not in the alphabet
    assert ids.division_code("91411721MAK6AACC5E") == "411721"


def test_org_check_uses_ascii_letter_values() -> None:
    assert ids.org_code_check("MAK6AACC") == "5"
    assert ids.org_code_check("MA403TWC") == "1"


REAL_PATENTS = [
    ("ZL202010566088.9", "invention"),
    ("ZL201510958772.0", "invention"),
    ("ZL201811564288.X", "invention"),
    ("ZL202322865413.3", "utility_model"),
    ("201510703489.3", None),
    ("201710601862.3", None),
    ("ZL95115608.X", "invention"),
    ("CN202010566088.9", "invention"),
]


@pytest.mark.parametrize("number,kind", REAL_PATENTS)
def test_real_patent_numbers_pass(number: str, kind: str | None) -> None:
    assert ids.patent_problem(number, kind) is None


@pytest.mark.parametrize("number,kind", REAL_PATENTS)
def test_patent_one_changed_digit_fails(number: str, kind: str | None) -> None:
    digits_at = [i for i, c in enumerate(number) if c.isdigit()]
    for pos in (digits_at[-2], digits_at[-1] if number[-1].isdigit() else digits_at[-2]):
        changed = number[:pos] + str((int(number[pos]) + 1) % 10) + number[pos + 1 :]
        assert ids.patent_problem(changed, None) is not None, changed


@pytest.mark.parametrize(
    "number,kind,ok",
    [
        ("ZL202010566088.9", "utility_model", False),
        ("ZL202010566088.9", "design", False),
        ("ZL202322865413.3", "invention", False),
        ("ZL202322865413.3", "utility_model", True),
    ],
)
def test_patent_type_digit_agrees(number: str, kind: str, ok: bool) -> None:
    assert (ids.patent_problem(number, kind) is None) is ok


def test_patent_parts() -> None:
    assert ids.patent_parts("ZL202010566088.9") == (2020, "1")
    assert ids.patent_parts("ZL95115608.X") == (1995, "1")
    assert ids.patent_parts("03112345.1") == (2003, "1")
    assert ids.patent_parts("2020105660889") is None


@pytest.mark.parametrize(
    "number,ok",
    [
        ("12345678", True),
        ("1", True),
        ("G1234567", True),
        ("123456789", True),
        ("第12345678号", False),
        ("012345", False),
        ("1234567890", False),
        ("G12", False),
        ("TM123", False),
        ("", False),
    ],
)
def test_trademark_numbers(number: str, ok: bool) -> None:
    assert (ids.trademark_problem(number) is None) is ok
