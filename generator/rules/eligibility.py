"""Eligibility (Art. 4-6) and lifecycle (Art. 8) rules: one small pure function per rule id.

Each function takes a Context and yields Outcomes, passed or failed, with the figures behind
them, so ``ipreg explain`` can show every rule and ``ipreg check`` only the failures.
Thresholds come from ``ctx.policy``; the evaluation date is ``ctx.on``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from fractions import Fraction

from generator import ids
from generator.dates import anniversary, at_least_years_before, within_last_years
from generator.labels import CAUSE_ZH, HONOR_ZH, INFRINGEMENT_KIND_ZH, POLICY_ZH, SCOPE_ZH, STANDARD_STATUS_ZH
from generator.model import FinanceYear
from generator.ranking import Rank, RankInput
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
from generator.rules.base import Context, Outcome, params, yuan

Check = Callable[[Context], Iterator[Outcome]]


def art4_henan(ctx: Context) -> Iterator[Outcome]:
    """Registered in Henan: division code digits 3-4 other than ``province_code`` ask for a check (a moved-in enterprise keeps its code)."""
    code = ids.division_code(ctx.record.uscc)
    if code.startswith(ctx.policy.province_code):
        yield Outcome(ART4_HENAN.id, True, f"登记机关区划代码 {code}，在河南省（{ctx.policy.province_code}）内", ("uscc",))
    else:
        yield Outcome(ART4_HENAN.id, False, f"登记机关区划代码 {code}，不是河南省（{ctx.policy.province_code}）的代码："
                      "迁入的企业代码不变，请核实其已在河南省内依法登记", ("uscc",))


def art4_jurisdiction(ctx: Context) -> Iterator[Outcome]:
    """Within the county: a registration authority other than ``county_code`` asks for a check that it operates here."""
    code = ids.division_code(ctx.record.uscc)
    if code == ctx.policy.county_code:
        yield Outcome(ART4_JURISDICTION.id, True, f"登记机关区划代码 {code}，为本县", ("uscc",))
    else:
        yield Outcome(ART4_JURISDICTION.id, False, f"登记机关区划代码 {code}，不是本县（{ctx.policy.county_code}）：请核实企业在本县经营", ("uscc",))


def art4_legal_person(ctx: Context) -> Iterator[Outcome]:
    """An independent legal person: ``legal_person`` is true and the USCC starts with one of ``legal_person_prefixes``."""
    rec = ctx.record
    prefixes = "、".join(ctx.policy.legal_person_prefixes)
    if not rec.legal_person:
        yield Outcome(ART4_LEGAL_PERSON.id, False, "legal_person 为 false：不具有独立法人资格", ("legal_person",))
    elif not rec.uscc.startswith(ctx.policy.legal_person_prefixes):
        yield Outcome(ART4_LEGAL_PERSON.id, False, f"代码以 {rec.uscc[:2]} 开头，不是企业法人的代码（应以 {prefixes} 开头）", ("uscc",))
    else:
        yield Outcome(ART4_LEGAL_PERSON.id, True, f"具有独立法人资格，代码以 {rec.uscc[:2]} 开头", ("legal_person",))


def art4_operating_years(ctx: Context) -> Iterator[Outcome]:
    """``operating_years`` of continuous operation: the anniversary of ``established`` is not after D."""
    n = ctx.policy.operating_years
    since = anniversary(ctx.record.established, n)
    ok = at_least_years_before(ctx.record.established, n, ctx.on)
    word = "已满" if ok else "未满"
    yield Outcome(ART4_OPERATING_YEARS.id, ok, f"{ctx.record.established} 成立，至 {ctx.on} {word} {n} 年（{since} 满 {n} 年）", ("established",),
                  params=params(established=ctx.record.established, on=ctx.on, years=n, complete_on=since))


def art4_compliance(ctx: Context) -> Iterator[Outcome]:
    """Complies with industrial policy and environmental requirements."""
    rec = ctx.record
    missing = [name for name, flag in (("产业政策", rec.compliance_industrial), ("环保要求", rec.compliance_environmental)) if not flag]
    if missing:
        yield Outcome(ART4_COMPLIANCE.id, False, f"不符合{'和'.join(missing)}", ("compliance",))
    else:
        yield Outcome(ART4_COMPLIANCE.id, True, "符合产业政策和环保要求", ("compliance",))


def art4_owns_ip(ctx: Context) -> Iterator[Outcome]:
    """Owns IP valid at D: patents, registered trademarks and (“等”) registered copyrights."""
    patents = sum(p.valid_on(ctx.on) for p in ctx.record.patents)
    marks = sum(t.valid_on(ctx.on) for t in ctx.record.trademarks)
    works = len(ctx.record.copyrights)
    ok = patents + marks + works > 0
    yield Outcome(ART4_OWNS_IP.id, ok, f"{ctx.on} 有效专利 {patents} 件、有效注册商标 {marks} 件、登记著作权 {works} 件",
                  ("patents",) if not ok else (), params=params(on=ctx.on, patents=patents, trademarks=marks, copyrights=works))


def _no_conduct(ctx: Context, rule: str) -> Outcome | None:
    """A record without ``conduct``: an error once a cycle has a decision (explicit empty lists attest "none")."""
    if ctx.record.conduct_given:
        return None
    if ctx.status.decision is None and ctx.status.status == "pending":
        return Outcome(rule, None, "尚未填写 conduct（守法诚信情况），备案决定前须填写")
    return Outcome(rule, False, "缺少 conduct（守法诚信情况）：没有侵权、非正常申请或失信记录时，也要写空列表 [] 表示“无”")


def _recent(ctx: Context, day: date) -> bool:
    """“近三年”: rolling (day <= D < anniversary(day, N)) or the N calendar years before D's year (policy recent_years_mode)."""
    n = ctx.policy.lookback_years
    if ctx.policy.recent_years_mode == "calendar":
        return ctx.on.year - n <= day.year < ctx.on.year
    return within_last_years(day, n, ctx.on)


