"""Every enumerated field is named by its own label table (issue 39): three codes (patent_navigation,
pledge_financing, training) are both a service kind of Art. 11 and a programme of Art. 13, with different words, and a
lookup across all tables showed the service's word for the programme. For every enum field of the schema, the label
the form editor, the applicant's workbook, a schema message, ``ipreg explain`` and the report show is that field's own."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from generator.commands.explain import cultivation_lines
from generator.editor.config import admin_config
from generator.hints import enum_hint
from generator.importing.fields import form_of, load_schema
from generator.labels import FIELD_ENUM_ZH, PROGRAMME_ZH, SERVICE_KIND_ZH, enum_labels
from generator.model import PrioritySupport, Service
from generator.policy import default_policy
from generator.staff.support import ledger_rows, support_year
from tests.helpers import CASES, ROOT, check_case

SCHEMA = json.loads((ROOT / "schemas" / "enterprise.schema.json").read_text(encoding="utf-8"))
SHARED = ("patent_navigation", "pledge_financing", "training")


def _enum_fields() -> dict[tuple[str, ...], list[str]]:
    """Every enumerated field of the schema by its path (list items left out), with its codes."""
    defs, out = SCHEMA.get("$defs", {}), {}

    def walk(path: tuple[str, ...], spec: dict[str, Any], seen: tuple[str, ...]) -> None:
        if not spec:
            return
        if "$ref" in spec:
            name = spec["$ref"].rsplit("/", 1)[-1]
            if name in seen:
                return
            spec, seen = {**defs[name], **{k: v for k, v in spec.items() if k != "$ref"}}, (*seen, name)
        if "enum" in spec:
            out[path] = [str(v) for v in spec["enum"]]
        for name, child in spec.get("properties", {}).items():
            walk((*path, name), child, seen)
        for child in [spec.get("items", {}), *spec.get("allOf", []), *spec.get("anyOf", []), *spec.get("oneOf", []),
                      spec.get("then", {}), spec.get("else", {})]:
            walk(path, child, seen)

    walk((), SCHEMA, ())
    return out


FIELDS = _enum_fields()


def test_every_enum_field_has_its_own_complete_table() -> None:
    unlabelled = {("ip_management", "standard", "version")}  # 2013 版, 2023 版: the number is the name
    assert set(FIELDS) - unlabelled == set(FIELD_ENUM_ZH), set(FIELDS) ^ set(FIELD_ENUM_ZH)
    for path, codes in FIELDS.items():
        if path not in unlabelled:
            assert set(enum_labels(path)) == set(codes), path
    assert all(SERVICE_KIND_ZH[c] != PROGRAMME_ZH[c] for c in SHARED)  # the clash this guards against is real


def _editor_options() -> dict[tuple[str, ...], dict[str, str]]:
    found: dict[tuple[str, ...], dict[str, str]] = {}

    def walk(fields: list[dict[str, Any]], path: tuple[str, ...]) -> None:
        for f in fields:
            here = (*path, f["name"])
            if "options" in f:
                found[here] = {o["value"]: o["label"] for o in f["options"]}
            walk(f.get("fields", []), here)

    walk(admin_config(SCHEMA)["collections"][0]["fields"], ())
    return found


def test_the_form_editor_names_each_code_by_its_field() -> None:
    options = _editor_options()
    assert set(FIELD_ENUM_ZH) <= set(options)
    for path, table in FIELD_ENUM_ZH.items():
        assert options[path] == {code: f"{name}（{code}）" for code, name in table.items()}, path
    assert options[("priority_support", "programme")]["patent_navigation"] == "专利导航（patent_navigation）"
    assert options[("services", "kind")]["patent_navigation"] == "专利导航与布局（patent_navigation）"


def test_the_applicants_workbook_names_each_code_by_its_field() -> None:
    form = form_of(load_schema())
    seen = 0
    for part in form.parts:
        for field in part.fields:
            for code in field.enum:
                assert field.label(code) == enum_labels(field.path).get(code, code), field.path
                seen += 1
        for table in part.tables:
            for column in table.columns:
                for code in column.enum:
                    assert column.label(code) == enum_labels((*table.path, *column.path)).get(code, code), table.path
                    seen += 1
    assert seen > 0


def test_a_schema_message_suggests_the_fields_own_word() -> None:
    programmes = list(PROGRAMME_ZH)
    assert enum_hint("专利导航", programmes, ("priority_support", 0, "programme")) == "“专利导航”请写作 patent_navigation（专利导航）"
    hint = enum_hint("xyz", list(SERVICE_KIND_ZH), ("services", 0, "kind"))
    assert "patent_navigation（专利导航与布局）" in hint and "training（人才培养培训）" in hint


def test_explain_and_the_report_name_a_programme_as_a_programme() -> None:
    entry = check_case(CASES / "valid" / "advantage.yaml").entries[0]  # filed 2025-06-10: listed all of 2026
    assert entry.record is not None
    record = replace(entry.record, services=tuple(
        Service(i, date(2026, 3, 1 + i), code, f"服务{i}", participants=5 if code == "training" else None,
                amount=3_000_000 if code == "pledge_financing" else None, lender="西平县测试银行" if code == "pledge_financing" else None)
        for i, code in enumerate(SHARED)
    ), priority_support=tuple(PrioritySupport(i, date(2026, 4, 1 + i), code, "granted") for i, code in enumerate(SHARED)))
    registry = check_case(CASES / "valid" / "advantage.yaml")
    lines = cultivation_lines(record, registry)
    for code in SHARED:
        assert any(f"服务（第十一条，{SERVICE_KIND_ZH[code]}）" in line for line in lines), (code, lines)
        assert any(f"优先支持（第十三条，{PROGRAMME_ZH[code]}）" in line for line in lines), (code, lines)
    rows = ledger_rows(support_year([record], default_policy(), 2026, date(2026, 11, 25)))
    assert sorted(row[4] for row in rows if row[1] == "服务") == sorted(SERVICE_KIND_ZH[c] for c in SHARED)
    assert sorted(row[4] for row in rows if row[1] == "优先支持") == sorted(PROGRAMME_ZH[c] for c in SHARED)
