"""Art. 4, the conditions every filed enterprise meets (第四条), on the evaluation date ``ctx.on``: one small pure
function per rule id, each yielding Outcomes passed or failed with the figures behind them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from generator import ids
from generator.dates import anniversary, at_least_years_before, within_last_years
from generator.labels import HONOR_ZH, INFRINGEMENT_KIND_ZH
from generator.rules.base import Context, EligibilityRule, Outcome, params


def art4_henan(ctx: Context) -> Iterator[Outcome]:
    """Registered in Henan: division code digits 3-4 other than ``province_code`` ask for a check (a moved-in enterprise keeps its code)."""
    code = ids.division_code(ctx.record.uscc)
    if code.startswith(ctx.policy.province_code):
        yield Outcome(ART4_HENAN.id, True, f"登记机关区划代码 {code}，在河南省（{ctx.policy.province_code}）内", ("uscc",))
    else:
        yield Outcome(ART4_HENAN.id, False, f"登记机关区划代码 {code}，不是河南省（{ctx.policy.province_code}）的代码："
                      "迁入的企业代码不变，请核实其已在河南省内依法登记", ("uscc",))


ART4_HENAN = EligibilityRule(
    "art4.henan", "第四条第一项", "warning", "在河南省内依法注册：代码第 3、4 位不是 {province_code} 时核实（迁入企业代码不变）",
    check=art4_henan,
)


def art4_jurisdiction(ctx: Context) -> Iterator[Outcome]:
    """Within the county: a registration authority other than ``county_code`` asks for a check that it operates here."""
    code = ids.division_code(ctx.record.uscc)
    if code == ctx.policy.county_code:
        yield Outcome(ART4_JURISDICTION.id, True, f"登记机关区划代码 {code}，为本县", ("uscc",))
    else:
        yield Outcome(
            ART4_JURISDICTION.id, False, f"登记机关区划代码 {code}，不是本县（{ctx.policy.county_code}）：请核实企业在本县经营", ("uscc",)
        )


ART4_JURISDICTION = EligibilityRule(
    "art4.jurisdiction", "第七条", "warning", "登记机关为本县（{county_code}），否则须核实在辖区经营", check=art4_jurisdiction
)


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


ART4_LEGAL_PERSON = EligibilityRule(
    "art4.legal-person", "第四条第一项", "error", "具有独立法人资格，代码以 {legal_person_prefixes} 开头（91：市场监管部门登记的企业）",
    check=art4_legal_person,
)


def art4_operating_years(ctx: Context) -> Iterator[Outcome]:
    """``operating_years`` of continuous operation: the anniversary of ``established`` is not after D."""
    n = ctx.policy.operating_years
    established = ctx.record.established
    if established is None:  # an imported record (design section 11) whose first review in the registry lacks it
        yield Outcome(ART4_OPERATING_YEARS.id, False, f"没有成立日期（established），无法判断是否连续经营 {n} 年：请补充", ("established",))
        return
    since = anniversary(established, n)
    ok = at_least_years_before(established, n, ctx.on)
    word = "已满" if ok else "未满"
    yield Outcome(
        ART4_OPERATING_YEARS.id,
        ok,
        f"{ctx.record.established} 成立，至 {ctx.on} {word} {n} 年（{since} 满 {n} 年）",
        ("established",),
        params=params(established=ctx.record.established, on=ctx.on, years=n, complete_on=since),
    )


ART4_OPERATING_YEARS = EligibilityRule(
    "art4.operating-years", "第四条第一项", "error", "连续生产经营 {operating_years} 年以上", check=art4_operating_years
)


def art4_compliance(ctx: Context) -> Iterator[Outcome]:
    """Complies with industrial policy and environmental requirements."""
    rec = ctx.record
    missing = [name for name, flag in (("产业政策", rec.compliance_industrial), ("环保要求", rec.compliance_environmental)) if not flag]
    if missing:
        yield Outcome(ART4_COMPLIANCE.id, False, f"不符合{'和'.join(missing)}", ("compliance",))
    else:
        yield Outcome(ART4_COMPLIANCE.id, True, "符合产业政策和环保要求", ("compliance",))


ART4_COMPLIANCE = EligibilityRule("art4.compliance", "第四条第二项", "error", "符合国家、省产业发展政策和环保要求", check=art4_compliance)


def art4_owns_ip(ctx: Context) -> Iterator[Outcome]:
    """Owns IP valid at D: patents, registered trademarks and (“等”) registered copyrights."""
    patents = sum(p.valid_on(ctx.on) for p in ctx.record.patents)
    marks = sum(t.valid_on(ctx.on) for t in ctx.record.trademarks)
    works = len(ctx.record.copyrights)
    ok = patents + marks + works > 0
    yield Outcome(
        ART4_OWNS_IP.id,
        ok,
        f"{ctx.on} 有效专利 {patents} 件、有效注册商标 {marks} 件、登记著作权 {works} 件",
        ("patents",) if not ok else (),
        params=params(on=ctx.on, patents=patents, trademarks=marks, copyrights=works),
    )


ART4_OWNS_IP = EligibilityRule("art4.owns-ip", "第四条第三项", "error", "拥有有效的专利、注册商标或登记的著作权", check=art4_owns_ip)


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
        yield Outcome(
            ART4_INFRINGEMENT.id,
            False,
            f"{x.date} 被{x.authority}{INFRINGEMENT_KIND_ZH[x.kind]}认定侵犯知识产权，在 {ctx.on} 前 {n} 年内",
            ("conduct", "infringements", x.index),
            params=params(date=x.date, kind=x.kind, on=ctx.on, years=n, mode=ctx.policy.recent_years_mode),
        )
    if not recent:
        yield Outcome(ART4_INFRINGEMENT.id, True, f"{ctx.on} 前 {n} 年内无侵权认定")


ART4_INFRINGEMENT = EligibilityRule(
    "art4.infringement", "第四条第四项", "error", "近 {lookback_years} 年无行政或司法认定的侵权行为", check=art4_infringement
)


def art4_abnormal_patent(ctx: Context) -> Iterator[Outcome]:
    """No abnormal patent application notified on or before D that was not rectified by D."""
    missing = _no_conduct(ctx, ART4_ABNORMAL_PATENT.id)
    if missing is not None:
        yield missing
        return
    open_cases = [a for a in ctx.record.abnormal_applications if a.notified <= ctx.on and (a.rectified is None or a.rectified > ctx.on)]
    for a in open_cases:
        yield Outcome(
            ART4_ABNORMAL_PATENT.id,
            False,
            f"{a.notified} 被通报非正常专利申请，至 {ctx.on} 未整改到位",
            ("conduct", "abnormal_patent_applications", a.index),
        )
    if not open_cases:
        yield Outcome(ART4_ABNORMAL_PATENT.id, True, f"至 {ctx.on} 无未整改的非正常专利申请")


ART4_ABNORMAL_PATENT = EligibilityRule(
    "art4.abnormal-patent", "第四条第四项", "error", "无非正常专利申请，或已整改到位", check=art4_abnormal_patent
)


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
            yield Outcome(
                ART4_DISHONESTY.id,
                False,
                f"{x.listed} 列入{x.list}，已提供信用修复证明 {x.credit_repair_certificate}：须综合评估",
                path,
                severity="warning",
            )
        else:
            yield Outcome(ART4_DISHONESTY.id, False, f"{x.listed} 列入{x.list}，{ctx.on} 仍在名单中", path)
    if not listed:
        yield Outcome(ART4_DISHONESTY.id, True, f"{ctx.on} 不在严重违法失信名单中")


ART4_DISHONESTY = EligibilityRule(
    "art4.dishonesty", "第四条第四项", "error", "未列入严重违法失信名单；有信用修复证明的综合评估", check=art4_dishonesty
)


def art4_preference(ctx: Context) -> Iterator[Outcome]:
    """What the bureau favours, all else equal (information): Henan's key industries, and honours valid at D."""
    if ctx.record.key_industry:
        yield Outcome(ART4_PREFERENCE.id, None, f"符合我省重点产业发展方向：{ctx.record.key_industry}", ("key_industry",),
                      severity="info")
    valid = [h for h in ctx.record.honors if h.valid_on(ctx.on)]
    if valid:
        names = "、".join(dict.fromkeys(HONOR_ZH[h.type] for h in valid))
        yield Outcome(ART4_PREFERENCE.id, None, f"{ctx.on} 有效的倾斜称号：{names}", ("honors",), severity="info")
    elif not ctx.record.key_industry:
        yield Outcome(ART4_PREFERENCE.id, True, f"{ctx.on} 无有效的倾斜称号")


ART4_PREFERENCE = EligibilityRule(
    "art4.preference", "第四条第五项", "info", "专精特新、高新技术企业等称号，同等条件下倾斜", check=art4_preference
)