def art4_infringement(ctx: Context) -> Iterator[Outcome]:
    """No infringement found by an administrative or judicial authority within ``lookback_years`` (``recent_years_mode``)."""
    missing = _no_conduct(ctx, ART4_INFRINGEMENT.id)
    if missing is not None:
        yield missing
        return
    n = ctx.policy.lookback_years
    recent = [x for x in ctx.record.infringements if _recent(ctx, x.date)]
    for x in recent:
        yield Outcome(ART4_INFRINGEMENT.id, False, f"{x.date} 被{x.authority}{INFRINGEMENT_KIND_ZH[x.kind]}认定侵犯知识产权，在 {ctx.on} 前 {n} 年内",
                      ("conduct", "infringements", x.index), params=params(date=x.date, kind=x.kind, on=ctx.on, years=n,
                                                                           mode=ctx.policy.recent_years_mode))
    if not recent:
        yield Outcome(ART4_INFRINGEMENT.id, True, f"{ctx.on} 前 {n} 年内无侵权认定")


def art4_abnormal_patent(ctx: Context) -> Iterator[Outcome]:
    """No abnormal patent application notified on or before D that was not rectified by D."""
    missing = _no_conduct(ctx, ART4_ABNORMAL_PATENT.id)
    if missing is not None:
        yield missing
        return
    open_cases = [a for a in ctx.record.abnormal_applications
                  if a.notified <= ctx.on and (a.rectified is None or a.rectified > ctx.on)]
    for a in open_cases:
        yield Outcome(ART4_ABNORMAL_PATENT.id, False, f"{a.notified} 被通报非正常专利申请，至 {ctx.on} 未整改到位",
                      ("conduct", "abnormal_patent_applications", a.index))
    if not open_cases:
        yield Outcome(ART4_ABNORMAL_PATENT.id, True, f"至 {ctx.on} 无未整改的非正常专利申请")


