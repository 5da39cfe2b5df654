"""The form editor's configuration (Decap CMS ``admin/config.yml``), generated from schemas/enterprise.schema.json.

There is no second schema: labels are the schema's Chinese titles, hints its descriptions, widgets follow the types
(dates with a date picker storing YYYY-MM-DD, enums as selects with Chinese labels from ``labels``, nested objects and
lists with their fields, booleans), ``required`` and ``pattern`` come from the schema, and the field order is the order
of ``ipreg new``'s template. One entry is one file ``records/<USCC>.yaml``; the USCC is the identifier and the slug.
What a form cannot check (check characters, the rules, cross-record duplicates) the pull request's CI does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from generator.labels import enum_labels

DATE_WIDGET = "ipreg-date"
CI_HINT = "保存后，合并请求中的自动检查会核对校验码、备案条件和重复记录，并把问题标注在对应的行上。"


def _resolve(spec: Mapping[str, Any], defs: Mapping[str, Any]) -> dict[str, Any]:
    ref = spec.get("$ref", "")
    return {**defs.get(ref.rsplit("/", 1)[-1], {}), **spec} if ref else dict(spec)


def _label_of(field: tuple[str, ...], value: str) -> str:
    """A select's option: the code's Chinese name in its own field's table (``labels.enum_labels``), then the code."""
    named = enum_labels(field).get(value)
    if named:
        return f"{named}（{value}）"
    return f"{value} 版" if value.isdigit() else value  # the standard's version: 2013 版, 2023 版


def _template_order() -> dict[tuple[str, ...], list[str]]:
    """Key order of each mapping in ``ipreg new``'s template (the form shows fields in the same order)."""
    from generator.schema import PLACEHOLDER
    from generator.template import render_template

    order: dict[tuple[str, ...], list[str]] = {}

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            keys = order.setdefault(path, [])
            for key, value in node.value:
                if key.value not in keys:
                    keys.append(key.value)
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, path)

    root = yaml.compose(render_template(PLACEHOLDER, PLACEHOLDER), Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, ())
    return order


DECIDE_HINT = ("备案、复核、撤销等决定请在命令行用 ipreg decide 录入：它按 policy.yml 的 certificate_format 接着当年最大的编号"
               "自动编证书号，并检查文号和事件顺序。这里只用于补录申报（applied）或更正；手工填写的证书编号须接在当年已有编号之后。")


def _ordered(properties: Mapping[str, Any], path: tuple[str, ...], order: Mapping[tuple[str, ...], list[str]]) -> list[str]:
    """The template's order; a key the template does not show goes right after the key before it in the schema (so
    copyrights stay after trademarks, as records write them)."""
    out = [k for k in order.get(path, []) if k in properties]
    schema = list(properties)
    for key in schema:
        if key not in out:
            before = [k for k in schema[:schema.index(key)] if k in out]
            out.insert(out.index(before[-1]) + 1 if before else 0, key)
    return out


