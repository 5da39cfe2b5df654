"""Eligibility (Art. 4-6) and lifecycle (Art. 8) rules: their order and ``evaluate``.

Each rule is an ``EligibilityRule`` declared in ``art4``, ``art5`` (with Art. 6) or ``art8`` just below its function,
which takes a Context and yields Outcomes, passed or failed, with the figures behind them, so ``ipreg explain`` can
show every rule and ``ipreg check`` only the failures. Thresholds come from ``ctx.policy``; the evaluation date is
``ctx.on``. The order of evaluation is derived, not listed: the modules in the order of the measures, each module's
rules in the order they are declared.
"""

from __future__ import annotations

from dataclasses import replace

from generator.rules import CATALOGUE, Rule, art4, art5, art8, cultivation
from generator.rules.base import Context, EligibilityRule, Outcome

# Art. 4, Art. 5 and 6, Art. 8; then what the bureau does for listed enterprises (Art. 3, 11, 13; design section 10)
ARTICLES = (art4.__name__, art5.__name__, art8.__name__, cultivation.__name__)

# Another module may import art5 before art4 (registry.py does): CATALOGUE holds each module's rules in declaration
# order, and the sort (stable) puts the modules in the order of the measures.
ELIGIBILITY: tuple[EligibilityRule, ...] = tuple(
    sorted((r for r in CATALOGUE.values() if isinstance(r, EligibilityRule)), key=lambda r: ARTICLES.index(r.check.__module__))
)

# Every rule, in the order of docs/checks.md's table: those the core declares (format, registry), then ELIGIBILITY.
# Complete here, since this module has imported every module that declares rules.
RULES: tuple[Rule, ...] = (*(r for r in CATALOGUE.values() if not isinstance(r, EligibilityRule)), *ELIGIBILITY)


def evaluate(ctx: Context, lifecycle_only: bool = False) -> list[Outcome]:
    """Every eligibility outcome of one record (only the lifecycle rules with ``lifecycle_only``). A reserve enterprise
    is held to Art. 5 for reference only (第六条：参照): its failures of those rules are information, not warnings or errors."""
    outcomes: list[Outcome] = []
    for rule in ELIGIBILITY:
        if lifecycle_only and not rule.lifecycle:
            continue
        if ctx.record.category == "reserve" and rule.reserve_reference:
            outcomes.extend(
                replace(o, message=o.message + "（储备企业参照第五条，仅作提示）", severity="info") if o.ok is False else o
                for o in rule.check(ctx)
            )
        else:
            outcomes.extend(rule.check(ctx))
    return outcomes


def required_sections(category: str) -> dict[str, str]:
    """The record's sections a record of ``category`` needs to pass Art. 5 and 6, each with the articles that need it
    (patents: 第五条第X项; ip_management: 第五条第X项、第Y项), from the rules' ``needs`` and ``category``: a
    reserve enterprise is held to Art. 5 for reference only, so those sections are not required of it."""
    articles: dict[str, list[str]] = {}
    for rule in ELIGIBILITY:
        if rule.category not in (None, category) or (category == "reserve" and rule.reserve_reference) or rule.article is None:
            continue
        for section in rule.needs:
            if rule.article not in articles.setdefault(section, []):
                articles[section].append(rule.article)
    return {section: _joined(items) for section, items in articles.items()}


def _joined(articles: list[str]) -> str:
    """第N条第X项、第N条第Y项 -> 第N条第X项、第Y项 (the article named once)."""
    out: list[str] = []
    for i, text in enumerate(articles):
        head = text.split("条", 1)[0] + "条" if "条" in text else ""
        same = i > 0 and head and articles[i - 1].startswith(head) and text != head
        out.append(text[len(head):] if same else text)
    return "、".join(out)