def art4_dishonesty(ctx: Context) -> Iterator[Outcome]:
    """Not on a serious-dishonesty list at D; with a credit-repair certificate the bureau weighs it (a warning)."""
    missing = _no_conduct(ctx, ART4_DISHONESTY.id)
    if missing is not None:
        yield missing
        return
    listed = [x for x in ctx.record.dishonesty if x.listed_on(ctx.on)]
    for x in listed:
        path = ("conduct", "dishonesty", x.index)
        if x.credit_repair_certificate:
            yield Outcome(ART4_DISHONESTY.id, False, f"{x.listed} 列入{x.list}，已提供信用修复证明 {x.credit_repair_certificate}：须综合评估",
                          path, severity="warning")
        else:
            yield Outcome(ART4_DISHONESTY.id, False, f"{x.listed} 列入{x.list}，{ctx.on} 仍在名单中", path)
    if not listed:
        yield Outcome(ART4_DISHONESTY.id, True, f"{ctx.on} 不在严重违法失信名单中")


def art4_preference(ctx: Context) -> Iterator[Outcome]:
    """Honours valid at D that the bureau favours, all else equal (information)."""
    valid = [h for h in ctx.record.honors if h.valid_on(ctx.on)]
    if valid:
        names = "、".join(dict.fromkeys(HONOR_ZH[h.type] for h in valid))
        yield Outcome(ART4_PREFERENCE.id, None, f"{ctx.on} 有效的倾斜称号：{names}", ("honors",), severity="info")
    else:
        yield Outcome(ART4_PREFERENCE.id, True, f"{ctx.on} 无有效的倾斜称号")


def art5_system(ctx: Context) -> Iterator[Outcome]:
    """A responsible leader, at least one IP manager and a positive budget."""
    ipm = ctx.record.ip_management
    if ipm is None:
        yield Outcome(ART5_SYSTEM.id, False, "缺少 ip_management（知识产权管理），无法核对工作体系")
        return
    gaps = []
    if not ipm.leader.strip():
        gaps.append("没有分管领导")
    if ipm.managers < 1:
        gaps.append("没有知识产权管理人员")
    if ipm.budget <= 0:
        gaps.append("没有专项经费")
    facts = f"分管领导：{ipm.leader}；管理人员 {ipm.managers} 人；专项经费 {yuan(ipm.budget)} 元"
    yield Outcome(ART5_SYSTEM.id, not gaps, f"{'、'.join(gaps)}（{facts}）" if gaps else facts, ("ip_management",),
                  params=params(managers=ipm.managers, budget=ipm.budget))


def art5_agencies(ctx: Context) -> Iterator[Outcome]:
    """Makes use of IP service agencies (at least one listed)."""
    ipm = ctx.record.ip_management
    agencies = ipm.agencies if ipm is not None else ()
    if agencies:
        yield Outcome(ART5_AGENCIES.id, True, f"利用的知识产权服务机构 {len(agencies)} 家", ("ip_management", "agencies"))
    else:
        yield Outcome(ART5_AGENCIES.id, False, "没有填写利用的知识产权服务（中介）机构（ip_management.agencies）：请核实",
                      ("ip_management", "agencies") if ipm is not None else ())


def art5_standard(ctx: Context) -> Iterator[Outcome]:
    """Implements GB/T 29490 (implementing, implemented or certified with a certificate); a 2013 certificate after
    ``standard_2013_until`` asks for a check."""
    ipm = ctx.record.ip_management
    if ipm is None:
        yield Outcome(ART5_STANDARD.id, False, "缺少 ip_management.standard（贯标情况）")
        return
    std = ipm.standard
    path = ("ip_management", "standard")
    label = f"GB/T 29490-{std.version}"
    if std.since > ctx.on:
        yield Outcome(ART5_STANDARD.id, False, f"{label} 的实施在 {std.since} 开始，晚于评估日 {ctx.on}", path + ("since",))
        return
    if std.status == "certified" and not std.certificate:
        yield Outcome(ART5_STANDARD.id, False, f"{label} 状态为已认证（certified），但没有填写认证证书编号（certificate）", path)
        return
    cutoff = ctx.policy.standard_2013_until
    if std.version == "2013" and std.status == "certified" and ctx.on > cutoff:
        yield Outcome(ART5_STANDARD.id, False, f"依据 {label} 的认证证书在 {cutoff} 过渡期后应已换版或暂停：请核实", path, severity="warning")
        return
    yield Outcome(ART5_STANDARD.id, True, f"{label} {STANDARD_STATUS_ZH[std.status]}（{std.since} 起）", path)


