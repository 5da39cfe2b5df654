"""Art. 5, the conditions of an advantage enterprise (第五条), and Art. 6, the reserve enterprise (第六条): one small pure
function per rule id. Thresholds come from ``ctx.policy``; a reserve enterprise is held to Art. 5 for reference only
(``eligibility.evaluate``)."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from generator.labels import POLICY_ZH, SCOPE_ZH, STANDARD_STATUS_ZH
from generator.model import FinanceYear
from generator.ranking import Rank, RankInput
from generator.rules.base import Context, EligibilityRule, Outcome, params, yuan


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
    yield Outcome(
        ART5_SYSTEM.id,
        not gaps,
        f"{'、'.join(gaps)}（{facts}）" if gaps else facts,
        ("ip_management",),
        params=params(managers=ipm.managers, budget=ipm.budget),
    )


ART5_SYSTEM = EligibilityRule(
    "art5.system", "第五条第一项", "error", "有分管领导、知识产权管理人员和专项经费", reserve_reference=True, check=art5_system,
    needs=("ip_management",),
)


def art5_agencies(ctx: Context) -> Iterator[Outcome]:
    """Makes use of IP service agencies (at least one listed)."""
    ipm = ctx.record.ip_management
    agencies = ipm.agencies if ipm is not None else ()
    if agencies:
        yield Outcome(ART5_AGENCIES.id, True, f"利用的知识产权服务机构 {len(agencies)} 家", ("ip_management", "agencies"))
    else:
        yield Outcome(
            ART5_AGENCIES.id,
            False,
            "没有填写利用的知识产权服务（中介）机构（ip_management.agencies）：请核实",
            ("ip_management", "agencies") if ipm is not None else (),
        )


ART5_AGENCIES = EligibilityRule(
    "art5.agencies", "第五条第一项", "warning", "能较好地利用知识产权服务（中介）机构", reserve_reference=True, check=art5_agencies,
    needs=("ip_management",),
)


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
        yield Outcome(
            ART5_STANDARD.id, False, f"依据 {label} 的认证证书在 {cutoff} 过渡期后应已换版或暂停：请核实", path, severity="warning"
        )
        return
    yield Outcome(ART5_STANDARD.id, True, f"{label} {STANDARD_STATUS_ZH[std.status]}（{std.since} 起）", path)


ART5_STANDARD = EligibilityRule(
    "art5.standard",
    "第五条第二项",
    "error",
    "开展 GB/T 29490 实施工作（开展实施、已实施或已认证；已认证须有证书编号）",
    reserve_reference=True,
    check=art5_standard,
    needs=("ip_management",),
)


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


ART5_POLICIES = EligibilityRule(
    "art5.policies", "第五条第二项", "error", "建立知识产权管理、激励与约束制度", reserve_reference=True, check=art5_policies,
    needs=("ip_management",),
)


def art5_creation(ctx: Context) -> Iterator[Outcome]:
    """A patent valid at D that supports the main products (``core: true``)."""
    core = [p for p in ctx.record.patents if p.core and p.valid_on(ctx.on)]
    if core:
        yield Outcome(ART5_CREATION.id, True, f"{ctx.on} 有效的核心专利 {len(core)} 件（{core[0].number} 等）", ("patents",))
    else:
        yield Outcome(ART5_CREATION.id, False, f"{ctx.on} 没有有效的核心专利（core: true，支撑主要产品）", ("patents",))


ART5_CREATION = EligibilityRule(
    "art5.creation", "第五条第三项", "error", "拥有支撑主要产品的有效专利", reserve_reference=True, check=art5_creation,
    needs=("patents",),
)


def art5_leading(ctx: Context) -> Iterator[Outcome]:
    """Leading in its industry locally or in the province: the bureau's finding and its basis (``industry_standing``)."""
    standing = ctx.record.industry_standing
    if standing is None:
        yield Outcome(ART5_LEADING.id, False, "缺少 industry_standing（备案机关关于本地区或省内同行业领先的认定和依据）", ("industry",))
        return
    document = f"（{standing.document}）" if standing.document else ""
    yield Outcome(ART5_LEADING.id, True, f"{SCOPE_ZH[standing.scope]}同行业领先：{standing.basis}{document}", ("industry_standing",))


