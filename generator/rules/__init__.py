"""The catalogue: every rule declared once, as a module-level ``Rule`` with its id, article, severity and summary.

A ``Rule`` registers itself in ``CATALOGUE`` when it is declared (as yamllint's rule modules and frictionless'
error classes do); code that reports a finding or an outcome names the constant (``ART5_REVENUE``), never the id
text, so an id, an article or a severity is written in exactly one place. Summaries are templates whose
``{name}`` fields are policy.yml values (``Rule.describe``). The per-record eligibility functions live in
``eligibility.ELIGIBILITY``; format and registry rules are implemented by the loader, the schema layer,
``records`` and ``registry``. docs/checks.md and ``ipreg explain`` are generated from this catalogue.

This module imports nothing from the checker (only ``findings``), so every layer can name its rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.findings import Finding, Param, Severity

CONVENTION = "本登记簿的约定"  # where the measures are silent and the registry chose (ARCHITECTURE.md section 3)

CATALOGUE: dict[str, Rule] = {}


@dataclass(frozen=True)
class Rule:
    """One rule. ``lifecycle``: an Art. 8 rule, evaluated for every record (also revoked and withdrawn ones);
    ``reserve_reference``: a reserve enterprise is held to it for reference only (第六条：参照第五条)."""

    id: str
    article: str | None
    severity: Severity
    summary: str  # a template: {name} is a policy.yml value (see describe)
    lifecycle: bool = False
    reserve_reference: bool = False

    def __post_init__(self) -> None:
        if self.id in CATALOGUE:
            raise ValueError(f"rule {self.id} declared twice")
        CATALOGUE[self.id] = self

    def describe(self, values: Mapping[str, object]) -> str:
        """The summary with policy.yml's values filled in (``Policy.values()``: the catalogue knows nothing of the
        policy module, which sits above it)."""
        return self.summary.format(**values)

    def finding(self, file: str, line: int, col: int, message: str, *, severity: Severity | None = None,
                params: tuple[tuple[str, Param], ...] = ()) -> Finding:
        """A finding of this rule, with its declared severity (unless overridden) and article."""
        return Finding(file, line, col, severity or self.severity, self.id, message, self.article, params)


YAML_SYNTAX = Rule("yaml.syntax", None, "error", "文件须为 UTF-8 编码、语法正确的单个 YAML 映射")
YAML_DUPLICATE_KEY = Rule("yaml.duplicate-key", None, "error", "同一层不得有重复字段")
YAML_ALIAS = Rule("yaml.alias", None, "error", "不得使用锚点（&）、别名（*）和合并键（<<）")
YAML_TYPE = Rule("yaml.type", None, "error", "编号和文字须加引号，不得使用 YAML 标签；字段名须为文字")
SCHEMA = Rule("schema", None, "error", "字段、类型、取值和日期须符合 schemas/enterprise.schema.json")
USCC_CHECKSUM = Rule("uscc.checksum", None, "error", "统一社会信用代码格式及第 17、18 位校验码正确")
FILE_NAME = Rule("file.name", None, "error", "文件名须为 <统一社会信用代码>.yaml")
PATENT_NUMBER = Rule("patent.number", None, "error", "专利申请号格式、校验位正确，类型位与专利类型一致")
INDUSTRY_CODE = Rule(
    "industry.code", None, "error", "行业代码为 GB/T 4754-2017 的大类代码，门类字母与两位大类代码相符（如 C 为 13 至 43）"
)
INDUSTRY_NAME = Rule(
    "industry.name", None, "error", "行业名称为 GB/T 4754-2017 中该大类代码的名称（2011 年版的旧名称、简称或写法不同为警告）"
)
TRADEMARK_NUMBER = Rule("trademark.number", None, "error", "商标注册号只含数字（马德里注册为 G 加数字）")
EVENTS_ORDER = Rule("events.order", None, "error", "事件按日期排列；每轮以 filed 开始，撤销或退出后须重新备案")
EVENTS_FUTURE = Rule("events.future", None, "error", "事件日期不得晚于今天")
EVENTS_DOCUMENT = Rule(
    "events.document", None, "error",
    "决定的文号写作“机关代字〔年份〕序号号”（document_pattern），年份与决定日期同年（不同年为提示，本登记簿的约定）",
)
EVENTS_APPLIED = Rule("events.applied", None, "error", "申报中的企业须录入申报日期（applied 事件），备案条件按申报日期评估")
REGISTRY_DUPLICATE = Rule(
    "registry.duplicate", None, "error",
    "同一统一社会信用代码、企业名称、证书编号、专利申请号或商标注册号不得出现两次；一个文号只用于一个日期的决定",
)
DATA_CONSISTENCY = Rule("data.consistency", None, "error", "数据前后一致（受训人数不超过总人数、到期不早于开始等）")
PRIVACY_PERSONAL = Rule(
    "privacy.personal", None, "error", "记录中不得有电话号码、身份证号码、电子邮件地址或“联系人某某”等个人信息（本登记簿的约定）"
)
INTERNAL_ERROR = Rule("internal.error", None, "error", "程序内部错误：这个文件未能检查完，其他文件照常检查（请报告维护人员）")
ART4_HENAN = Rule(
    "art4.henan", "第四条第一项", "warning", "在河南省内依法注册：代码第 3、4 位不是 {province_code} 时核实（迁入企业代码不变）"
)
ART4_JURISDICTION = Rule("art4.jurisdiction", "第七条", "warning", "登记机关为本县（{county_code}），否则须核实在辖区经营")
ART4_LEGAL_PERSON = Rule(
    "art4.legal-person", "第四条第一项", "error", "具有独立法人资格，代码以 {legal_person_prefixes} 开头（91：市场监管部门登记的企业）"
)
ART4_OPERATING_YEARS = Rule("art4.operating-years", "第四条第一项", "error", "连续生产经营 {operating_years} 年以上")
ART4_COMPLIANCE = Rule("art4.compliance", "第四条第二项", "error", "符合国家、省产业发展政策和环保要求")
ART4_OWNS_IP = Rule("art4.owns-ip", "第四条第三项", "error", "拥有有效的专利、注册商标或登记的著作权")
ART4_INFRINGEMENT = Rule("art4.infringement", "第四条第四项", "error", "近 {lookback_years} 年无行政或司法认定的侵权行为")
ART4_ABNORMAL_PATENT = Rule("art4.abnormal-patent", "第四条第四项", "error", "无非正常专利申请，或已整改到位")
ART4_DISHONESTY = Rule("art4.dishonesty", "第四条第四项", "error", "未列入严重违法失信名单；有信用修复证明的综合评估")
ART4_PREFERENCE = Rule("art4.preference", "第四条第五项", "info", "专精特新、高新技术企业等称号，同等条件下倾斜")
ART5_SYSTEM = Rule("art5.system", "第五条第一项", "error", "有分管领导、知识产权管理人员和专项经费", reserve_reference=True)
ART5_AGENCIES = Rule("art5.agencies", "第五条第一项", "warning", "能较好地利用知识产权服务（中介）机构", reserve_reference=True)
ART5_STANDARD = Rule(
    "art5.standard",
    "第五条第二项",
    "error",
    "开展 GB/T 29490 实施工作（开展实施、已实施或已认证；已认证须有证书编号）",
    reserve_reference=True,
)
ART5_POLICIES = Rule("art5.policies", "第五条第二项", "error", "建立知识产权管理、激励与约束制度", reserve_reference=True)
ART5_CREATION = Rule("art5.creation", "第五条第三项", "error", "拥有支撑主要产品的有效专利", reserve_reference=True)
ART5_LEADING = Rule(
    "art5.leading",
    "第五条第三项",
    "error",
    "本地区或省内同行业领先（备案机关的认定及依据）；登记簿内同行业排名（提示）",
    reserve_reference=True,
)
ART5_TRADEMARK = Rule("art5.trademark", "第五条第三项", "error", "拥有与主营业务相关的有效注册商标", reserve_reference=True)
ART5_PROTECTION = Rule(
    "art5.protection", "第五条第四项", "warning", "填写是否采取商业秘密保护措施；列出所用的保护方式（提示）", reserve_reference=True
)
ART5_REVENUE = Rule("art5.revenue", "第五条第五项", "error", "上年营业收入 {revenue_min:,} 元以上（含）", reserve_reference=True)
ART5_PATENT_REVENUE_SHARE = Rule(
    "art5.patent-revenue-share",
    "第五条第五项",
    "error",
    "专利相关收入占营业收入 {patent_revenue_share_percent}% 以上",
    reserve_reference=True,
)
ART5_TRAINING_MANAGEMENT = Rule(
    "art5.training-management",
    "第五条第六项",
    "error",
    "管理层及研发人员培训率 {training_management_percent}% 以上",
    reserve_reference=True,
)
ART5_TRAINING_EMPLOYEES = Rule(
    "art5.training-employees", "第五条第六项", "error", "员工培训率 {training_employees_percent}% 以上", reserve_reference=True
)
ART6_RESERVE = Rule("art6.reserve", "第六条", "error", "储备企业须有推荐理由；第五条的条件对其只作参照（提示）")
ART8_BAN = Rule(
    "art8.ban", "第八条第五项", "error", "取消资格之日起 {ban_years} 年内（含当天）不得申请备案，期内的备案无效", lifecycle=True
)
ART8_TERM_MISMATCH = Rule(
    "art8.term-mismatch", "第八条第一项", "warning", "证书印明的有效期早于计算结果（提示核对）；晚于计算结果为错误", lifecycle=True
)
ART8_EARLY_REVIEW = Rule("art8.early-review", CONVENTION, "error", "复核结果不得早于有效期届满前 {review_early_days} 天", lifecycle=True)
ART8_LAPSED = Rule("art8.lapsed", CONVENTION, "warning", "复核期限或保留资格期已过仍无结果：请录入复核结果或撤销决定", lifecycle=True)
ART8_VIOLATION_REVIEW = Rule(
    "art8.violation-review", "第八条第五项", "warning", "有效期内发生侵权认定或列入失信名单：核实是否属于重大违法违规", lifecycle=True
)

# Provisions of the measures that the documents cite and no rule checks, each with a key like a rule's id so that a
# version of the measures can renumber it too (policy.yml measures.articles); documents cite rules by their ``Rule``.
ART8_REVIEW = "art8.review"  # 有效期满后组织复核，复核通过的，有效期重新计算
ART8_GRACE = "art8.grace"  # 未通过复核的，在1年期内保留资格并参与复核
PROVISIONS = {ART8_REVIEW: "第八条第二项", ART8_GRACE: "第八条第三项"}

ARTICLE_ANCHORS = {
    "第四条第一项": "art4-1",
    "第四条第二项": "art4-2",
    "第四条第三项": "art4-3",
    "第四条第四项": "art4-4",
    "第四条第五项": "art4-5",
    "第五条第一项": "art5-1",
    "第五条第二项": "art5-2",
    "第五条第三项": "art5-3",
    "第五条第四项": "art5-4",
    "第五条第五项": "art5-5",
    "第五条第六项": "art5-6",
    "第六条": "art6",
    "第七条": "art7",
    "第八条第一项": "art8-1",
    "第八条第三项": "art8-3",
    "第八条第五项": "art8-5",
}