def art5_policies(ctx: Context) -> Iterator[Outcome]:
    """Management, incentive and constraint policies are all in place."""
    ipm = ctx.record.ip_management
    have = set(ipm.policies) if ipm is not None else set()
    missing = [POLICY_ZH[p] for p in POLICY_ZH if p not in have]
    path = ("ip_management", "policies") if ipm is not None else ()
    if missing:
        yield Outcome(ART5_POLICIES.id, False, f"缺少知识产权{'、'.join(missing)}制度（管理、激励与约束制度都要建立）", path)
    else:
        yield Outcome(ART5_POLICIES.id, True, "已建立知识产权管理、激励与约束制度", path)


def art5_creation(ctx: Context) -> Iterator[Outcome]:
    """A patent valid at D that supports the main products (``core: true``)."""
    core = [p for p in ctx.record.patents if p.core and p.valid_on(ctx.on)]
    if core:
        yield Outcome(ART5_CREATION.id, True, f"{ctx.on} 有效的核心专利 {len(core)} 件（{core[0].number} 等）", ("patents",))
    else:
        yield Outcome(ART5_CREATION.id, False, f"{ctx.on} 没有有效的核心专利（core: true，支撑主要产品）", ("patents",))
def art5_leading(ctx: Context) -> Iterator[Outcome]:
    """Leading in its industry locally or in the province: the bureau's finding and its basis (``industry_standing``)."""
    standing = ctx.record.industry_standing
    if standing is None:
        yield Outcome(ART5_LEADING.id, False, "缺少 industry_standing（备案机关关于本地区或省内同行业领先的认定和依据）", ("industry",))
        return
    document = f"（{standing.document}）" if standing.document else ""
    yield Outcome(ART5_LEADING.id, True, f"{SCOPE_ZH[standing.scope]}同行业领先：{standing.basis}{document}", ("industry_standing",))
    # the registry's own ranking needs the whole registry: registry.assemble adds it (ranking_note)


def _place(rank: int, ties: int) -> str:
    return f"与另 {ties - 1} 家并列第 {rank}" if ties > 1 else f"排第 {rank}"


def ranking_words(item: RankInput, r: Rank, n: int) -> str:
    """The registry's own ranking in the industry (a reference note of art5.leading) for figures ``r`` of ``item`` over
    the last ``n`` years, ties worded 并列."""
    return (f"登记簿内同行业（{item.industry_code} {item.industry_name}）{r.peers} 家中：近 {n} 年发明专利授权 {r.recent} 件，"
            f"{_place(r.recent_rank, r.recent_ties)}；截至 {item.on.year - 1} 年底有效专利 {r.valid} 件，{_place(r.valid_rank, r.valid_ties)}")


def ranking_note(message: str) -> Outcome:
    """The ranking as an information note of art5.leading, at the record's industry."""
    return Outcome(ART5_LEADING.id, None, message, ("industry",), severity="info")


def art5_trademark(ctx: Context) -> Iterator[Outcome]:
    """A registered trademark valid at D for the main business (``main_business: true``)."""
    marks = [t for t in ctx.record.trademarks if t.main_business and t.valid_on(ctx.on)]
    if marks:
        yield Outcome(ART5_TRADEMARK.id, True, f"{ctx.on} 有效的主营业务商标 {len(marks)} 件（第 {marks[0].number} 号等）", ("trademarks",))
    else:
        yield Outcome(ART5_TRADEMARK.id, False, f"{ctx.on} 没有有效的主营业务商标（main_business: true）", ("trademarks",))


