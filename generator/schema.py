"""JSON Schema owns shape: schemas/*.json -> validator; jsonschema errors -> Findings.

Each error becomes one Chinese message at the line and column of the offending value (or
key). Pattern errors on identifiers carry the identifier's own rule id (``uscc.checksum``,
``patent.number``, ``trademark.number``); a plain scalar that YAML turned into a number or a
boolean where text belongs is ``yaml.type`` with a "quote it" hint.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # jsonschema is imported only when a document fails the compiled validator
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

from generator import ids
from generator.dates import parse_iso
from generator.findings import Finding
from generator.hints import date_hint, enum_hint, excel_date, full_width_hint
from generator.labels import JSON_TYPE_ZH as TYPE_ZH
from generator.labels import YAML_KIND_ZH as KIND_ZH
from generator.loader import Loaded, PathKey, Positions
from generator.rules import PATENT_NUMBER, SCHEMA, TRADEMARK_NUMBER, USCC_CHECKSUM, YAML_TYPE, Rule

# In the repository (and editable installs) the schemas live in schemas/ beside the package; an
# installed wheel carries the same files as the package generator.schemas.
_PACKAGED = Path(__file__).resolve().parent / "schemas"
SCHEMA_DIR = _PACKAGED if (_PACKAGED / "enterprise.schema.json").is_file() else Path(__file__).resolve().parent.parent / "schemas"
ENTERPRISE_SCHEMA = SCHEMA_DIR / "enterprise.schema.json"
POLICY_SCHEMA = SCHEMA_DIR / "policy.schema.json"

@cache
def load_schema(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def date_range() -> tuple[date, date]:
    """The first and last day a record's date may be (the schema's ``$defs/date``, as its description states them)."""
    text = load_schema(ENTERPRISE_SCHEMA)["$defs"]["date"]["description"]
    first, last = re.findall(r"\d{4}-\d{2}-\d{2}", text)[-2:]
    return date.fromisoformat(first), date.fromisoformat(last)


ONE_LINE = r"^\S(?:.*\S)?$"  # the schema's pattern for names and other one-line public text


@lru_cache(maxsize=64)
def validator_for(path: Path, only: frozenset[str] | None = None) -> Draft202012Validator:
    """The detailed validator. With ``only``, the top-level properties outside it are not looked into (their schema is
    ``{}``; their names still count for required and unknown fields): jsonschema-rs found nothing wrong under them, and
    jsonschema takes milliseconds for each list of twenty services it would walk again."""
    from jsonschema import Draft202012Validator, validators

    schema = load_schema(path)
    if only is not None:
        schema = {**schema, "properties": {k: v if k in only else {} for k, v in schema["properties"].items()}}
    strict = validators.extend(Draft202012Validator, {"pattern": _pattern})  # type: ignore[no-untyped-call]
    return strict(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)  # type: ignore[no-any-return]


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    """JSON Schema's ``pattern`` with ECMA-262's ``$`` (end of input), as jsonschema-rs and editors read it."""
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and ecma_regex(pattern).search(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """``pattern`` read as ECMA-262 (and jsonschema-rs) reads it, for Python's re: outside a character class
    ``$`` becomes ``\\Z`` (Python's ``$`` also matches before a final newline: ``"X\\n"`` would pass ``^X$``) and ``.``
    excludes every line terminator (Python's matches ``\\r``); ``\\d`` is ASCII only."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            pair = pattern[i:i + 2]
            out.append("0-9" if pair == r"\d" and in_class else "[0-9]" if pair == r"\d" else pair)
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        elif char == ".":
            char = "[^\n\r\u2028\u2029]"
        out.append(char)
        i += 1
    return re.compile("".join(out))


@cache
def fast_validator_for(path: Path) -> Any:
    """jsonschema-rs, compiled once: about a hundred times faster than jsonschema on a valid record."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(load_schema(path), validate_formats=True)


def field_schema(schema: dict[str, Any], path: PathKey) -> dict[str, Any]:
    """The (sub)schema that describes the value at ``path``, with the ``$ref`` of every step on the way followed (the
    node's own keywords, such as its ``title``, win over the definition's)."""
    defs = schema.get("$defs", {})
    node = schema
    for part in path:
        node = node.get("items", {}) if isinstance(part, int) else node.get("properties", {}).get(part, {})
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            node = {**defs.get(ref[8:], {}), **{k: v for k, v in node.items() if k != "$ref"}}
    return node


PLACEHOLDER = "待填写"  # what ``ipreg new`` writes where a clerk must fill something in


def placeholder_message(label: str) -> str:
    return f"{label} 还没有填写：请把模板中的“{PLACEHOLDER}”换成实际内容"


def _prune(data: Any, schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """``data`` with every list cut to one item past its schema's maxItems.

    The list is an error either way (maxItems reports it); validating 50,000 more items
    would only make a hostile file slow.
    """
    ref = schema.get("$ref", "")
    if ref.startswith("#/$defs/"):
        schema = defs.get(ref[8:], {})
    if isinstance(data, list):
        limit = schema.get("maxItems")
        items = data[: limit + 1] if isinstance(limit, int) and len(data) > limit + 1 else data
        item_schema = schema.get("items", {})
        return [_prune(x, item_schema, defs) for x in items] if isinstance(item_schema, dict) and item_schema else items
    if isinstance(data, dict):
        props = schema.get("properties", {})
        return {k: _prune(v, props[k], defs) if k in props else v for k, v in data.items()}
    return data


def dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "文件顶层"


def _ident_rule(path: PathKey) -> Rule:
    if path == ("uscc",):
        return USCC_CHECKSUM
    if len(path) == 3 and path[0] == "patents" and path[2] == "number":
        return PATENT_NUMBER
    if len(path) == 3 and path[0] == "trademarks" and path[2] == "number":
        return TRADEMARK_NUMBER
    return SCHEMA


MAX_FINDINGS = 50  # per file: past this, "另有 K 个问题" instead of thousands of lines


def schema_findings(loaded: Loaded, schema_path: Path = ENTERPRISE_SCHEMA) -> list[Finding]:
    """Every schema problem of one loaded document, one finding per place, in file order."""
    return counted_schema_findings(loaded, schema_path)[0]


def counted_schema_findings(loaded: Loaded, schema_path: Path = ENTERPRISE_SCHEMA, limit: int = MAX_FINDINGS,
                            focus: bool = True) -> tuple[list[Finding], int]:
    """The first ``limit`` schema findings (in validation order, then sorted) and how many more there are.

    A hostile file (a hundred thousand unknown keys) costs no more than a bad one: the rest are counted,
    not worded. If the compiled validator refuses a document that jsonschema accepts (their regular
    expressions differ), the document is still refused, with a general message."""
    if loaded.data is None:
        return [], 0
    schema = load_schema(schema_path)
    floats = _float_integers(loaded, schema)
    fast = fast_validator_for(schema_path)
    if fast.is_valid(loaded.data):
        return floats, 0  # the compiled validator agrees; the detailed messages are only built for failures
    translator = _Translator(loaded.file, loaded.positions, schema, loaded.data)
    data = _prune(loaded.data, schema, schema.get("$defs", {}))
    only = frozenset(str(e.instance_path[0]) for e in fast.iter_errors(data) if e.instance_path) if focus else None
    errors = sorted(validator_for(schema_path, only).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    seen: set[tuple[PathKey, str]] = set()
    findings: list[Finding] = list(floats)
    omitted = 0
    for error in errors:
        if len(findings) >= limit:
            omitted += _size(error)
            continue
        produced = 0
        for finding_path, finding in translator.translate(error):
            produced += 1
            if len(findings) >= limit:
                omitted += max(_size(error) - produced + 1, 1)
                break
            key = (finding_path, finding.rule if error.validator in ("required", "additionalProperties") else "")
            if finding.rule in (SCHEMA.id, YAML_TYPE.id) and error.validator not in ("required", "additionalProperties"):
                key = (finding_path, "value")
            if key in seen:
                continue
            seen.add(key)
            findings.append(finding)
    if not findings and not omitted:
        line, col = loaded.positions.at(())
        findings.append(SCHEMA.finding(loaded.file, line, col,
                                "记录不符合 schemas/enterprise.schema.json（两个校验器结论不一致）：请检查各字段中的空白、换行和特殊字符"))
    findings.sort(key=Finding.sort_key)
    return findings, omitted


def _size(error: ValidationError) -> int:
    """How many findings an error would make, counted without wording them."""
    instance, expected = error.instance, cast(Any, error.validator_value)
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        return sum(key not in known for key in instance)
    if error.validator == "required" and isinstance(instance, dict):
        return sum(key not in instance for key in expected)
    return 1


def _float_integers(loaded: Loaded, schema: dict[str, Any]) -> list[Finding]:
    """Integers written with a decimal point (``8050000.00``, ``2024.0``): JSON Schema counts 1.0 as an
    integer, so both validators let them through; amounts, counts and years are whole numbers here."""
    out: list[Finding] = []
    if not loaded.positions.has_float():
        return out
    translator = _Translator(loaded.file, loaded.positions, schema, loaded.data)
    for path, scalar in loaded.positions.scalars.items():
        if scalar.kind != "float" or field_schema(schema, path).get("type") != "integer":
            continue
        value = translator.original(path)
        if isinstance(value, float) and value.is_integer():
            out.append(translator.make(path, SCHEMA, f"{translator.label(path)} 写的是 {scalar.raw}，应为整数："
                                       f"请去掉小数点和后面的 0，写成 {int(value)}")[1])
    return out


class _Translator:
    def __init__(self, file: str, positions: Positions, schema: dict[str, Any], data: Any) -> None:
        self.file, self.positions, self.schema, self.data = file, positions, schema, data

    def original(self, path: PathKey) -> Any:
        """The value at ``path`` in the document as loaded (before pruning long lists)."""
        node = self.data
        for part in path:
            node = node[part]
        return node

    def make(self, path: PathKey, rule: Rule, message: str, at_key: bool = False) -> tuple[PathKey, Finding]:
        line, col = self.positions.key_at(path) if at_key else self.positions.at(path)
        return path, rule.finding(self.file, line, col, message)

    def label(self, path: PathKey) -> str:
        title = field_schema(self.schema, path).get("title")
        where = dotted(path)
        return f"{title}（{where}）" if title else where

    def translate(self, error: ValidationError) -> Iterator[tuple[PathKey, Finding]]:
        """The findings of one schema error, by its validator keyword, each at its path."""
        path: PathKey = tuple(error.absolute_path)
        kind = str(error.validator)
        value: Any = error.instance
        if isinstance(value, str) and PLACEHOLDER in value:
            yield self.make(path, SCHEMA, placeholder_message(self.label(path)))
            return
        schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
        expected: Any = error.validator_value
        if kind == "additionalProperties" and isinstance(value, dict):
            yield from self.unknown_fields(path, value, schema)
        elif kind == "required" and isinstance(value, dict):
            yield from self.missing_fields(path, value, expected, schema)
        elif kind == "type":
            yield self.make(path, *self.type_message(path, value, expected))
        elif kind in ("pattern", "format"):
            yield self.make(path, *self.format_message(path, value))
        elif kind == "not" and "errorMessage" in schema:
            yield self.make(path, SCHEMA, self.not_here(path, str(schema["errorMessage"])), at_key=True)
        elif kind == "not" and expected == {}:  # a field the schema allows only in another case (amount: pledge financing)
            reason = field_schema(self.schema, path).get("description", "")
            yield self.make(path, SCHEMA, f"{self.label(path)} 不适用于这一项：{reason}请删除这个字段，或核对同一项的类别", at_key=True)
        else:
            yield self.make(path, SCHEMA, self.limit_message(kind, path, value, expected) or f"{self.label(path)}：{error.message}")

    def not_here(self, path: PathKey, why: str) -> str:
        """A field the schema allows only beside some values of its neighbour ``type`` (an event's ``delivered`` on a
        ``review_failed``): the field, the type it sits on, and where it belongs (the schema's ``errorMessage``)."""
        parent = self.original(path[:-1]) if path else None
        kind = parent.get("type") if isinstance(parent, dict) else None
        where = f"不能用在 {kind} 事件上" if isinstance(kind, str) else "不能用在这里"
        return f"{self.label(path)} {where}：{why}"

    def unknown_fields(self, path: PathKey, value: dict[str, Any], schema: dict[str, Any]) -> Iterator[tuple[PathKey, Finding]]:
        """One finding per key the schema does not know, at the key, with the closest known key or the allowed ones."""
        known = list(schema.get("properties", {}))
        for key in value:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f"是不是 {close[0]}？" if close else f"允许的字段：{'、'.join(known)}"
                yield self.make(path + (key,), SCHEMA, f"未知字段 {key}（在 {dotted(path)} 中）：{hint}", at_key=True)

    def missing_fields(self, path: PathKey, value: dict[str, Any], expected: Any,
                       schema: dict[str, Any]) -> Iterator[tuple[PathKey, Finding]]:
        """One finding per required key that is missing, unless an unknown key looks like its misspelling."""
        properties: dict[str, Any] = field_schema(self.schema, path).get("properties") or schema.get("properties") or {}
        unknown = [str(k) for k in value if k not in properties] if properties else []
        for key in expected:
            if key not in value and not difflib.get_close_matches(key, unknown, n=1):  # else "未知字段 revnue：是不是 revenue？"
                title = field_schema(self.schema, path + (key,)).get("title", key)
                yield self.make(path + (key,), SCHEMA, f"缺少必填字段 {key}（{title}），在 {dotted(path)} 中")

    def limit_message(self, kind: str, path: PathKey, value: Any, expected: Any) -> str | None:
        """The message of a value outside its allowed values, bounds, length or item count; None for another keyword."""
        if kind == "enum":
            hint = full_width_hint(str(value)) or enum_hint(str(value), [str(v) for v in expected], path)
            return f"{self.label(path)} 的值 {value} 不在允许范围：{hint}"
        if kind in ("minimum", "maximum"):
            word = "小于" if kind == "minimum" else "大于"
            return f"{self.label(path)} 为 {value}，不能{word} {expected}"
        if kind == "minLength":
            return f"{self.label(path)} 不能为空"
        if kind == "maxLength":
            return f"{self.label(path)} 过长（{len(value)} 字），最多 {expected} 字"
        if kind == "maxItems":
            return f"{self.label(path)} 有 {len(self.original(path))} 项，最多 {expected} 项：请检查是否重复粘贴"
        if kind == "minItems":
            return f"{self.label(path)} 至少要填写 {expected} 项"
        if kind == "uniqueItems":
            return f"{self.label(path)} 有重复的项"
        return None

    def type_message(self, path: PathKey, value: Any, expected: Any) -> tuple[Rule, str]:
        want = expected if isinstance(expected, str) else expected[0]
        scalar = self.positions.scalars.get(path)
        label = self.label(path)
        serial = excel_date(value) if field_schema(self.schema, path).get("format") == "date" else None
        if serial is not None:
            return YAML_TYPE, f"{label} 写的是 {value}，像是 Excel 的日期序号（{serial}）：日期要写成 {serial}（年-月-日）"
        if want == "string" and scalar is not None and scalar.plain and scalar.kind in ("int", "float", "bool"):
            return YAML_TYPE, (
                f"{label} 写的是 {scalar.raw}，YAML 把它读成了{KIND_ZH[scalar.kind]}"
                f'（{json.dumps(value, ensure_ascii=False)}）：编号和文字请加引号，写成 "{scalar.raw}"'
            )
        if value is None:
            return SCHEMA, f"{label} 没有填写值：应为{TYPE_ZH.get(want, want)}"
        if want == "integer" and isinstance(value, str):
            example = "，如 3000000" if ("收入" in label or "经费" in label) else ""
            return SCHEMA, f"{label} 应为整数，实为文字 {value}：不写逗号、单位和引号{example}"
        if want == "boolean" and scalar is not None:
            return SCHEMA, f"{label} 应为 true 或 false，实为 {scalar.raw}"
        if want == "integer" and isinstance(value, float):
            return SCHEMA, f"{label} 应为整数，实为 {value}：人数、金额、年份和类别号都写整数"
        actual = "列表" if isinstance(value, list) else "映射" if isinstance(value, dict) else f"{value}"
        hint = full_width_hint(value) if isinstance(value, str) else ""
        return SCHEMA, f"{label} 应为{TYPE_ZH.get(want, want)}，实为{actual}" + (f"：{hint}" if hint else "")

    def format_message(self, path: PathKey, value: Any) -> tuple[Rule, str]:
        rule = _ident_rule(path)
        text = str(value)
        if len(text) >= 2 and text[0] in "“‘「『" and text[-1] in "”’」』":
            return rule, (
                f'{self.label(path)} 的值两边是中文引号 {text[0]}{text[-1]}：请改成英文引号（"…"），或去掉引号，写作 {text[1:-1]}'
            )
        if rule is USCC_CHECKSUM:
            return rule, ids.uscc_problem(text) or f"统一社会信用代码 {text} 格式不对"
        if rule is PATENT_NUMBER:
            return rule, ids.patent_problem(text) or f"专利申请号 {text} 格式不对"
        if rule is TRADEMARK_NUMBER:
            return rule, ids.trademark_problem(text) or f"商标注册号 {text} 格式不对"
        node = field_schema(self.schema, path)
        label = self.label(path)
        if node.get("format") == "date":
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) and parse_iso(text) is None:
                return SCHEMA, f"{label} 的日期 {text} 不存在：请核对月份和天数，写作 YYYY-MM-DD，如 2024-03-15"
            if parse_iso(text) is None:
                return SCHEMA, f"{label} 的日期 {text} 格式不对：{date_hint(text)}"
            return SCHEMA, f"{label} 的日期 {text} 超出范围：应在 1949-01-01 至 2100-12-31 之间"
        if node.get("pattern") == ONE_LINE:
            return SCHEMA, f"{label} 不能是空白，也不能有换行或首尾空格：请写成一行"
        if path == ("website",):
            return SCHEMA, f"{label} {text} 不是有效网址：应以 http:// 或 https:// 开头，不含空格、换行、引号、尖括号和反斜杠"
        if path == ("industry", "code"):
            return SCHEMA, f"{label} {text} 格式不对：应为门类字母加两位大类代码，如 C35"
        return SCHEMA, f"{label} 的值 {text} 格式不对：{node.get('description', '')}"
