"""Boundaries of the record-level rules: equal figures and dates are consistent; masking of personal data."""

from __future__ import annotations

import pytest

from generator.loader import load_text
from generator.policy import default_policy
from generator.registry import build_registry
from generator.rules.personal import _masked
from tests.helpers import CASES, DEFAULT_TODAY

BASE = (CASES / "valid" / "advantage.yaml").read_text(encoding="utf-8")
FILE = "records/91411721MA00000154.yaml"


def consistency(*replacements: tuple[str, str]) -> list[str]:
    text = BASE
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    registry = build_registry([load_text(text, FILE)], default_policy(), DEFAULT_TODAY)
    return [f.message for f in registry.findings if f.rule == "data.consistency"]


@pytest.mark.parametrize(
    "equal,above",
    [
        (("patent_revenue: 1500000", "patent_revenue: 5000000"), ("patent_revenue: 1500000", "patent_revenue: 5000001")),
        (("management_rd_trained: 18", "management_rd_trained: 20"), ("management_rd_trained: 18", "management_rd_trained: 21")),
        (("employees_trained: 70", "employees_trained: 100"), ("employees_trained: 70", "employees_trained: 101")),
        (("employees_total: 100", "employees_total: 20"), ("employees_total: 100", "employees_total: 19")),
        (
            ("    granted: 2024-01-09\n", "    granted: 2024-01-09\n    ended: 2024-01-09\n"),
            ("    granted: 2024-01-09\n", "    granted: 2024-01-09\n    ended: 2024-01-08\n"),
        ),
        (("expires: 2029-05-13", "expires: 2019-05-14"), ("expires: 2029-05-13", "expires: 2019-05-13")),
        (("established: 2015-03-01", "established: 2025-06-10"), ("established: 2015-03-01", "established: 2025-06-11")),
    ],
)
def test_equal_is_consistent_one_step_further_is_not(equal: tuple[str, str], above: tuple[str, str]) -> None:
    extra = [("employees_trained: 70", "employees_trained: 19")] if equal[0] == "employees_total: 100" else []
    assert consistency(equal, *extra) == []
    assert len(consistency(above, *extra)) == 1


@pytest.mark.parametrize(
    "block,field",
    [
        ("honors:\n  - type: high_tech\n    awarded: 2023-11-20\n    expires: {}\nconduct:\n", "conduct:\n"),
        ("  dishonesty:\n    - list: 严重违法失信名单\n      listed: 2019-01-01\n      removed: {}\n", "  dishonesty: []\n"),
        ("  abnormal_patent_applications:\n    - notified: 2019-01-01\n      rectified: {}\n", "  abnormal_patent_applications: []\n"),
    ],
)
def test_end_dates_equal_to_their_start_are_consistent(block: str, field: str) -> None:
    start = "2023-11-20" if "honors" in block else "2019-01-01"
    earlier = "2023-11-19" if "honors" in block else "2018-12-31"
    assert consistency((field, block.format(start))) == []
    assert len(consistency((field, block.format(earlier)))) == 1


def test_printed_valid_until_on_the_decision_day_is_consistent() -> None:
    event = "    document: 西市监〔2025〕31号\n"
    assert [m for m in consistency((event, event + "    valid_until: 2025-06-10\n")) if "有效期至" in m] == []
    assert len([m for m in consistency((event, event + "    valid_until: 2025-06-09\n")) if "有效期至" in m]) == 1


@pytest.mark.parametrize(
    "text,masked",
    [("a", "a"), ("abcd", "a***"), ("abcde", "a***e"), ("13812345678", "13*******78"), ("11010519491231002X", "1101**********002X")],
)
def test_masking_keeps_a_quarter_at_each_end(text: str, masked: str) -> None:
    assert _masked(text) == masked


def test_a_mistyped_code_is_reported_as_such_and_never_as_the_file_name_to_use() -> None:
    """The code in the file fails its check character: the finding says so, and no finding advises renaming the file to
    the mistyped code (the file name is the right one)."""
    text = (CASES / "valid" / "advantage.yaml").read_text(encoding="utf-8").replace('"91411721MA00000154"', '"91411721MA00000155"')
    registry = build_registry([load_text(text, "records/91411721MA00000154.yaml")], default_policy(), DEFAULT_TODAY)
    rules = [f.rule for f in registry.findings if f.severity == "error"]
    assert "uscc.checksum" in rules and "file.name" not in rules, rules
    assert not any("91411721MA00000155.yaml" in f.message for f in registry.findings)


def test_events_out_of_order_are_reported_as_such_first() -> None:
    """A filing typed before the application it follows: the one events.order finding says the dates are out of order,
    not the replay's consequences ("续期请用 review_passed")."""
    text = (
        (CASES / "valid" / "advantage.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "events:\n  - date: 2025-06-10\n    type: filed\n",
            "events:\n  - date: 2025-06-10\n    type: applied\n  - date: 2025-05-10\n    type: filed\n",
        )
    )
    registry = build_registry([load_text(text, "records/91411721MA00000154.yaml")], default_policy(), DEFAULT_TODAY)
    order = [f.message for f in registry.findings if f.rule == "events.order"]
    assert order and "早于上一个事件" in order[0] and not any("review_passed" in m for m in order), order