def art5_protection(ctx: Context) -> Iterator[Outcome]:
    """Uses several means of protection; whether trade secrets are protected must be stated (``trade_secret_measures``)."""
    rec = ctx.record
    means = [f"{label} {count} 件" for label, count in (("专利", len(rec.patents)), ("注册商标", len(rec.trademarks)),
                                                        ("著作权", len(rec.copyrights))) if count]
    if rec.trade_secret_measures is None:
        yield Outcome(ART5_PROTECTION.id, False, "没有填写 trade_secret_measures（是否采取商业秘密保护措施，true 或 false）")
        return
    means.append("商业秘密保护措施" if rec.trade_secret_measures else "未采取商业秘密保护措施")
    yield Outcome(ART5_PROTECTION.id, True, f"保护方式：{'、'.join(means)}", ("trade_secret_measures",))


def _finance_row(ctx: Context, rule: str) -> FinanceYear | Outcome:
    """The finance row of the year D.year - finance_year_offset, or the failing outcome that says it is missing."""
    year = ctx.on.year - ctx.policy.finance_year_offset
    row = ctx.record.finance_for(year)
    return row if row is not None else Outcome(rule, False, f"缺少 {year} 年财务数据（finance），无法核对", ("finance",))


def art5_revenue(ctx: Context) -> Iterator[Outcome]:
    """Revenue of the finance year (D.year - ``finance_year_offset``) of at least ``revenue_min`` yuan."""
    row = _finance_row(ctx, ART5_REVENUE.id)
    if isinstance(row, Outcome):
        yield row
        return
    minimum = ctx.policy.revenue_min
    ok = row.revenue >= minimum
    word = "不低于" if ok else "低于"
    yield Outcome(ART5_REVENUE.id, ok, f"{row.year}年营业收入 {yuan(row.revenue)} 元，{word} {yuan(minimum)} 元", ("finance", row.index, "revenue"),
                  params=params(year=row.year, revenue=row.revenue, minimum=minimum))


def _decimals(value: Fraction) -> int:
    """Decimals that print ``value`` exactly (at least 1, at most 6)."""
    for digits in range(1, 7):
        if (value * 10**digits).denominator == 1:
            return digits
    return 6


def _percent(value: Fraction, other: Fraction | None = None) -> str:
    """A percentage cut (not rounded) to the decimals of the threshold ``other`` (at least one), with more where it
    takes them not to read as equal to it: 19.99% never prints "20.0%" next to a 20% threshold."""
    digits = _decimals(other) if other is not None else _decimals(value)
    while True:
        scaled = int(value * 10**digits)
        text = f"{scaled // 10**digits}.{scaled % 10**digits:0{digits}d}%"
        if other is None or value == other or digits >= 8 or text != _percent(other):
            return text
        digits += 1


def art5_patent_revenue_share(ctx: Context) -> Iterator[Outcome]:
    """Patent-related revenue of at least ``patent_revenue_share_percent`` of revenue (exact fractions)."""
    row = _finance_row(ctx, ART5_PATENT_REVENUE_SHARE.id)
    if isinstance(row, Outcome):
        yield row
        return
    need = ctx.policy.patent_revenue_share_percent
    year, path = row.year, ("finance", row.index)
    if row.revenue == 0:
        yield Outcome(ART5_PATENT_REVENUE_SHARE.id, False, f"{year}年营业收入为 0，无法计算专利相关收入占比", path + ("revenue",))
        return
    share = Fraction(row.patent_revenue * 100, row.revenue)
    ok = share >= need
    word = "不低于" if ok else "低于"
    yield Outcome(ART5_PATENT_REVENUE_SHARE.id, ok,
                  f"{year}年专利相关收入 {yuan(row.patent_revenue)} 元，占营业收入 {_percent(share, need)}，{word} {_percent(need)}",
                  path + ("patent_revenue",), params=params(year=year, patent_revenue=row.patent_revenue, revenue=row.revenue,
                                                             percent=share, minimum_percent=need))


