"""Eligibility (Art. 4-6) and lifecycle (Art. 8) rules: one small pure function per rule id, in ``art4``, ``art5``
(with Art. 6) and ``art8``; here their order and ``evaluate``.

Each function takes a Context and yields Outcomes, passed or failed, with the figures behind
them, so ``ipreg explain`` can show every rule and ``ipreg check`` only the failures.
Thresholds come from ``ctx.policy``; the evaluation date is ``ctx.on``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from generator.rules import (
    ART4_ABNORMAL_PATENT,
    ART4_COMPLIANCE,
    ART4_DISHONESTY,
    ART4_HENAN,
    ART4_INFRINGEMENT,
    ART4_JURISDICTION,
    ART4_LEGAL_PERSON,
    ART4_OPERATING_YEARS,
    ART4_OWNS_IP,
    ART4_PREFERENCE,
    ART5_AGENCIES,
    ART5_CREATION,
    ART5_LEADING,
    ART5_PATENT_REVENUE_SHARE,
    ART5_POLICIES,
    ART5_PROTECTION,
    ART5_REVENUE,
    ART5_STANDARD,
    ART5_SYSTEM,
    ART5_TRADEMARK,
    ART5_TRAINING_EMPLOYEES,
    ART5_TRAINING_MANAGEMENT,
    ART6_RESERVE,
    ART8_BAN,
    ART8_EARLY_REVIEW,
    ART8_LAPSED,
    ART8_TERM_MISMATCH,
    ART8_VIOLATION_REVIEW,
    CATALOGUE,
)
from generator.rules.art4 import (
    art4_abnormal_patent,
    art4_compliance,
    art4_dishonesty,
    art4_henan,
    art4_infringement,
    art4_jurisdiction,
    art4_legal_person,
    art4_operating_years,
    art4_owns_ip,
    art4_preference,
)
from generator.rules.art5 import (
    art5_agencies,
    art5_creation,
    art5_leading,
    art5_patent_revenue_share,
    art5_policies,
    art5_protection,
    art5_revenue,
    art5_standard,
    art5_system,
    art5_trademark,
    art5_training_employees,
    art5_training_management,
    art6_reserve,
)
from generator.rules.art8 import art8_ban, art8_early_review, art8_lapsed, art8_term_mismatch, art8_violation_review
from generator.rules.base import Context, Outcome

Check = Callable[[Context], Iterator[Outcome]]


# rule id -> function, in evaluation order. A literal mapping, not a decorator: mutmut does not mutate decorated
# functions, and the rules are what mutation testing is for (make mutation).
ELIGIBILITY: dict[str, Check] = {
    ART4_HENAN.id: art4_henan,
    ART4_JURISDICTION.id: art4_jurisdiction,
    ART4_LEGAL_PERSON.id: art4_legal_person,
    ART4_OPERATING_YEARS.id: art4_operating_years,
    ART4_COMPLIANCE.id: art4_compliance,
    ART4_OWNS_IP.id: art4_owns_ip,
    ART4_INFRINGEMENT.id: art4_infringement,
    ART4_ABNORMAL_PATENT.id: art4_abnormal_patent,
    ART4_DISHONESTY.id: art4_dishonesty,
    ART4_PREFERENCE.id: art4_preference,
    ART5_SYSTEM.id: art5_system,
    ART5_AGENCIES.id: art5_agencies,
    ART5_STANDARD.id: art5_standard,
    ART5_POLICIES.id: art5_policies,
    ART5_CREATION.id: art5_creation,
    ART5_LEADING.id: art5_leading,
    ART5_TRADEMARK.id: art5_trademark,
    ART5_PROTECTION.id: art5_protection,
    ART5_REVENUE.id: art5_revenue,
    ART5_PATENT_REVENUE_SHARE.id: art5_patent_revenue_share,
    ART5_TRAINING_MANAGEMENT.id: art5_training_management,
    ART5_TRAINING_EMPLOYEES.id: art5_training_employees,
    ART6_RESERVE.id: art6_reserve,
    ART8_BAN.id: art8_ban,
    ART8_TERM_MISMATCH.id: art8_term_mismatch,
    ART8_EARLY_REVIEW.id: art8_early_review,
    ART8_LAPSED.id: art8_lapsed,
    ART8_VIOLATION_REVIEW.id: art8_violation_review,
}


def evaluate(ctx: Context, lifecycle_only: bool = False) -> list[Outcome]:
    """Every eligibility outcome of one record (only the lifecycle rules with ``lifecycle_only``). A reserve enterprise
    is held to Art. 5 for reference only (第六条：参照): its failures of those rules are information, not warnings or errors."""
    outcomes: list[Outcome] = []
    for rule_id, rule in ELIGIBILITY.items():
        declared = CATALOGUE[rule_id]
        if lifecycle_only and not declared.lifecycle:
            continue
        if ctx.record.category == "reserve" and declared.reserve_reference:
            outcomes.extend(
                replace(o, message=o.message + "（储备企业参照第五条，仅作提示）", severity="info") if o.ok is False else o
                for o in rule(ctx)
            )
        else:
            outcomes.extend(rule(ctx))
    return outcomes
