"""The catalogue: every rule declared once, as a module-level ``Rule`` with its id, article, severity and summary.

A ``Rule`` registers itself in ``CATALOGUE`` when it is declared (as yamllint's rule modules and frictionless'
error classes do); code that reports a finding or an outcome names the constant (``ART5_REVENUE``), never the id
text, so an id, an article or a severity is written in exactly one place. Summaries are templates whose
``{name}`` fields are policy.yml values (``Rule.describe``).

Two kinds of declaration, one place each:

- here, the rules the core emits itself: format rules (implemented by the loader, the schema layer and ``records``),
  ``registry.duplicate``, ``privacy.personal`` and ``internal.error``;
- in ``art4``, ``art5`` (with Art. 6) and ``art8``, the eligibility rules, each an ``base.EligibilityRule`` declared
  just below the function that checks it (``check=``), as OpenFisca declares a variable with its formula.
  ``eligibility.ELIGIBILITY`` derives their order of evaluation, ``eligibility.RULES`` the whole catalogue in the
  order of docs/checks.md's table.

``CATALOGUE`` therefore holds the eligibility rules once their modules are imported (``eligibility`` imports them
all): look a rule up here by id, list all of them from ``eligibility.RULES``. docs/checks.md and ``ipreg explain``
show what is declared.

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
EVENTS_FUTURE = Rule(
    "events.future", None, "error", "事件日期及其证书送达、收回和审核日期（delivered、recovered、assessment.date）不得晚于今天"
)
EVENTS_DOCUMENT = Rule(
    "events.document", None, "error",
    "决定的文号写作“机关代字〔年份〕序号号”（document_pattern），年份与决定日期同年（不同年为提示，本登记簿的约定）",
)
EVENTS_APPLIED = Rule("events.applied", None, "error", "申报中的企业须录入申报日期（applied 事件），备案条件按申报日期评估")
REGISTRY_DUPLICATE = Rule(
    "registry.duplicate", None, "error",
    "同一统一社会信用代码、企业名称、证书编号、专利申请号或商标注册号不得出现两次；一个文号只用于一个日期的决定",
)
DATA_CONSISTENCY = Rule(
    "data.consistency", None, "error",
    "数据前后一致（受训人数不超过总人数、到期不早于开始、证书送达不早于颁发、证书只在撤销以后收回且不早于撤销等）",
)
PRIVACY_PERSONAL = Rule(
    "privacy.personal", None, "error", "记录中不得有电话号码、身份证号码、电子邮件地址或“联系人某某”等个人信息（本登记簿的约定）"
)
IMPORTED_HISTORY = Rule(
    "imported.history", None, "warning",
    "导入的历史决定不按本登记簿复核第四条至第六条的条件；首次复核前须补齐名单中没有的内容（本登记簿的约定）",
)
IMPORTED_INCOMPLETE = Rule(
    "imported.incomplete", None, "error", "导入的记录在导入日期以后有申报或决定时，须补齐完整记录的必填内容（本登记簿的约定）"
)
INTERNAL_ERROR = Rule("internal.error", None, "error", "程序内部错误：这个文件未能检查完，其他文件照常检查（请报告维护人员）")

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