def _training(ctx: Context, rule: str, group: str) -> Iterator[Outcome]:
    year = ctx.on.year - ctx.policy.finance_year_offset
    row = ctx.record.training_for(year)
    if row is None:
        yield Outcome(rule, False, f"缺少 {year} 年培训数据（training），无法核对", ("training",))
        return
    if group == "management_rd":
        total, trained, label, need = row.management_rd_total, row.management_rd_trained, "管理层及研发人员", ctx.policy.training_management_percent
    else:
        total, trained, label, need = row.employees_total, row.employees_trained, "员工", ctx.policy.training_employees_percent
    path = ("training", row.index, f"{group}_trained")
    if total == 0:
        yield Outcome(rule, False, f"{year}年{label}总数为 0，无法计算培训率", path)
        return
    rate = Fraction(trained * 100, total)
    ok = rate >= need
    word = "达到" if ok else "低于"
    yield Outcome(rule, ok, f"{year}年{label}培训 {trained}/{total} 人，培训率 {_percent(rate, need)}，{word} {_percent(need)}", path,
                  params=params(year=year, trained=trained, total=total, percent=rate, minimum_percent=need))


def art5_training_management(ctx: Context) -> Iterator[Outcome]:
    """Training rate of management and R&D staff of at least ``training_management_percent``."""
    return _training(ctx, ART5_TRAINING_MANAGEMENT.id, "management_rd")


def art5_training_employees(ctx: Context) -> Iterator[Outcome]:
    """Training rate of all employees of at least ``training_employees_percent``."""
    return _training(ctx, ART5_TRAINING_EMPLOYEES.id, "employees")


def art6_reserve(ctx: Context) -> Iterator[Outcome]:
    """A reserve enterprise states why it is recommended (distinctive and effective IP work)."""
    if ctx.record.category != "reserve":
        yield Outcome(ART6_RESERVE.id, None, "优势企业，不适用第六条")
    elif ctx.record.recommendation and ctx.record.recommendation.strip():
        yield Outcome(ART6_RESERVE.id, True, "储备企业，已填写推荐理由；第五条的条件只作参照（提示）", ("recommendation",))
    else:
        yield Outcome(ART6_RESERVE.id, False, "储备企业（category: reserve）须填写推荐理由 recommendation", ("category",))


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
        yield Outcome(ART8_LAPSED.id, False,
                      f"{CAUSE_ZH[st.cause or 'review_overdue']}（{st.ended_on} 起不再公开列出）："
                      "请录入复核结果（review_passed / review_failed / review_absent）或撤销决定（revoked）", ("events",))
    else:
        yield Outcome(ART8_LAPSED.id, True, f"当前状态：{st.status_zh}")


def art8_violation_review(ctx: Context) -> Iterator[Outcome]:
    """Conduct recorded during a term: staff check whether it is a major violation."""
    st = ctx.status
    found = False
    if st.listed and st.decision is not None:
        rec = ctx.record
        items = [(x.date, f"{x.date} 被{x.authority}{INFRINGEMENT_KIND_ZH[x.kind]}认定侵犯知识产权", ("conduct", "infringements", x.index))
                 for x in rec.infringements]
        items += [(x.listed, f"{x.listed} 被列入{x.list}", ("conduct", "dishonesty", x.index)) for x in rec.dishonesty]
        for day, what, path in sorted(items, key=lambda i: i[0]):
            if st.decision < day <= ctx.today:
                found = True
                yield Outcome(ART8_VIOLATION_REVIEW.id, False, f"有效期内（{st.decision} 的决定之后）{what}：请核实是否属于重大违法违规", path)
    if not found:
        yield Outcome(ART8_VIOLATION_REVIEW.id, True, "现行决定之后没有记录侵权认定或失信名单")


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