ART5_LEADING = EligibilityRule(
    "art5.leading",
    "第五条第三项",
    "error",
    "本地区或省内同行业领先（备案机关的认定及依据）；登记簿内同行业排名（提示）",
    reserve_reference=True,
    check=art5_leading,
    needs=("industry_standing",),
)
    # the registry's own ranking needs the whole registry: registry.assemble adds it (ranking_note)


def _place(rank: int, ties: int) -> str:
    return f"与另 {ties - 1} 家并列第 {rank}" if ties > 1 else f"排第 {rank}"


def ranking_words(item: RankInput, r: Rank, n: int, calendar: bool = False) -> str:
    """The registry's own ranking in the industry (a reference note of art5.leading) for figures ``r`` of ``item`` over
    the last ``n`` years (``calendar``: the ``n`` calendar years before D's year), ties worded 并列."""
    span = f"{item.on.year - n}—{item.on.year - 1} 年" if calendar else f"近 {n} 年"
    return (
        f"登记簿内同行业（{item.industry_code} {item.industry_name}）{r.peers} 家中：{span}发明专利授权 {r.recent} 件，"
        f"{_place(r.recent_rank, r.recent_ties)}；截至 {item.on.year - 1} 年底有效专利 {r.valid} 件，{_place(r.valid_rank, r.valid_ties)}"
    )


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


ART5_TRADEMARK = EligibilityRule(
    "art5.trademark", "第五条第三项", "error", "拥有与主营业务相关的有效注册商标", reserve_reference=True, check=art5_trademark,
    needs=("trademarks",),
)


def art5_protection(ctx: Context) -> Iterator[Outcome]:
    """Uses several means of protection; whether trade secrets are protected must be stated (``trade_secret_measures``)."""
    rec = ctx.record
    means = [
        f"{label} {count} 件"
        for label, count in (("专利", len(rec.patents)), ("注册商标", len(rec.trademarks)), ("著作权", len(rec.copyrights)))
        if count
    ]
    if rec.trade_secret_measures is None:
        yield Outcome(ART5_PROTECTION.id, False, "没有填写 trade_secret_measures（是否采取商业秘密保护措施，true 或 false）")
        return
    means.append("商业秘密保护措施" if rec.trade_secret_measures else "未采取商业秘密保护措施")
    yield Outcome(ART5_PROTECTION.id, True, f"保护方式：{'、'.join(means)}", ("trade_secret_measures",))


ART5_PROTECTION = EligibilityRule(
    "art5.protection", "第五条第四项", "warning", "填写是否采取商业秘密保护措施；列出所用的保护方式（提示）", reserve_reference=True,
    check=art5_protection,
    needs=("trade_secret_measures",),
)


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
    yield Outcome(
        ART5_REVENUE.id,
        ok,
        f"{row.year}年营业收入 {yuan(row.revenue)} 元，{word} {yuan(minimum)} 元",
        ("finance", row.index, "revenue"),
        params=params(year=row.year, revenue=row.revenue, minimum=minimum),
    )


ART5_REVENUE = EligibilityRule(
    "art5.revenue", "第五条第五项", "error", "上年营业收入 {revenue_min:,} 元以上（含）", reserve_reference=True, check=art5_revenue,
    needs=("finance",),
)


def _decimals(value: Fraction) -> int:
    """Decimals that print ``value`` exactly (at least 1, at most 6). In integers: Fraction arithmetic is slow."""
    for digits in range(1, 7):
        if value.numerator * 10**digits % value.denominator == 0:
            return digits
    return 6