def _field(name: str, spec: Mapping[str, Any], required: bool, defs: Mapping[str, Any], path: tuple[str, ...],
           order: Mapping[tuple[str, ...], list[str]], optional_parent: bool = False) -> dict[str, Any]:
    spec = _resolve(spec, defs)
    field: dict[str, Any] = {"name": name, "label": spec.get("title", name)}
    if spec.get("description"):
        field["hint"] = spec["description"]
    # Decap validates the required fields of an optional object even when the clerk leaves the object empty, so inside an
    # optional object nothing is required in the form; the schema still is, and CI checks it when the object is filled
    field["required"] = required and not optional_parent
    kind = spec.get("type")
    if kind == "string" and "enum" in spec:
        field.update(widget="select", options=[{"label": _label_of((*path, name), v), "value": v} for v in spec["enum"]])
    elif kind == "string" and spec.get("format") == "date":
        # the editor's own widget (editor/page.py): typed and shown as YYYY-MM-DD whatever the browser's language, a
        # calendar button to pick one, no time and no time zone
        field.update(widget=DATE_WIDGET, pattern=[r"^\d{4}-\d{2}-\d{2}$", "日期要写成 YYYY-MM-DD（年-月-日），如 2024-03-15"])
    elif kind == "string":
        field["widget"] = "text" if spec.get("maxLength", 0) > 300 else "string"
    elif kind == "integer":
        field.update(widget="number", value_type="int")
        if "minimum" in spec:
            field["min"] = spec["minimum"]
        if "maximum" in spec:
            field["max"] = spec["maximum"]
    elif kind == "number":
        field.update(widget="number", value_type="float")
    elif kind == "boolean":
        field["widget"] = "boolean"  # no default: an optional flag the clerk did not touch is not written
    elif kind == "object":
        field.update(widget="object", fields=_fields(spec, defs, (*path, name), order, optional_parent or not required))
    elif kind == "array":
        items = _resolve(spec.get("items", {}), defs)
        if items.get("type") == "object":
            field.update(widget="list", fields=_fields(items, defs, (*path, name), order))
        elif items.get("type") == "string" and "enum" in items:
            field.update(widget="select", multiple=True, options=[{"label": _label_of((*path, name), v), "value": v}
                                                                      for v in items["enum"]])
        else:
            field.update(widget="list", field=_field("item", items, True, defs, (*path, name), order) | {"label": spec.get("title", name)})
        if spec.get("minItems"):
            field["min"] = spec["minItems"]
    pattern = spec.get("pattern")
    if pattern and field.get("widget") in ("string", "text"):
        message = spec.get("patternErrorMessage") or f"格式不对：{spec.get('description', '')}"
        field["pattern"] = [pattern, message]
    if name == "uscc" and not path:
        field["hint"] = f"{field.get('hint', '')} 新建后不能修改（它是文件名）。{CI_HINT}".strip()
    if name == "events" and not path:
        field["hint"] = f"{field.get('hint', '')} {DECIDE_HINT}".strip()
    return field


def _fields(spec: Mapping[str, Any], defs: Mapping[str, Any], path: tuple[str, ...], order: Mapping[tuple[str, ...], list[str]],
            optional_parent: bool = False) -> list[dict[str, Any]]:
    properties = spec.get("properties", {})
    required = set(spec.get("required", [])) | set(spec.get("then", {}).get("required", []))  # the top level: then.required
    return [
        _field(name, properties[name], name in required, defs, path, order, optional_parent) for name in _ordered(properties, path, order)
    ]


def admin_config(schema: Mapping[str, Any], settings: Mapping[str, Any] | None = None, local: bool = True) -> dict[str, Any]:
    """Decap's config: backend from mkdocs.yml ``extra.ipreg_admin`` (default GitHub with the editorial workflow)."""
    settings = dict(settings or {})
    backend = dict(settings.get("backend") or {"name": "github", "repo": "xiping-amr/ipreg", "branch": "main"})
    config: dict[str, Any] = {
        "backend": backend,
        "publish_mode": settings.get("publish_mode", "editorial_workflow"),
        "locale": "zh_Hans",
        "media_folder": "admin-media",
        "site_url": settings.get("site_url", ""),
        "collections": [
            {
                "name": "records",
                "label": "企业备案记录",
                "label_singular": "企业",
                "description": "每家企业一个文件 records/<统一社会信用代码>.yaml。" + CI_HINT,
                "folder": "records",
                "extension": "yaml",
                "format": "yaml",
                "create": True,
                "delete": False,
                "identifier_field": "uscc",
                "slug": "{{uscc}}",
                "summary": "{{name}}（{{uscc}}）",
                "sortable_fields": ["name", "uscc"],
                "fields": _fields(schema, schema.get("$defs", {}), (), _template_order()),
            }
        ],
    }
    if local:
        config["local_backend"] = settings.get("local_backend", True)
    if not config["site_url"]:
        del config["site_url"]
    return config


def admin_config_yaml(schema_path: Path, settings: Mapping[str, Any] | None = None, local: bool = True) -> bytes:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    text = yaml.safe_dump(admin_config(schema, settings, local), allow_unicode=True, sort_keys=False, width=120)
    header = "# 由 ipreg 从 schemas/enterprise.schema.json 生成，不要手工修改（表单编辑器 Decap CMS 的配置）。\n"
    return (header + text).encode("utf-8")


