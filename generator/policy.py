"""policy.yml -> PolicyHistory: every threshold and period of the measures, validated by its schema.

A value may change over time (ARCHITECTURE.md section 7): ``key: {values: {2023-06-01: 3000000, 2028-01-01: 5000000},
reference: 文号}``. Two types keep history and day apart. ``PolicyHistory`` (what ``load_policy`` returns) is the
measures with every dated value; it has no value attributes. ``PolicyHistory.on(day)`` is the one accessor: the
``Policy`` in force on ``day``, whose attributes are the values of that day (a rule at the evaluation date D, a period
on the day it starts). An undated read (``history.validity_years``) does not type-check.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, fields, replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

from generator.errors import ConfigurationError
from generator.findings import Finding
from generator.labels import STATUS_ZH
from generator.loader import Loaded, load_file
from generator.rules import SCHEMA
from generator.schema import POLICY_SCHEMA, load_schema, schema_findings


class PolicyError(ConfigurationError):
    """policy.yml is missing or invalid: a configuration error (exit code 2)."""


@dataclass(frozen=True)
class Measures:
    """One version of the measures (policy.yml ``measures`` and its ``versions``): in force from ``in_force`` until the
    next version's. ``articles`` maps rule ids to the article of this version where it was renumbered."""

    name: str
    document: str | None
    issued: date | None
    in_force: date
    text: str | None
    articles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Office:
    """policy.yml ``documents``: what the bureau's documents say of it (ARCHITECTURE.md section 8)."""

    organ: str = "西平县市场监督管理局"  # 署名: the organ's full name, as on its seal
    county: str = "西平县"  # the county, as titles and certificates name it (西平县知识产权优势企业)
    cc: tuple[str, ...] = ()  # 抄送
    printer: str = "西平县市场监督管理局办公室"  # 印发机关
    office: str = "知识产权股"  # who answers questions
    phone: str = ""
    address: str = ""
    reconsideration: str = "西平县人民政府"  # where a 行政复议 is applied for
    court: str = "西平县人民法院"  # where a 行政诉讼 is brought
    public: bool = True  # 附注（此件公开发布）

    def unfilled(self) -> list[str]:
        """The contact of the review letters (``documents.office``, ``phone``, ``address``) still empty or an example:
        请填写, 待填写, 示例 or 请改为 in it, or a telephone of seven equal digits (0396-0000000). The one such test."""
        example = re.compile(r"请填写|待填写|示例|请改为|(\d)\1{6}")
        return [f"documents.{key}" for key in ("office", "phone", "address")
                if not (value := str(getattr(self, key)).strip()) or example.search(value.replace("-", ""))]


@dataclass(frozen=True)
class Policy:
    """The values of the measures in force on one day (``PolicyHistory.on(day)``): what rules, periods and outputs
    read. It has no ``on``: the day is chosen where the history is."""

    name: str
    issuer: str
    validity_years: int
    reserve_validity_years: int
    review_notice_days: int
    review_early_days: int
    review_pending_years: int
    grace_years: int
    ban_years: int
    province_code: str
    county_code: str
    legal_person_prefixes: tuple[str, ...]
    operating_years: int
    lookback_years: int
    recent_years_mode: str
    finance_year_offset: int
    revenue_min: int
    patent_revenue_share_percent: Fraction
    training_management_percent: Fraction
    training_employees_percent: Fraction
    standard_2013_until: date
    certificate_format: str
    issuer_mark: str
    review_submit_days: int
    document_pattern: str
    priority_support_statuses: tuple[str, ...] = ("valid", "review_due", "under_review", "conditional")
    certificate_recovery_days: int = 30
    documents: Office = Office()

    def values(self) -> dict[str, object]:
        """The values rule summaries are written with ({name} in ``Rule.summary``)."""
        out: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in NOT_VALUES}
        out["legal_person_prefixes"] = "、".join(self.legal_person_prefixes)
        out["priority_support_statuses"] = "、".join(f"“{STATUS_ZH[s]}”" for s in self.priority_support_statuses)
        return out


