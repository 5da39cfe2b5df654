"""Art. 8, the lifecycle rules (第八条) as eligibility outcomes: the problems ``lifecycle.replay`` found, a lapsed
review, and conduct during a term."""

from __future__ import annotations

from collections.abc import Iterator

from generator.labels import CAUSE_ZH, INFRINGEMENT_KIND_ZH
from generator.rules import (
    ART8_BAN,
    ART8_EARLY_REVIEW,
    ART8_LAPSED,
    ART8_TERM_MISMATCH,
    ART8_VIOLATION_REVIEW,
)
from generator.rules.base import Context, Outcome


def _event_problems(ctx: Context, rule: str) -> Iterator[Outcome]:
    for problem in ctx.status.problems:
        if problem.rule == rule:
            yield Outcome(rule, False, problem.message, ("events", problem.event_index), severity=problem.severity)


def art8_ban(ctx: Context) -> Iterator[Outcome]:
    """No application or filing within ``ban_years`` of a revocation, the day of revocation included (lifecycle problems)."""
    found = list(_event_problems(ctx, ART8_BAN.id))
    yield from found or [Outcome(ART8_BAN.id, True, "没有在禁止期内的申报或备案")]


def art8_term_mismatch(ctx: Context) -> Iterator[Outcome]:
    """A printed ``valid_until`` earlier than the computed term end is a warning; a later one is an error."""
    found = list(_event_problems(ctx, ART8_TERM_MISMATCH.id))
    yield from found or [Outcome(ART8_TERM_MISMATCH.id, True, "各期有效期与计算结果一致")]


def art8_early_review(ctx: Context) -> Iterator[Outcome]:
    """A review result no earlier than ``review_early_days`` before the term end (the measures only say "after expiry")."""
    found = list(_event_problems(ctx, ART8_EARLY_REVIEW.id))
    yield from found or [Outcome(ART8_EARLY_REVIEW.id, True, "复核结果的日期都在有效期届满前后的复核期内")]


def art8_lapsed(ctx: Context) -> Iterator[Outcome]:
    """A review deadline or grace year that passed without a result: staff record the result or the revocation."""
    st = ctx.status
    if st.status == "lapsed":
        yield Outcome(
            ART8_LAPSED.id,
            False,
            f"{CAUSE_ZH[st.cause or 'review_overdue']}（{st.ended_on} 起不再公开列出）："
            "请录入复核结果（review_passed / review_failed / review_absent）；有效期内有重大违法违规的，录入撤销决定（revoked）",
            ("events",),
        )
    else:
        yield Outcome(ART8_LAPSED.id, True, f"当前状态：{st.status_zh}")


def art8_violation_review(ctx: Context) -> Iterator[Outcome]:
    """Conduct recorded during a term: staff check whether it is a major violation."""
    st = ctx.status
    found = False
    if st.listed and st.decision is not None:
        rec = ctx.record
        items = [
            (x.date, f"{x.date} 被{x.authority}{INFRINGEMENT_KIND_ZH[x.kind]}认定侵犯知识产权", ("conduct", "infringements", x.index))
            for x in rec.infringements
        ]
        items += [(x.listed, f"{x.listed} 被列入{x.list}", ("conduct", "dishonesty", x.index)) for x in rec.dishonesty]
        for day, what, path in sorted(items, key=lambda i: i[0]):
            if st.decision < day <= ctx.today:
                found = True
                yield Outcome(
                    ART8_VIOLATION_REVIEW.id, False, f"有效期内（{st.decision} 的决定之后）{what}：请核实是否属于重大违法违规", path
                )
    if not found:
        yield Outcome(ART8_VIOLATION_REVIEW.id, True, "现行决定之后没有记录侵权认定或失信名单")
