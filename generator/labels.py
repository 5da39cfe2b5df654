"""Every Chinese label of the registry, in one place: statuses, causes, events, categories, honors, deadlines.

Pages, open data, CLI tables, documents and messages all take their words from here, so the same
thing is never called two names.
"""

from __future__ import annotations

STATUS_ZH = {
    "pending": "申报中",
    "valid": "有效",
    "review_due": "待复核",
    "under_review": "复核中",
    "conditional": "保留资格",
    "lapsed": "逾期未复核",
    "revoked": "已撤销",
    "withdrawn": "已退出",
}
# What each status means, in words a citizen understands (the list page's legend, the enterprise page, the guide).
# No number here: the periods are policy.yml's (the guide states them), and each enterprise page gives its own dates.
STATUS_MEANING_ZH = {
    "pending": "已提交申报，尚未作出备案决定（不在公开名单中，本站不显示）。",
    "valid": "在有效期内，列入公开名单。",
    "review_due": "有效期即将届满，将参加复核；仍在有效期内，列入公开名单。",
    "under_review": "有效期已届满，正在复核，复核结果作出前仍列入公开名单（复核期限是本登记簿的约定）。",
    "conditional": "复核未通过，在保留资格期内再次参加复核；仍列入公开名单。",
    "lapsed": "复核期限或保留资格期已过，还没有复核结果，暂不列入公开名单，等待备案机关作出决定（本登记簿的约定，办法没有规定）。",
    "revoked": "被取消强企资格，不在公开名单中；因重大违法违规被取消的，禁止申请期内不得再申请备案。",
    "withdrawn": "企业申请退出，不在公开名单中。",
}
CAUSE_ZH = {
    "revoked": "重大违法违规，取消资格",
    "violation": "除名后查实有效期内的重大违法违规，取消资格",
    "withdrawn": "企业申请退出",
    "review_absent": "未参加复核",
    "review_absent_lapsed": "逾期后未参加复核",
    "review_failed_twice": "保留资格期内复核仍未通过",
    "review_failed_lapsed": "逾期后复核未通过",
    "review_overdue": "有效期满后复核期限已过，仍无复核结果",
    "grace_expired": "保留资格期满，仍无复核结果",
}
EVENT_ZH = {
    "applied": "申报",
    "filed": "备案确定",
    "review_passed": "复核通过",
    "review_failed": "复核未通过",
    "review_absent": "未参加复核",
    "revoked": "取消资格",
    "withdrawn": "企业申请退出",
}
# the decisions as the site's yearly chart and table name them, in short where a legend has little room
EVENT_SHORT_ZH = {
    "filed": "备案",
    **{k: EVENT_ZH[k] for k in ("review_passed", "review_failed", "review_absent", "revoked")},
    "withdrawn": "退出",
}
# what a clerk may type for a decision (ipreg decide --type): the code, its label, or a short word
DECISION_WORDS_ZH = {"备案": "filed", "退出": "withdrawn", "撤销": "revoked"}
CATEGORY_ZH = {"advantage": "知识产权优势企业", "reserve": "储备企业"}
# what ipreg import did with a row of a list (the report's 结果 column)
IMPORT_OUTCOME_ZH = {"new": "新建", "appended": "追加", "present": "已有", "error": "错误"}
HONOR_ZH = {
    "specialized_new": "省级专精特新企业",
    "little_giant": "国家级专精特新“小巨人”企业",
    "high_tech": "高新技术企业",
    "tech_sme": "科技型中小企业",
    "patent_award": "省级以上专利奖",
    "well_known_trademark": "驰名商标",
}
DUE_KIND_ZH = {
    "term_end": "有效期届满",
    "review_deadline": "复核期限届满",
    "grace_until": "保留资格期届满",
    "ban_until": "禁止申请期届满",
    "lapsed": "逾期未复核，须录入结果",
}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
# the dates of a status, as every table, export and page heads them
DATE_ZH = {
    "ended_on": "终止于",
    "term_start": "有效期起",
    "term_end": "有效期至",
    "review_deadline": "复核期限",
    "grace_until": "保留资格至",
    "ban_until": "禁止申请至",
    "next_deadline": "下一期限",
}
# what the measures do not say and this registry chose, as the enterprise page names it (never as an article)
CONVENTION_ZH = {
    "reserve_term": "储备企业的有效期（办法只规定了优势企业的有效期）",
    "review_notice": "“待复核”的提醒期",
    "review_deadline": "复核期限（办法没有规定复核的期限）",
    "lapsed": "“逾期未复核”状态",
}
# the date a cycle ended, as the list and the enterprise page head it for each way of ending
ENDED_ON_ZH = {"lapsed": "不再列出自", "revoked": "撤销于", "withdrawn": "退出于"}
# how a cycle ended, as the enterprise page's lifecycle chart marks the day
ENDED_SHORT_ZH = {"withdrawn": "退出", "revoked": "撤销", "lapsed": "移出名单"}
PATENT_TYPE_ZH = {"invention": "发明", "utility_model": "实用新型", "design": "外观设计"}
SCOPE_ZH = {"county": "本地区（县内）", "province": "省内"}
# the public fields of a record (Record attributes) as messages and ``ipreg diff`` name them
FIELD_ZH = {
    "uscc": "统一社会信用代码",
    "name": "企业名称",
    "category": "类别",
    "industry_code": "行业代码",
    "industry_name": "行业名称",
    "main_products": "主营产品",
    "address": "地址",
    "website": "网站",
}
# every value of policy.yml as the published change lists name it (the policy page, the guide, data/policy.json), and the
# unit the guide writes after it ("" for a value shown as it is written); revenue_min is shown in 万元 (policy.yml: 元)
POLICY_VALUE_ZH = {
    "validity_years": ("知识产权优势企业备案有效期", "年"),
    "reserve_validity_years": ("储备企业备案有效期", "年"),
    "review_notice_days": ("“待复核”提醒期（有效期届满前）", "天"),
    "review_early_days": ("复核结果最早可在有效期届满前作出的天数", "天"),
    "review_pending_years": ("有效期满后的复核期限", "年"),
    "grace_years": ("复核未通过的保留资格期", "年"),
    "ban_years": ("取消资格后不得申请备案的期限", "年"),
    "province_code": ("注册地的省级行政区划代码", ""),
    "county_code": ("辖区的县级行政区划代码", ""),
    "legal_person_prefixes": ("认定企业法人的统一社会信用代码前缀", ""),
    "operating_years": ("连续生产经营年限", "年"),
    "lookback_years": ("“近三年”的年数", "年"),
    "recent_years_mode": ("“近三年”的算法", ""),
    "finance_year_offset": ("财务和培训数据所属年份（评估日所在年份之前）", "年"),
    "revenue_min": ("上一年度营业收入下限", "万元"),
    "patent_revenue_share_percent": ("专利相关收入占营业收入的比例下限", "%"),
    "training_management_percent": ("管理层及研发人员知识产权培训率下限", "%"),
    "training_employees_percent": ("员工知识产权培训率下限", "%"),
    "standard_2013_until": ("GB/T 29490-2013 认证证书过渡期截止日", ""),
    "certificate_format": ("证书编号格式", ""),
    "issuer_mark": ("发文机关标志", ""),
    "review_submit_days": ("复核材料提交期限（有效期届满前）", "天"),
    "document_pattern": ("决定文号格式", ""),
    "priority_support_statuses": ("可获优先支持（第十三条“通过备案的”）的状态", ""),
    "certificate_recovery_days": ("取消资格后收回证书的期限", "天"),
    "name": ("政策名称", ""),
    "issuer": ("发布机关", ""),
}
RECENT_YEARS_MODE_ZH = {"rolling": "评估日前连续计算", "calendar": "按评估日所在年份之前的自然年计算"}
# the dated changes of policy values, as the policy page, the guide and data/policy.json group them on the data date
REVISION_STATE_ZH = {"in_force": "已经施行", "coming": "已经决定、尚未施行"}
# JSON Schema types and what YAML read a scalar as, as the schema's messages name them
JSON_TYPE_ZH = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "object": "“字段: 值”的映射",
    "array": "列表（每项以“- ”开头）",
    "null": "空值",
}
YAML_KIND_ZH = {"int": "整数", "float": "小数", "bool": "布尔值", "null": "空值"}
CHANGE_ZH = {"added": "新增", "modified": "修改", "deleted": "删除", "affected": "未改动（结果有变化）"}
INFRINGEMENT_KIND_ZH = {"administrative": "行政", "judicial": "司法"}
STANDARD_STATUS_ZH = {"implementing": "正在开展实施工作", "implemented": "已实施", "certified": "已认证"}
POLICY_ZH = {"management": "管理", "incentive": "激励", "constraint": "约束"}
# what the bureau does for and with listed enterprises (design section 10): the services of Art. 11 by item, the
# programmes of Art. 13 with their outcomes, and the supervision of Art. 3 with its findings
SERVICE_KIND_ZH = {
    "matchmaking": "供需对接与技术承接",
    "patent_navigation": "专利导航与布局",
    "commercialization": "转化运用",
    "pledge_financing": "质押融资",
    "expert_service": "专家服务",
    "training": "人才培养培训",
}
PROGRAMME_ZH = {
    "city_recommendation": "市知识产权优势企业和示范企业申报",
    "patent_navigation": "专利导航",
    "commercialization_project": "专利转化专项实施",
    "pledge_financing": "专利权质押融资",
    "information_service": "专利信息服务",
    "high_value_patent": "高价值专利培育",
    "patent_award_recommendation": "专利奖项目推荐",
    "training": "相关培训辅导",
}
# what each kind of service of Art. 11 gives a listed enterprise, in plain words (the page 服务与支持): no article number
# here (the page cites them through the catalogue) and no county (policy.yml names it)
SERVICE_MEANING_ZH = {
    "matchmaking": "组织供需对接活动，帮助中小企业通过许可、转让、作价入股等方式承接高校和科研院所的专利技术，并在企业里实施。",
    "patent_navigation": "帮助重点产业的领军、骨干企业开展专利导航，为核心产品做好专利布局和保护，培育高价值专利。",
    "commercialization": "引导企业把专利用起来：专利分级分类管理，在国家知识产权局认可的平台办理专利产品备案和专利密集型产品认定。",
    "pledge_financing": "搭建融资对接平台，为企业用专利、商标等知识产权向银行质押贷款提供指导和支持。",
    "expert_service": "组织不同领域的专家，按企业的需要上门咨询、辅导和服务。",
    "training": "利用国家、省级的线上线下资源，为企业培训知识产权管理运营、维权保护、专利信息利用等方面的实用人才。",
}
SUPPORT_OUTCOME_ZH = {"recommended": "已推荐", "granted": "已获支持", "not_granted": "未获支持", "pending": "待定"}
# what a clerk may also type for a kind, programme or outcome (ipreg service / priority): the short names the bureau uses
# (domain.md: the programmes of Art. 13 and 推荐 / 获批 / 未获批), besides each code and its label above
SERVICE_WORDS_ZH = {"供需对接": "matchmaking", "技术承接": "matchmaking", "专利导航": "patent_navigation", "专利布局": "patent_navigation",
                    "转化": "commercialization", "专利转化": "commercialization", "专家": "expert_service", "培训": "training",
                    "人才培养": "training"}
