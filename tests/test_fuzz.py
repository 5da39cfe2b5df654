"""Fuzzing the checker: mutated valid records never make it raise, and invalid ones are reported.

Bounded to a few seconds in the normal suite; ``HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py``
runs a long session.
"""

from __future__ import annotations

import json
import os
from datetime import date
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checking.reporters import format_github, format_json, format_text
from generator.loader import load_bytes
from generator.policy import default_policy
from generator.registry import Registry, build_registry
from generator.schema import ENTERPRISE_SCHEMA
from tests.helpers import CASES

TODAY = date(2026, 11, 25)
POLICY = default_policy()
SOURCES = [p.read_bytes() for p in sorted((CASES / "valid").glob("*.yaml")) if not p.name.startswith("crlf")]  # never the live records/
REQUIRED = json.loads(ENTERPRISE_SCHEMA.read_text(encoding="utf-8"))["then"]["required"]  # required when no key is unknown
FILE = "records/91411721MA00000154.yaml"


def check(raw: bytes, name: str = FILE) -> Registry:
    """What `ipreg check` does with one file, including every output format."""
    registry = build_registry([load_bytes(raw, name)], POLICY, TODAY)
    format_text(registry, verbose=True)
    format_json(registry)
    format_github(registry, verbose=True)
    return registry


def _name(raw: bytes) -> str:
    data = yaml.safe_load(raw.decode("utf-8-sig"))
    return f"records/{data['uscc']}.yaml"


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, dict):
        return [leaf for k, v in node.items() for leaf in _leaves(v, path + (k,))]
    if isinstance(node, list):
        return [leaf for i, v in enumerate(node) for leaf in _leaves(v, path + (i,))]
    return [(path, node)]


def _dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_style=None).encode("utf-8")