class Change(NamedTuple):
    """A dated change: from ``day`` on, ``key`` is ``after``, not ``before``, by ``reference`` (the key's 文号, or None)."""

    day: date
    key: str
    before: Any
    after: Any
    reference: str | None


@dataclass(frozen=True)
class PolicyHistory:
    """policy.yml as loaded: the measures with every dated value. It has no value attributes (and no ``__getattr__``):
    a value is read on a day, ``history.on(day).validity_years``."""

    # the values in force from the start (before any dated change): read directly only where the registry chose one
    # value for every day (ARCHITECTURE.md section 7: the ranking's lookback_years, the duplicate check's
    # certificate_format), else through ``on``
    first: Policy
    # key -> ((first day, value), ...) in date order, for the keys whose value changes over time
    dated: tuple[tuple[str, tuple[tuple[date, Any], ...]], ...] = ()
    references: tuple[tuple[str, str], ...] = ()  # key -> the 文号 of its change (``reference``)
    measures: tuple[Measures, ...] = ()  # every version of the measures, oldest first (empty: not stated)

    def on(self, day: date) -> Policy:
        """The policy in force on ``day``: each dated key takes the value of its latest date not after ``day`` (the
        first value before the first date), and ``name`` is that of the measures in force. The one accessor of "the
        value of K on D"."""
        return self.first if not self.dated and len(self.measures) < 2 else _on(self, day)

    def measures_on(self, day: date) -> Measures | None:
        """The version of the measures in force on ``day`` (the first version before its date; None: not stated)."""
        found = [m for m in self.measures if m.in_force <= day]
        return found[-1] if found else (self.measures[0] if self.measures else None)

    def article(self, rule: str, day: date, default: str | None) -> str | None:
        """The article that states ``rule`` in the version in force on ``day`` (renumbered articles)."""
        version = self.measures_on(day)
        return dict(version.articles).get(rule, default) if version else default

    def changes(self) -> list[Change]:
        """Every dated change after the first value, in date order (then in policy.yml's order of keys): what the
        policy page, the guide and the open data publish (ARCHITECTURE.md section 7)."""
        refs, order = dict(self.references), [f.name for f in fields(Policy)]
        out = [Change(d, key, steps[i - 1][1], v, refs.get(key)) for key, steps in self.dated for i, (d, v) in enumerate(steps) if i]
        return sorted(out, key=lambda c: (c.day, order.index(c.key)))

    def steps(self, key: str) -> tuple[tuple[date | None, Any], ...]:
        """(first day, value) of ``key`` over time; the first from the measures' ``in_force`` (None: not stated)."""
        start = self.measures[0].in_force if self.measures else None
        dated = dict(self.dated).get(key)
        return ((start, getattr(self.first, key)),) + (tuple(dated[1:]) if dated else ())


NOT_VALUES = ("documents",)


@functools.lru_cache(maxsize=4096)
def _on(policy: PolicyHistory, day: date) -> Policy:
    values: dict[str, Any] = {}
    version = policy.measures_on(day)
    if version is not None and len(policy.measures) > 1:
        values["name"] = version.name
    for key, steps in policy.dated:
        i = bisect.bisect_right([d for d, _ in steps], day) - 1
        values[key] = steps[max(i, 0)][1]
    return replace(policy.first, **values)


def defaults() -> dict[str, Any]:
    """Xiping's values, as the schema's ``default`` keywords state them."""
    props = load_schema(POLICY_SCHEMA)["properties"]
    return {name: spec["default"] for name, spec in props.items() if "default" in spec}


def _convert(name: str, value: Any) -> Any:
    if name.endswith("_percent"):
        return Fraction(str(value))
    if name == "standard_2013_until":
        return date.fromisoformat(value)
    if name in ("legal_person_prefixes", "priority_support_statuses"):
        return tuple(value)
    return value