PROGRAMME_WORDS_ZH = {"推荐市知识产权优势企业和示范企业": "city_recommendation", "市知识产权优势企业和示范企业": "city_recommendation",
                      "专利转化专项": "commercialization_project", "质押融资": "pledge_financing", "信息服务": "information_service",
                      "专利奖推荐": "patent_award_recommendation", "专利奖": "patent_award_recommendation", "培训": "training"}
OUTCOME_WORDS_ZH = {"推荐": "recommended", "获批": "granted", "已获批": "granted", "未获批": "not_granted"}
SUPERVISION_KIND_ZH = {"routine": "日常检查", "on_site": "现场检查", "complaint": "投诉核查", "other": "其他"}
FINDING_ZH = {"none": "未发现问题", "rectification_required": "责令整改", "violation_referred": "发现违法违规并移送"}
# every enumerated field of a record (its path in the schema, list items left out) and the table of its codes' Chinese
# names: a code is always named by its own field's table, never by the first table that has it (three codes are both a
# service kind of Art. 11 and a programme of Art. 13, with different words: patent_navigation, pledge_financing, training)
FIELD_ENUM_ZH: dict[tuple[str, ...], dict[str, str]] = {
    ("category",): CATEGORY_ZH,
    ("patents", "type"): PATENT_TYPE_ZH,
    ("industry_standing", "scope"): SCOPE_ZH,
    ("conduct", "infringements", "kind"): INFRINGEMENT_KIND_ZH,
    ("honors", "type"): HONOR_ZH,
    ("ip_management", "policies"): POLICY_ZH,
    ("ip_management", "standard", "status"): STANDARD_STATUS_ZH,
    ("services", "kind"): SERVICE_KIND_ZH,
    ("priority_support", "programme"): PROGRAMME_ZH,
    ("priority_support", "outcome"): SUPPORT_OUTCOME_ZH,
    ("supervision", "kind"): SUPERVISION_KIND_ZH,
    ("supervision", "finding"): FINDING_ZH,
    ("events", "type"): EVENT_ZH,
    ("events", "category"): CATEGORY_ZH,
}


def enum_labels(field: tuple[str | int, ...]) -> dict[str, str]:
    """The Chinese names of the codes of the enumerated field at ``field`` (a path in a record; list indices are ignored):
    its own table, empty for a field without one (the standard's version: 2013, 2023)."""
    return FIELD_ENUM_ZH.get(tuple(p for p in field if isinstance(p, str)), {})