def _as_strings(node: Any) -> Any:
    """Dates as the strings the records hold (safe_load turns them into date objects)."""
    if isinstance(node, dict):
        return {k: _as_strings(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_strings(v) for v in node]
    return node.isoformat() if isinstance(node, date) else node


sources = st.sampled_from(SOURCES)
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
fuzz = settings(max_examples=20_000 if LONG else int(os.environ.get("FUZZ_EXAMPLES", "40")))


@fuzz
@given(sources, st.integers(0, 10**6), st.binary(min_size=1, max_size=8))
def test_inserted_bytes_never_crash(raw: bytes, where: int, junk: bytes) -> None:
    at = where % (len(raw) + 1)
    mutated = raw[:at] + junk + raw[at:]
    registry = check(mutated, _name(raw))
    if b"\x00" in junk or any(b > 0x7F for b in junk) and not _utf8(mutated):
        assert registry.errors >= 1


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


@fuzz
@given(sources, st.integers(0, 10**6))
def test_truncation_never_crashes_and_losing_events_is_an_error(raw: bytes, where: int) -> None:
    at = where % (len(raw) + 1)
    registry = check(raw[:at], _name(raw))
    if at < raw.index(b"\nevents:") + 1:
        assert registry.errors >= 1  # the required `events` key was cut off


@fuzz
@given(sources, st.data())
def test_deleting_a_required_key_is_reported(raw: bytes, data: st.DataObject) -> None:
    record = _as_strings(yaml.safe_load(raw.decode("utf-8-sig")))
    key = data.draw(st.sampled_from(REQUIRED))
    del record[key]
    registry = check(_dump(record), _name(raw))
    assert any(f.rule == "schema" and key in f.message for f in registry.findings)


@fuzz
@given(sources, st.data())
def test_duplicating_a_key_is_reported(raw: bytes, data: st.DataObject) -> None:
    lines = raw.decode("utf-8-sig").splitlines(keepends=True)
    candidates = [i for i, line in enumerate(lines) if line[:1].isalpha() and ":" in line and not line.rstrip().endswith(":")]
    i = data.draw(st.sampled_from(candidates))
    mutated = "".join(lines[: i + 1] + [lines[i]] + lines[i + 1:]).encode("utf-8")
    registry = check(mutated, _name(raw))
    assert any(f.rule == "yaml.duplicate-key" and f.line == i + 2 for f in registry.findings)


RETYPES = [[], {}, ["x"], {"x": 1}, "文字", 12345, True, None, -1]


@fuzz
@given(sources, st.data())
def test_retyping_a_value_is_reported(raw: bytes, data: st.DataObject) -> None:
    record = _as_strings(yaml.safe_load(raw.decode("utf-8-sig")))
    path, old = data.draw(st.sampled_from(_leaves(record)))
    new = data.draw(st.sampled_from([v for v in RETYPES if type(v) is not type(old)]))
    target = record
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = new
    registry = check(_dump(record), _name(raw))
    assert registry.errors >= 1, (path, old, new)


@settings(max_examples=30)
@given(st.lists(st.sampled_from(SOURCES), min_size=2, max_size=4))
def test_many_files_at_once_never_crash(raws: list[bytes]) -> None:
    docs = [load_bytes(raw, f"records/{i}.yaml") for i, raw in enumerate(raws)]
    registry = build_registry(docs, POLICY, TODAY)
    assert registry.errors >= 1  # file names do not match their codes
    format_json(registry)


def _with_literal(raw: bytes, data: st.DataObject, kinds: tuple[type, ...]) -> tuple[bytes, tuple[Any, ...], Any] | None:
    """The record with one leaf of a type in ``kinds`` replaced by a marker, to be swapped for raw YAML text."""
    record = _as_strings(yaml.safe_load(raw.decode("utf-8-sig")))
    leaves = [(p, v) for p, v in _leaves(record) if type(v) in kinds]
    if not leaves:
        return None
    path, old = data.draw(st.sampled_from(leaves))
    target = record
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = "MUTATION_MARKER"
    return _dump(record), path, old


INVISIBLE = [*(chr(c) for c in range(0x20) if c not in (0x09, 0x0A)), "\x7f", "\x85", "\x9b", "\ufffe", "\uffff",
             "\u200b", "\u200e", "\u202e", "\u2066", "\u2069", "\ufeff"]


@fuzz
@given(sources, st.data())
def test_control_characters_from_escapes_are_refused(raw: bytes, data: st.DataObject) -> None:
    """A control, zero-width or bidi character written as a YAML escape ("\\x1b", "\\u202e") in any string."""
    found = _with_literal(raw, data, (str,))
    assert found is not None
    text, path, old = found
    char = data.draw(st.sampled_from(INVISIBLE))
    at = data.draw(st.integers(0, len(old)))
    escaped = json.dumps(old[:at] + char + old[at:], ensure_ascii=True)  # a JSON string is a YAML double-quoted scalar
    registry = check(text.replace(b"MUTATION_MARKER", escaped.encode()), _name(raw))
    assert registry.errors >= 1, (path, escaped)
    assert all(f.message.isprintable() for f in registry.findings)  # nothing invisible reaches a message


def _huge(kind: str, digits: int) -> str:
    if kind == "hex":
        return "0x" + "f" * digits
    if kind == "octal":
        return "0" + "7" * digits
    if kind == "binary":
        return "0b" + "1" * digits
    if kind == "sexagesimal":
        return "1" + ":59" * (digits // 3 + 1)
    if kind == "float":
        return "9" * digits + ".5"
    return "9" * digits


@fuzz
@given(sources, st.data(), st.sampled_from(["hex", "octal", "binary", "sexagesimal", "decimal", "float"]), st.integers(41, 20_000))
def test_huge_numbers_are_refused_quickly(raw: bytes, data: st.DataObject, kind: str, digits: int) -> None:
    found = _with_literal(raw, data, (int, str))
    assert found is not None
    text, path, _ = found
    registry = check(text.replace(b"MUTATION_MARKER", _huge(kind, digits).encode()), _name(raw))  # its time: benchmarks/hostile.py
    assert registry.errors >= 1
    assert any(f.rule == "yaml.type" and "字符长的数字写法" in f.message for f in registry.findings), path


@fuzz
@given(sources, st.data(), st.sampled_from([".0", ".00", ".000", "e0"]))
def test_integers_written_as_floats_are_reported_at_their_line(raw: bytes, data: st.DataObject, suffix: str) -> None:
    found = _with_literal(raw, data, (int,))
    if found is None:
        return
    text, path, old = found
    written = f"{old}.0e0" if suffix == "e0" else f"{old}{suffix}"
    mutated = text.replace(b"MUTATION_MARKER", written.encode())
    registry = check(mutated, _name(raw))
    line = mutated[:mutated.index(written.encode())].count(b"\n") + 1
    assert any(f.line == line and f.severity == "error" for f in registry.findings), (path, written)
    assert not any(f"{old}.0年" in f.message for f in registry.findings)