def _percent(value: Fraction, other: Fraction | None = None) -> str:
    """A percentage cut (not rounded) to the decimals of the threshold ``other`` (at least one), with more where it
    takes them not to read as equal to it: 19.99% never prints "20.0%" next to a 20% threshold."""
    digits = _decimals(other) if other is not None else _decimals(value)
    threshold = None if other is None or value == other else _percent(other)
    while True:
        scaled = abs(value.numerator) * 10**digits // value.denominator  # int(value * 10**digits), cut toward zero
        scaled = -scaled if value.numerator < 0 else scaled
        text = f"{scaled // 10**digits}.{scaled % 10**digits:0{digits}d}%"
        if threshold is None or digits >= 8 or text != threshold:
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
    yield Outcome(
        ART5_PATENT_REVENUE_SHARE.id,
        ok,
        f"{year}年专利相关收入 {yuan(row.patent_revenue)} 元，占营业收入 {_percent(share, need)}，{word} {_percent(need)}",
        path + ("patent_revenue",),
        params=params(year=year, patent_revenue=row.patent_revenue, revenue=row.revenue, percent=share, minimum_percent=need),
    )


ART5_PATENT_REVENUE_SHARE = EligibilityRule(
    "art5.patent-revenue-share",
    "第五条第五项",
    "error",
    "专利相关收入占营业收入 {patent_revenue_share_percent}% 以上",
    reserve_reference=True,
    check=art5_patent_revenue_share,
    needs=("finance",),
)


def _training(ctx: Context, rule: str, group: str) -> Iterator[Outcome]:
    year = ctx.on.year - ctx.policy.finance_year_offset
    row = ctx.record.training_for(year)
    if row is None:
        yield Outcome(rule, False, f"缺少 {year} 年培训数据（training），无法核对", ("training",))
        return
    if group == "management_rd":
        total, trained, label, need = (
            row.management_rd_total,
            row.management_rd_trained,
            "管理层及研发人员",
            ctx.policy.training_management_percent,
        )
    else:
        total, trained, label, need = row.employees_total, row.employees_trained, "员工", ctx.policy.training_employees_percent
    path = ("training", row.index, f"{group}_trained")
    if total == 0:
        yield Outcome(rule, False, f"{year}年{label}总数为 0，无法计算培训率", path)
        return
    rate = Fraction(trained * 100, total)
    ok = rate >= need
    word = "达到" if ok else "低于"
    yield Outcome(
        rule,
        ok,
        f"{year}年{label}培训 {trained}/{total} 人，培训率 {_percent(rate, need)}，{word} {_percent(need)}",
        path,
        params=params(year=year, trained=trained, total=total, percent=rate, minimum_percent=need),
    )


def art5_training_management(ctx: Context) -> Iterator[Outcome]:
    """Training rate of management and R&D staff of at least ``training_management_percent``."""
    return _training(ctx, ART5_TRAINING_MANAGEMENT.id, "management_rd")


ART5_TRAINING_MANAGEMENT = EligibilityRule(
    "art5.training-management",
    "第五条第六项",
    "error",
    "管理层及研发人员培训率 {training_management_percent}% 以上",
    reserve_reference=True,
    check=art5_training_management,
    needs=("training",),
)


def art5_training_employees(ctx: Context) -> Iterator[Outcome]:
    """Training rate of all employees of at least ``training_employees_percent``."""
    return _training(ctx, ART5_TRAINING_EMPLOYEES.id, "employees")


ART5_TRAINING_EMPLOYEES = EligibilityRule(
    "art5.training-employees", "第五条第六项", "error", "员工培训率 {training_employees_percent}% 以上", reserve_reference=True,
    check=art5_training_employees,
    needs=("training",),
)


def art6_reserve(ctx: Context) -> Iterator[Outcome]:
    """A reserve enterprise states why it is recommended (distinctive and effective IP work)."""
    if ctx.record.category != ART6_RESERVE.category:
        yield Outcome(ART6_RESERVE.id, None, "优势企业，不适用第六条")
    elif ctx.record.recommendation and ctx.record.recommendation.strip():
        yield Outcome(ART6_RESERVE.id, True, "储备企业，已填写推荐理由；第五条的条件只作参照（提示）", ("recommendation",))
    else:
        yield Outcome(ART6_RESERVE.id, False, "储备企业（category: reserve）须填写推荐理由 recommendation", ("category",))


ART6_RESERVE = EligibilityRule(
    "art6.reserve", "第六条", "error", "储备企业须有推荐理由；第五条的条件对其只作参照（提示）", check=art6_reserve,
    needs=("recommendation",), category="reserve",
)
