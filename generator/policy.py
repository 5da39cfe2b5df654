"""policy.yml -> Policy: every threshold and period of the measures, validated by its schema."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from generator.loader import Loaded, load_file
from generator.schema import POLICY_SCHEMA, load_schema, schema_findings


class PolicyError(Exception):
    """policy.yml is missing or invalid: a configuration error (exit code 2)."""


@dataclass(frozen=True)
class Policy:
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

    def values(self) -> dict[str, object]:
        """The values rule summaries are written with ({name} in ``Rule.summary``)."""
        out: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)}
        out["legal_person_prefixes"] = "、".join(self.legal_person_prefixes)
        return out


def defaults() -> dict[str, Any]:
    """Xiping's values, as the schema's ``default`` keywords state them."""
    props = load_schema(POLICY_SCHEMA)["properties"]
    return {name: spec["default"] for name, spec in props.items() if "default" in spec}


def policy_from_mapping(values: dict[str, Any]) -> Policy:
    merged = {**defaults(), **values}
    converted: dict[str, Any] = {}
    for f in fields(Policy):
        value = merged[f.name]
        if f.name.endswith("_percent"):
            value = Fraction(str(value))
        elif f.name == "standard_2013_until":
            value = date.fromisoformat(value)
        elif f.name == "legal_person_prefixes":
            value = tuple(value)
        converted[f.name] = value
    return Policy(**converted)


def default_policy() -> Policy:
    return policy_from_mapping({})


def load_policy(path: Path) -> Policy:
    """Read and validate ``path``; raises PolicyError with Chinese messages on any problem."""
    if not path.is_file():
        raise PolicyError(f"找不到政策参数文件 {path}：请在登记簿根目录运行，或用 --policy 指定")
    return policy_from_loaded(load_file(path))


def policy_from_loaded(loaded: Loaded) -> Policy:
    """Validate a loaded policy.yml; raises PolicyError with Chinese messages on any problem."""
    problems = list(loaded.findings) + schema_findings(loaded, POLICY_SCHEMA)
    if problems or loaded.data is None:
        lines = [f"{p.file}:{p.line}:{p.column}: {p.message}" for p in problems]
        raise PolicyError("政策参数文件有误：\n" + "\n".join(lines))
    return policy_from_mapping(loaded.data)