def policy_from_mapping(values: dict[str, Any]) -> PolicyHistory:
    """A PolicyHistory from plain values and dated ones (``{values: {day: value}, reference: ...}``, already validated)."""
    merged = {**defaults(), **values}
    converted: dict[str, Any] = {}
    dated: list[tuple[str, tuple[tuple[date, Any], ...]]] = []
    references: list[tuple[str, str]] = []
    for f in fields(Policy):
        if f.name in NOT_VALUES:
            continue
        value = merged[f.name]
        if _is_dated(value):
            steps = tuple(sorted((_day(day), _convert(f.name, v)) for day, v in value["values"].items()))
            converted[f.name] = steps[0][1]
            if len(steps) > 1:
                dated.append((f.name, steps))
            if value.get("reference"):
                references.append((f.name, str(value["reference"])))
        else:
            converted[f.name] = _convert(f.name, value)
    return PolicyHistory(Policy(**converted, documents=_office(merged.get("documents"))), dated=tuple(dated),
                         references=tuple(references), measures=_measures(merged.get("measures")))


def _office(raw: Any) -> Office:
    if not isinstance(raw, dict):
        return Office()
    known = {f.name for f in fields(Office)}
    values: dict[str, Any] = {k: (tuple(v) if k == "cc" else v) for k, v in raw.items() if k in known}
    return Office(**values)


def _measures(raw: Any) -> tuple[Measures, ...]:
    if not isinstance(raw, dict):
        return ()
    out = []
    for item in [raw, *raw.get("versions", ())]:
        issued = item.get("issued")
        out.append(Measures(item["name"], item.get("document"), _day(issued) if issued else None, _day(item["in_force"]),
                            item.get("text"), tuple(sorted((item.get("articles") or {}).items()))))
    return tuple(out)


def _is_dated(value: Any) -> bool:
    return isinstance(value, dict) and "values" in value


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def default_policy() -> PolicyHistory:
    return policy_from_mapping({})


def load_policy(path: Path) -> PolicyHistory:
    """Read and validate ``path``; raises PolicyError with Chinese messages on any problem."""
    if not path.is_file():
        raise PolicyError(f"找不到政策参数文件 {path}：请在登记簿根目录运行，或用 --policy 指定")
    return policy_from_loaded(load_file(path))


def policy_from_loaded(loaded: Loaded) -> PolicyHistory:
    """Validate a loaded policy.yml; raises PolicyError with Chinese messages on any problem.

    A dated key is checked for its form here (dates valid and in order, at least one value, a 文号 as reference);
    each of its values is then checked by the schema like a plain value, one snapshot per date, so every value
    meets the same rules (type, range) as the key's plain form."""
    problems = list(loaded.findings)
    if loaded.data is not None:
        problems += dated_findings(loaded)
        if not problems:
            seen: set[str] = set()
            for snapshot in _snapshots(loaded):
                for p in schema_findings(snapshot, POLICY_SCHEMA):
                    if p.message not in seen:
                        seen.add(p.message)
                        problems.append(p)
    if not problems and loaded.data is not None:
        problems += _pattern_findings(loaded)
    if problems or loaded.data is None:
        lines = [f"{p.file}:{p.line}:{p.column}: {p.message}" for p in sorted(problems, key=lambda p: (p.line, p.column))]
        raise PolicyError("政策参数文件有误：\n" + "\n".join(lines))
    return policy_from_mapping(loaded.data)


