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
from tests.helpers import ROOT, SAMPLES

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
    assert top == {
        "uscc",
        "name",
        "established",
        "legal_person",
        "industry",
        "main_products",
        "address",
        "website",
        "category",
        "recommendation",
        "compliance",
        "patents",
        "trademarks",
        "copyrights",
        "trade_secret_measures",
        "industry_standing",
        "key_industry",
        "conduct",
        "honors",
        "ip_management",
        "finance",
        "training",
        "events",
        "imported",  # design section 11 (v4): ipreg import
        "recommended_by",  # design section 10 (v4): Art. 6, 11, 13 and 3
        "services",
        "priority_support",
        "supervision",
    }


def test_unicode_names_are_accepted() -> None:
    validator = Draft202012Validator(json.loads(ENTERPRISE_SCHEMA.read_text(encoding="utf-8"))["properties"]["name"])
    for name in ["西平县𠀀示例<b>&|*[x]`有限公司", "Ünïcödé Co.", "🚜 农机"]:
        assert list(validator.iter_errors(name)) == []


def test_records_start_with_schema_comment() -> None:
    for path in sorted((SAMPLES / "records").glob("*.yaml")):
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schemas/enterprise.schema.json\n"), path


@pytest.mark.slow
def test_check_jsonschema_accepts_sample_records() -> None:
    """A second, independent validator agrees with our schema on the sample records."""
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert exe, "check-jsonschema is in the lock file"
    records = sorted(str(p) for p in (ROOT / "tests" / "cases" / "valid").glob("*.yaml"))  # never the live records/
    result = subprocess.run(
        [exe, "--schemafile", str(ENTERPRISE_SCHEMA), *records], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_check_jsonschema_rejects_a_bad_record(tmp_path: Path) -> None:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert exe
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "tests/cases/invalid/schema/unknown-key.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run(
        [exe, "--schemafile", str(ENTERPRISE_SCHEMA), str(bad)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 1


def test_policy_yml_holds_xiping_values_equal_to_schema_defaults() -> None:
    assert load_policy(SAMPLES / "policy.yml") == default_policy()
    loaded = load_file(SAMPLES / "policy.yml")
    assert loaded.data is not None
    assert set(loaded.data) == set(json.loads(POLICY_SCHEMA.read_text(encoding="utf-8"))["properties"])


def _string_paths(node: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _string_paths(v, path + (k,))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _string_paths(v, path + (i,))]
    return [path] if isinstance(node, str) else []


@pytest.mark.slow
def test_validators_agree_on_trailing_newlines_and_spaces() -> None:
    """Python's re lets ``$`` match before a final newline, jsonschema-rs does not: the detailed validator reads
    ``$`` as ECMA-262 does, so both give the same verdict for every string of every case with a newline added."""
    import copy

    from generator.schema import fast_validator_for, validator_for
    from tests.helpers import CASES

    fast, slow = fast_validator_for(ENTERPRISE_SCHEMA), validator_for(ENTERPRISE_SCHEMA)
    documents = [d for d in (load_file(p).data for p in sorted(CASES.rglob("*.yaml")) if p.stat().st_size < 100_000) if d is not None]
    checked = refused = 0
    for base in documents:
        for path in _string_paths(base):
            for change in (lambda v: v + "\n", lambda v: "\n" + v, lambda v: v + " ", lambda v: v + "\n\n"):
                doc = copy.deepcopy(base)
                node = doc
                for part in path[:-1]:
                    node = node[part]
                node[path[-1]] = change(node[path[-1]])
                verdict = fast.is_valid(doc)
                assert verdict == (not any(True for _ in slow.iter_errors(doc))), (path, node[path[-1]])
                checked += 1
                refused += not verdict
    assert checked > 2000 and refused > 500


BAD_URLS = [
    'https://example.com/"onmouseover="x',
    "https://example.com/<script>",
    "https://example.com/\nhttps://evil.invalid/",
    "javascript:alert(1)",
    "data:text/html,x",
    "ftp://example.com/",
    "https://exa mple.com/",
    "https://example.com/`x`",
    "https://example.com/\\x",
    "https://example.com/\n",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_published_schemas_refuse_what_the_site_would_not_link(url: str) -> None:
    """The schema itself refuses a website the site would drop (today's checker and every editor agree)."""
    import jsonschema_rs

    from generator.schema import validator_for
    from generator.site.escape import safe_url

    record = json.loads(ENTERPRISE_SCHEMA.read_text(encoding="utf-8"))["properties"]["website"]
    public = json.loads((ROOT / "schemas" / "public-enterprises.schema.json").read_text(encoding="utf-8"))
    published = public["properties"]["enterprises"]["items"]["properties"]["website"]
    for schema in (record, published):
        assert not jsonschema_rs.validator_for(schema).is_valid(url)
    assert any(list(e.absolute_path) == ["website"] for e in validator_for(ENTERPRISE_SCHEMA).iter_errors({"website": url}))
    assert safe_url(url) is None


def test_the_detailed_validator_looks_only_where_the_fast_one_found_a_problem() -> None:
    """Issue 36/39: for a record jsonschema-rs refuses, jsonschema looks only into the top-level fields with a problem
    (a record with twenty services took milliseconds more per error otherwise); the findings are those of a full look,
    on every invalid case, every sample, and a record with problems in three fields, one unknown field and a service."""
    from generator.loader import load_text
    from generator.schema import counted_schema_findings

    files = sorted((ROOT / "tests" / "cases").rglob("*.yaml")) + sorted((SAMPLES / "records").glob("*.yaml"))
    loaded = [load_file(f) for f in files]
    text = (SAMPLES / "records").joinpath(sorted(p.name for p in (SAMPLES / "records").glob("*.yaml"))[0]).read_text(encoding="utf-8")
    text = text.replace("legal_person:", "legal_persn:", 1) + "services:\n  - date: 2025-01-02\n    kind: training\n    title: 培训\n"
    loaded.append(load_text(text, "x.yaml"))
    refused = [x for x in loaded if counted_schema_findings(x, focus=False)[0]]
    assert len(refused) > 40
    for x in loaded:
        assert counted_schema_findings(x) == counted_schema_findings(x, focus=False), x.file


def test_field_schema_follows_a_ref_at_every_step_of_the_path() -> None:
    """One function finds a field's schema for the checks and the form editor: a list whose items are a ``$ref``, a ``$ref``
    on the way, a ``$ref`` at the end; the node's own title wins over the definition's."""
    from generator.schema import field_schema, load_schema

    schema = {
        "$defs": {
            "item": {"type": "object", "properties": {"on": {"$ref": "#/$defs/day", "title": "日期"}}},
            "day": {"type": "string", "format": "date", "title": "某日"},
        },
        "properties": {"list": {"type": "array", "items": {"$ref": "#/$defs/item"}}, "one": {"$ref": "#/$defs/item", "title": "一项"}},
    }
    assert field_schema(schema, ("list", 2, "on")) == {"type": "string", "format": "date", "title": "日期"}
    assert field_schema(schema, ("one", "on"))["format"] == "date" and field_schema(schema, ("one",))["title"] == "一项"
    assert field_schema(schema, ("list", 0, "nothing")) == {}
    granted = field_schema(load_schema(ENTERPRISE_SCHEMA), ("patents", 2, "granted"))
    assert granted["format"] == "date" and granted["title"] == "授权公告日"