def local_config_yaml(schema_path: Path, api_url: str) -> bytes:
    """The configuration ``ipreg admin`` serves: Decap's proxy backend at this PC's own server, simple publishing (a
    save writes the file; the clerk commits it). No hosted login to fall back to."""
    settings = {"backend": {"name": "proxy", "proxy_url": api_url, "branch": "main"}, "publish_mode": "simple"}
    return admin_config_yaml(schema_path, settings, local=False)


def staff_backend_problem(backend: Mapping[str, Any]) -> str | None:
    """A staff deployment must log in through the bureau's own service: GitHub needs the bureau's OAuth proxy
    (``base_url``), otherwise Decap sends the browser to Netlify's demo service; Gitea needs the OAuth app's ``app_id``
    and the server address."""
    name = backend.get("name")
    if name == "github" and not backend.get("base_url"):
        return (
            "extra.ipreg_admin.backend 为 github 时必须写 base_url（本单位的 OAuth 授权服务地址）：没有它，Decap 会把登录转到"
            "外部的演示服务。见 CONTRIBUTING.md“用网页表单编辑”"
        )
    if name == "gitea" and not (backend.get("app_id") and backend.get("base_url") and backend.get("api_root")):
        return "extra.ipreg_admin.backend 为 gitea 时必须写 app_id、base_url 和 api_root（Gitea 的 OAuth 应用和服务器地址）"
    if name not in ("github", "gitea", "gitlab"):
        return f"extra.ipreg_admin.backend 的 name 应为 gitea、github 或 gitlab，现在是 {name!r}"
    return None


def export(target: Path, root: Path, settings: Mapping[str, Any], county: str) -> int:
    """``ipreg admin --export DIR``: the editor for a staff server (index.html, config.yml, Decap) in a new folder;
    ``root`` is the repository (its schema and its copy of Decap); ``county`` (policy.yml ``documents.county``) names
    the list in the page's title."""
    import shutil
    import sys

    backend = dict(settings.get("backend") or {})
    problem = staff_backend_problem(backend)
    if problem:
        print(f"ipreg: {problem}；没有写入任何文件。", file=sys.stderr)
        return 2
    if target.exists():
        print(f"ipreg: {target} 已存在：--export 只写入新目录，没有覆盖。", file=sys.stderr)
        return 2
    from generator.editor.page import index_page
    from generator.editor.server import DECAP
    from generator.editor.vendored import MANIFEST, asset, read_manifest, verify

    folder = root / DECAP
    problems = verify(folder)  # only the release's files, unchanged (and decap-cms.js as decap.patch makes it)
    if problems:
        listed = "\n".join(f"  {p}" for p in problems[:10]) + (f"\n  ……共 {len(problems)} 处" if len(problems) > 10 else "")
        print(f"ipreg: {folder} 中的 Decap 文件与 {MANIFEST} 不符，没有写入任何文件：\n{listed}", file=sys.stderr)
        return 2
    files = {name: asset(folder, name) for name in read_manifest(folder)[0]}
    temp = target.with_name(f".{target.name}.exporting")
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    for name, data in files.items():
        if data is None:  # changed between the check and the copy
            shutil.rmtree(temp)
            print(f"ipreg: {name} 在导出过程中被改动，没有写入任何文件。", file=sys.stderr)
            return 2
        (temp / name).write_bytes(data)
    for name in (MANIFEST, "README.txt"):
        if (folder / name).is_file():
            shutil.copy2(folder / name, temp / name)
    (temp / "index.html").write_text(index_page(county), encoding="utf-8")
    (temp / "config.yml").write_bytes(admin_config_yaml(root / "schemas" / "enterprise.schema.json", settings, local=False))
    temp.rename(target)
    print(f"已写出表单编辑器到 {target}/：把它部署在单位内部的 Web 服务器上（不要放在公开站点上）。")
    return 0