def _pattern_findings(loaded: Loaded) -> list[Finding]:
    """document_pattern is a regular expression with a group named year."""
    import re

    assert loaded.data is not None
    raw = loaded.data.get("document_pattern")
    if raw is None:
        return []
    patterns = list(raw["values"].values()) if _is_dated(raw) else [raw]
    out = []
    for pattern in patterns:
        try:
            compiled = re.compile(str(pattern))
        except re.error as exc:
            why = f"不是有效的正则表达式（{exc}）"
        else:
            if "year" in compiled.groupindex:
                continue
            why = "缺少年份分组 (?P<year>\\d{4})"
        line, column = loaded.positions.at(("document_pattern",))
        out.append(SCHEMA.finding(loaded.file, line, column, f"document_pattern {pattern} {why}"))
    return out


def dated_findings(loaded: Loaded) -> list[Finding]:
    """The form of every dated key: ``values`` a mapping of YYYY-MM-DD dates in ascending order to values, an
    optional ``reference`` (the 文号 of the change), nothing else."""
    assert loaded.data is not None
    out: list[Finding] = []
    measures = loaded.data.get("measures")
    start = None
    if isinstance(measures, dict) and isinstance(measures.get("in_force"), str):
        try:
            start = date.fromisoformat(measures["in_force"])
        except ValueError:
            start = None  # the schema words it

    def bad(path: tuple[str | int, ...], message: str) -> None:
        line, column = loaded.positions.at(path)
        out.append(SCHEMA.finding(loaded.file, line, column, message))

    if isinstance(measures, dict) and isinstance(measures.get("versions"), list):
        starts = [str(v.get("in_force")) for v in [measures, *measures["versions"]] if isinstance(v, dict)]
        if starts != sorted(starts):
            bad(("measures", "versions"), "measures.versions 应按施行日期从早到晚排列，且都晚于 measures.in_force")

    for key, value in loaded.data.items():
        if not isinstance(value, dict) or key in ("measures", "documents"):
            continue
        if "values" not in value:
            bad((key,), f"{key}：按日期变化的值写作 {key}: {{values: {{2023-06-01: 旧值, 2028-01-01: 新值}}, reference: 文号}}")
            continue
        extra = sorted(set(value) - {"values", "reference"})
        if extra:
            bad((key, extra[0]), f"{key} 中只能有 values 和 reference，不能有 {'、'.join(extra)}")
        if value.get("reference") is not None and not isinstance(value["reference"], str):
            bad((key, "reference"), f"{key}.reference 是修订的文号，应为文字")
        steps = value["values"]
        if not isinstance(steps, dict) or not steps:
            bad((key, "values"), f"{key}.values 应为“日期: 值”的列表，至少一项")
            continue
        days: list[date] = []
        for day in steps:
            try:
                days.append(_day(day))
            except ValueError:
                bad((key, "values", day), f"{key}.values 中的 {day} 不是日期：请写作 YYYY-MM-DD")
        if days != sorted(days) or len(set(days)) != len(days):
            bad((key, "values"), f"{key}.values 的日期应从早到晚排列，每个日期只写一次")
        elif start is not None and days and days[0] > start:
            first = days[0]
            why = f"施行之日起的值也要写（第一个日期写 {start}）"
            bad((key, "values"), f"{key}.values 的第一个日期 {first} 晚于办法施行日期 {start}：{why}")
    return out


def _snapshots(loaded: Loaded) -> list[Loaded]:
    """One document per date on which some dated key takes a value: each dated key replaced by its value of that
    date (the first value before its first date), at its own line."""
    assert loaded.data is not None
    data = loaded.data
    dated = {k: v["values"] for k, v in data.items() if k not in ("measures", "documents") and _is_dated(v)}
    days: list[date | None] = [*sorted({_day(d) for steps in dated.values() for d in steps})] or [None]
    out = []
    for day in days:
        snapshot = dict(data)
        for key, steps in dated.items():
            ordered = sorted(steps.items(), key=lambda item: _day(item[0]))
            chosen = [v for d, v in ordered if day is None or _day(d) <= day] or [ordered[0][1]]
            snapshot[key] = chosen[-1]
        out.append(Loaded(loaded.file, snapshot, loaded.positions, ()))
    return out
