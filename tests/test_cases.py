"""Tests as data: every file under tests/cases/ is a case, collected automatically.

valid/*.yaml must produce no error and no warning; invalid/<rule>/* must produce the findings
named by its ``# expect: rule@line`` lines, and no error or warning of any other rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator.rules import CATALOGUE
from generator.rules.eligibility import ELIGIBILITY, RULES
from tests.helpers import CASES, check_case, expectations

VALID = sorted((CASES / "valid").glob("*.yaml"))
INVALID = sorted(p for p in (CASES / "invalid").glob("*/*") if p.suffix == ".yaml" or p.is_dir())


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_valid_case_has_no_problem(path: Path) -> None:
    registry = check_case(path)
    assert [f for f in registry.findings if f.severity != "info"] == []
    assert all(e.record is not None for e in registry.entries)


@pytest.mark.parametrize("path", INVALID, ids=_id)
def test_invalid_case_fires_its_rule(path: Path) -> None:
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    expected = [e for f in files for e in expectations(f)]
    assert expected, f"{path} has no '# expect:' line"
    assert any(e.rule == path.parent.name for e in expected), "a case must expect the rule of its folder"
    registry = check_case(path)
    got = [(f.rule, f.line, f.message) for f in registry.findings]
    for e in expected:
        assert any(rule == e.rule and (e.line is None or line == e.line) and (e.text is None or e.text in message)
                   for rule, line, message in got), (e, got)
    allowed = {e.rule for e in expected}
    surprises = [f for f in registry.findings if f.severity != "info" and f.rule not in allowed]
    assert surprises == []
    for f in registry.findings:
        assert f.message and f.file.startswith("records/") and f.line >= 1 and f.column >= 1


def test_every_invalid_case_pins_its_message() -> None:
    """A changed or mutated message must fail a case, not only a changed rule id or line."""
    unpinned = [f"{p.parent.name}/{p.name}" for p in INVALID for f in ([p] if p.is_file() else sorted(p.glob("*.yaml")))
                for e in expectations(f) if e.text is None]
    assert unpinned == []


def test_every_rule_has_a_failing_case() -> None:
    have = {p.name for p in (CASES / "invalid").iterdir() if p.is_dir() and any(p.iterdir())}
    assert set(CATALOGUE) - have == {"internal.error"}  # no record may cause it: tests/test_hostile.py provokes it


def test_every_eligibility_rule_passes_in_some_valid_case() -> None:
    passed = set()
    for path in VALID:
        for entry in check_case(path).entries:
            passed |= {o.rule for o in entry.outcomes if o.ok is True}
    # art4.preference passes (no honors) and art6.reserve passes (reserve with a recommendation)
    assert {r for r in CATALOGUE if r.startswith("art")} - passed == set()


def test_eligibility_rules_are_catalogued_with_their_functions() -> None:
    assert {r.id for r in ELIGIBILITY} <= set(CATALOGUE) and all(CATALOGUE[r.id] is r for r in ELIGIBILITY)
    assert all(r.check.__doc__ for r in ELIGIBILITY)
    assert sorted(r.id for r in RULES) == sorted(CATALOGUE)  # with this module imported, the catalogue is complete


def test_evaluation_order_is_derived_as_it_was_listed() -> None:
    """The order of evaluation (the order of ``ipreg explain``) follows the declarations: the art modules in the order
    of the measures, each in declaration order; it is the order the hand-written list had before (issue 36)."""
    assert [r.id for r in ELIGIBILITY] == [
        "art4.henan", "art4.jurisdiction", "art4.legal-person", "art4.operating-years", "art4.compliance", "art4.owns-ip",
        "art4.infringement", "art4.abnormal-patent", "art4.dishonesty", "art4.preference",
        "art5.system", "art5.agencies", "art5.standard", "art5.policies", "art5.creation", "art5.leading", "art5.trademark",
        "art5.protection", "art5.revenue", "art5.patent-revenue-share", "art5.training-management", "art5.training-employees",
        "art6.reserve",
        "art8.ban", "art8.revocation-basis", "art8.term-mismatch", "art8.early-review", "art8.lapsed", "art8.violation-review",
        # what the bureau does for listed enterprises (design section 10), judged for every record like Art. 8
        "cultivation.future", "cultivation.order", "art3.violation-referred", "art11.not-listed", "art13.not-entitled",
        "art8.certificate-recovery",
    ]  # fmt: skip
    lifecycle = ("art8.", "art3.", "art11.", "art13.", "cultivation.")
    assert [r.id for r in ELIGIBILITY if r.lifecycle] == [r.id for r in ELIGIBILITY if r.id.startswith(lifecycle)]


def _declarations(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in ("Rule", "EligibilityRule")]


def test_rules_are_declared_once() -> None:
    """One rule, one place: each rule id is declared by exactly one ``Rule`` (the catalogue's) or ``EligibilityRule``
    (an art module's, next to its function); no rule id and no article is written as text outside a declaration (code
    names the constant); the Chinese labels module is the only other place with 条/项 text."""
    import re

    root = Path(__file__).resolve().parent.parent / "generator"
    literal = re.compile(r"[\"'](" + "|".join(re.escape(r) for r in CATALOGUE) + r")[\"']")
    article = re.compile(r"第[一二三四五六七八九十]+条第[一二三四五六七八九十]+项")
    found, declared = [], []
    for path in sorted(root.rglob("*.py")):
        if path.relative_to(root).as_posix() == "template.py":
            continue  # the record template's comments cite articles as text
        text = path.read_text(encoding="utf-8")
        calls = _declarations(ast.parse(text))
        declared += [c.args[0].value for c in calls if c.args and isinstance(c.args[0], ast.Constant)]
        if path.relative_to(root).as_posix() == "rules/__init__.py":
            continue  # the catalogue module: its anchors and the provisions no rule checks
        inside = {n for c in calls for n in range(c.lineno, (c.end_lineno or c.lineno) + 1)}
        for number, line in enumerate(text.splitlines(), 1):
            if number not in inside and (literal.search(line) or article.search(line)):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert found == []
    assert sorted(declared) == sorted(CATALOGUE)
