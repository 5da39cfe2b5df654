"""Schemas are code: valid 2020-12, Chinese titles everywhere, accepted by a second validator."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from generator.loader import load_file
from generator.policy import default_policy, load_policy
from generator.schema import ENTERPRISE_SCHEMA, POLICY_SCHEMA
from tests.helpers import ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("path", [ENTERPRISE_SCHEMA, POLICY_SCHEMA], ids=lambda p: p.name)
def test_schema_is_valid_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _properties(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}.{name}", sub
        for key, sub in node.items():
            if key in ("properties", "$defs"):
                for name, inner in sub.items():
                    yield from _properties(inner, f"{where}.{name}")
            elif isinstance(sub, dict):
                yield from _properties(sub, where)


@pytest.mark.parametrize("path", [ENTERPRISE_SCHEMA, POLICY_SCHEMA], ids=lambda p: p.name)
def test_every_property_has_chinese_title_and_description(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    props = list(_properties(schema))
    assert len(props) > 10
    for where, prop in props:
        assert CJK.search(prop.get("title", "")), where
        assert CJK.search(prop.get("description", "")), where


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield node
        for sub in node.values():
            yield from _objects(sub)
    elif isinstance(node, list):
        for sub in node:
            yield from _objects(sub)


def test_no_object_accepts_unknown_keys() -> None:
    schema = json.loads(ENTERPRISE_SCHEMA.read_text(encoding="utf-8"))
    objects = list(_objects(schema))
    assert len(objects) >= 15
    assert all(obj.get("additionalProperties") is False for obj in objects)


def test_schema_covers_every_field_of_the_design() -> None:
    schema = json.loads(ENTERPRISE_SCHEMA.read_text(encoding="utf-8"))
    top = set(schema["properties"])
    assert top == {"uscc", "name", "established", "legal_person", "industry", "main_products", "address", "website", "category",
                   "recommendation", "compliance", "patents", "trademarks", "copyrights", "trade_secret_measures", "conduct",
                   "honors", "ip_management", "finance", "training", "events"}


def test_unicode_names_are_accepted() -> None:
    validator = Draft202012Validator(json.loads(ENTERPRISE_SCHEMA.read_text(encoding="utf-8"))["properties"]["name"])
    for name in ["西平县𠀀示例<b>&|*[x]`有限公司", "Ünïcödé Co.", "🚜 农机"]:
        assert list(validator.iter_errors(name)) == []


def test_records_start_with_schema_comment() -> None:
    for path in sorted((ROOT / "records").glob("*.yaml")):
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schemas/enterprise.schema.json\n"), path


def test_check_jsonschema_accepts_sample_records() -> None:
    """A second, independent validator agrees with our schema on the sample records."""
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert exe, "check-jsonschema is in the lock file"
    records = sorted(str(p) for p in (ROOT / "records").glob("*.yaml"))
    result = subprocess.run([exe, "--schemafile", str(ENTERPRISE_SCHEMA), *records], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_rejects_a_bad_record(tmp_path: Path) -> None:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert exe
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "tests/cases/invalid/schema/unknown-key.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run([exe, "--schemafile", str(ENTERPRISE_SCHEMA), str(bad)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1


def test_policy_yml_holds_xiping_values_equal_to_schema_defaults() -> None:
    assert load_policy(ROOT / "policy.yml") == default_policy()
    loaded = load_file(ROOT / "policy.yml")
    assert loaded.data is not None
    assert set(loaded.data) == set(json.loads(POLICY_SCHEMA.read_text(encoding="utf-8"))["properties"])
