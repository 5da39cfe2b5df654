"""Art. 8, the lifecycle rules (第八条) as eligibility outcomes: what ``lifecycle.replay`` found in the events (a
filing inside a ban, a revocation without its facts, a printed term that differs, a review result too early), a lapsed
review, and conduct during a term. The lifecycle reports those facts by kind (``EventProblem.kind``); the rules they
break are declared here."""

from __future__ import annotations

from collections.abc import Iterator

from generator.labels import CAUSE_ZH, INFRINGEMENT_KIND_ZH
from generator.lifecycle import ProblemKind
from generator.rules import CONVENTION
from generator.rules.base import Context, EligibilityRule, Outcome


def _event_problems(ctx: Context, kind: ProblemKind, rule: str, passed: str) -> Iterator[Outcome]:
    """The lifecycle's problems of one kind as this rule's failures, or one passed outcome."""
    found = False
    for problem in ctx.status.problems:
        if problem.kind == kind:
            found = True
            yield Outcome(rule, False, problem.message, ("events", problem.event_index), severity=problem.severity)
    if not found:
        yield Outcome(rule, True, passed)


def art8_ban(ctx: Context) -> Iterator[Outcome]:
    """No application or filing within ``ban_years`` of a revocation, the day of revocation included (lifecycle problems)."""
    yield from _event_problems(ctx, "ban", ART8_BAN.id, "没有在禁止期内的申报或备案")


ART8_BAN = EligibilityRule(
    "art8.ban", "第八条第五项", "error", "取消资格之日起 {ban_years} 年内（含当天）不得申请备案，期内的备案无效",
    lifecycle=True, check=art8_ban,
)


def art8_revocation_basis(ctx: Context) -> Iterator[Outcome]:
    """Every revocation needs a recorded violation (conduct: infringement, dishonesty listing or violation) dated while the
    qualification was held (a term, 复核中, 保留资格) and not after the revocation (design section 3 v4; lifecycle problems)."""
    yield from _event_problems(ctx, "revocation-basis", ART8_REVOCATION_BASIS.id, "每个撤销决定都有有效期内的违法违规记录")


ART8_REVOCATION_BASIS = EligibilityRule(
    "art8.revocation-basis", "第八条第五项", "error",
    "撤销须有有效期内（含复核中、保留资格期）的违法违规记录：conduct 中录入事实（日期、机关、文书）", lifecycle=True,
    check=art8_revocation_basis,
)


def art8_term_mismatch(ctx: Context) -> Iterator[Outcome]:
    """A printed ``valid_until`` earlier than the computed term end is a warning; a later one is an error."""
    yield from _event_problems(ctx, "term-mismatch", ART8_TERM_MISMATCH.id, "各期有效期与计算结果一致")


ART8_TERM_MISMATCH = EligibilityRule(
    "art8.term-mismatch", "第八条第一项", "warning", "证书印明的有效期早于计算结果（提示核对）；晚于计算结果为错误",
    lifecycle=True, check=art8_term_mismatch,
)


def art8_early_review(ctx: Context) -> Iterator[Outcome]:
    """A review result no earlier than ``review_early_days`` before the term end (the measures only say "after expiry")."""
    yield from _event_problems(ctx, "early-review", ART8_EARLY_REVIEW.id, "复核结果的日期都在有效期届满前后的复核期内")


ART8_EARLY_REVIEW = EligibilityRule(
    "art8.early-review", CONVENTION, "error", "复核结果不得早于有效期届满前 {review_early_days} 天", lifecycle=True,
    check=art8_early_review,
)


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


ART8_LAPSED = EligibilityRule(
    "art8.lapsed", CONVENTION, "warning", "复核期限或保留资格期已过仍无结果：请录入复核结果或撤销决定", lifecycle=True, check=art8_lapsed
)


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
        items += [(x.date, f"{x.date} {x.summary}（{x.authority}，{x.document}）", ("conduct", "violations", x.index))
                  for x in rec.violations]
        for day, what, path in sorted(items, key=lambda i: i[0]):
            if st.decision < day <= ctx.today:
                found = True
                yield Outcome(
                    ART8_VIOLATION_REVIEW.id, False, f"有效期内（{st.decision} 的决定之后）{what}：请核实是否属于重大违法违规", path
                )
    if not found:
        yield Outcome(ART8_VIOLATION_REVIEW.id, True, "现行决定之后没有记录侵权认定或失信名单")


ART8_VIOLATION_REVIEW = EligibilityRule(
    "art8.violation-review", "第八条第五项", "warning", "有效期内发生侵权认定、列入失信名单或其他违法违规行为：核实是否属于重大违法违规",
    lifecycle=True,
    check=art8_violation_review,
)
