"""The strict YAML door: positions, refusals, and survival on hostile sizes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.loader import MAX_DEPTH, load_bytes, load_text


def rules(text: str) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in load_text(text, "t.yaml").findings]


def test_positions_for_every_value_and_key() -> None:
    loaded = load_text("a:\n  b:\n    - x\n    - {c: 1}\n", "t.yaml")
    assert loaded.data == {"a": {"b": ["x", {"c": 1}]}}
    assert loaded.positions.at(("a", "b", 1, "c")) == (4, 11)
    assert loaded.positions.key_at(("a", "b")) == (2, 3)
    assert loaded.positions.at(("a", "b", 0)) == (3, 7)
    assert loaded.positions.at(("a", "missing", 3)) == loaded.positions.at(("a",))


def test_dates_stay_text_and_raw_scalars_are_kept() -> None:
    loaded = load_text("d: 2024-02-29\nn: 202010566088.9\nq: '12'\n", "t.yaml")
    assert loaded.data == {"d": "2024-02-29", "n": 202010566088.9, "q": "12"}
    scalar = loaded.positions.scalars[("n",)]
    assert (scalar.raw, scalar.plain, scalar.kind) == ("202010566088.9", True, "float")
    assert loaded.positions.scalars[("q",)].plain is False


@pytest.mark.parametrize("text,expected", [
    ("a: 1\na: 2\n", [("yaml.duplicate-key", 2)]),
    ("a:\n  - {b: 1, b: 2}\n", [("yaml.duplicate-key", 2)]),
    ("a: &x 1\nb: *x\n", [("yaml.alias", 1), ("yaml.alias", 2)]),
    ("<<: {a: 1}\n", [("yaml.alias", 1)]),
    ("a: !!binary aGk=\n", [("yaml.type", 1)]),
    ("a: !!python/object:os.system x\n", [("yaml.type", 1)]),
    ("? [1, 2]\n: x\n", [("yaml.type", 1)]),
    ("1: x\n", [("yaml.type", 1)]),
    ("a: 1\n---\nb: 1\n", [("yaml.syntax", 2)]),
    ("x\n", [("yaml.syntax", 1)]),
    ("\n\n- a\n", [("yaml.syntax", 3)]),
])
def test_refusals(text: str, expected: list[tuple[str, int]]) -> None:
    assert rules(text) == expected


def test_alias_bomb_is_refused_without_expanding() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]" for i in range(1, 10)]
    found = load_text("\n".join(lines) + "\n", "bomb.yaml").findings  # its time: benchmarks/hostile.py
    assert found and all(f.rule == "yaml.alias" for f in found)


def test_deep_nesting_is_a_finding_not_a_crash() -> None:
    for text in [
        "x: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "v: 1\n",
    ]:
        loaded = load_text(text, "deep.yaml")
        assert loaded.data is None
        assert [f.rule for f in loaded.findings] == ["yaml.syntax"]


def test_huge_inputs_load() -> None:
    big_value = "a: " + "x" * 5_000_000 + "\n"
    assert load_text(big_value, "big.yaml").findings == ()
    many = "a:\n" + "".join(f"  - {i}\n" for i in range(50_000))
    loaded = load_text(many, "many.yaml")  # its time: benchmarks/hostile.py
    assert loaded.findings == () and loaded.data is not None and len(loaded.data["a"]) == 50_000


@pytest.mark.parametrize(
    "raw,needle",
    [
        ("名称: 测试\n".encode("gbk"), "GBK"),
        ("a: 1\n".encode("utf-16"), "UTF-16"),
        (b"a: 1\x00\n", "NUL"),
        (b"a: \xff\xfe\xfd\n", "UTF-8"),
    ],
)
def test_encodings(raw: bytes, needle: str) -> None:
    [finding] = load_bytes(raw, "enc.yaml").findings
    assert finding.rule == "yaml.syntax" and needle in finding.message


def test_bom_and_crlf_are_fine() -> None:
    loaded = load_bytes(b"\xef\xbb\xbfa: 1\r\nb: \xe4\xb8\xad\r\n", "ok.yaml")
    assert loaded.findings == () and loaded.data == {"a": 1, "b": "中"}


@pytest.mark.parametrize(
    "text,line",
    [
        ("a: 1\n\tb: 2\n", 2),
        ('a: "open\nb: 2\nc: "x"\n', 1),
        ("a: 'open\nb: 2\n", 1),
        ("a: b: c\n", 1),
    ],
)
def test_syntax_errors_point_at_the_line(text: str, line: int) -> None:
    [finding] = load_text(text, "s.yaml").findings
    assert (finding.rule, finding.line) == ("yaml.syntax", line)
    assert "YAML" in finding.message or "引号" in finding.message or "冒号" in finding.message or "Tab" in finding.message


def test_remembered_plain_scalars_resolve_as_fresh_ones() -> None:
    """Plain scalars are resolved once per text (dates and numbers repeat across records):
    the remembered answer must equal a fresh one, in every context, tagged "!" or not."""
    from generator import yamltext

    text = "a: 017\nb: ! 017\nc: [017, NO, '017', 2024-02-29, ~, '']\nd:\ne: NO\n"
    yamltext.PLAIN.clear()
    fresh = load_text(text, "t.yaml")
    again = load_text(text, "t.yaml")  # now every plain scalar comes from the memo
    assert len(yamltext.PLAIN) >= 5
    assert (again.data, again.findings, again.positions) == (fresh.data, fresh.findings, fresh.positions)
    assert fresh.data == {"a": 15, "b": 15, "c": [15, False, "017", "2024-02-29", None, ""], "d": None, "e": False}
    assert [(f.rule, f.line) for f in fresh.findings] == [("yaml.type", 1), ("yaml.type", 3), ("yaml.type", 3), ("yaml.type", 5)]


_WORDS = ["name", "a", "b", "017", "NO", "yes", "~", "null", "12", "1.5", "1e3", "2024-02-29", "0x1F", "<<", "某某公司", "true",
          "'017'", '"x\\u200by"', '"ok"', "! 12", "!!str 3", "&a 1", "*a", "- 1", "[1, a]", "{k: v}", ""]


@st.composite
def _documents(draw: st.DrawFn) -> str:
    """Small mappings, lists and scalars of every kind the door treats differently (quoted, tagged, anchored, YAML 1.1
    surprises, duplicate and non-text keys, flow collections), nested by indentation."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        key = draw(st.sampled_from(["name", "a", "b", "1", "yes", "<<", "'q'", "[x]"]))
        depth = draw(st.integers(0, 2))
        pad = "  " * depth
        if draw(st.booleans()):
            lines.append(f"{pad}{key}: {draw(st.sampled_from(_WORDS))}")
        else:
            lines.append(f"{pad}{key}:")
            for _ in range(draw(st.integers(0, 3))):
                lines.append(f"{pad}  - {draw(st.sampled_from(_WORDS))}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_documents())
def test_the_fast_scalar_path_reads_as_the_general_one(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``_Builder.scalar`` takes a short path for the common scalars (issue 36: most of a check's time is reading); it
    must give exactly the data, positions and findings of ``general``, which handles every scalar."""
    from generator import loader

    monkeypatch.setattr(loader, "quick", _never_quick)  # the full door for every file
    fast = load_text(text, "t.yaml")
    with monkeypatch.context() as patch:
        patch.setattr(loader._Builder, "scalar", loader._Builder.general)
        slow = load_text(text, "t.yaml")
    assert (fast.data, fast.findings, fast.positions) == (slow.data, slow.findings, slow.positions)


def test_the_fast_scalar_path_reads_the_samples_as_the_general_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from generator import loader

    files = sorted((Path(__file__).parent / "samples" / "records").glob("*.yaml"))
    monkeypatch.setattr(loader, "quick", _never_quick)
    fast = [loader.load_file(f) for f in files]
    monkeypatch.setattr(loader._Builder, "scalar", loader._Builder.general)
    slow = [loader.load_file(f) for f in files]
    assert len(files) >= 10 and [(x.data, x.findings, x.positions) for x in fast] == [(x.data, x.findings, x.positions) for x in slow]


def _never_quick(parser: object, max_depth: int) -> None:
    """``yamltext.quick`` refusing every file: the full door reads it."""
    parser.dispose()  # type: ignore[attr-defined]


def _agree(text: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    """The door as it runs against the full door alone; whether ``text`` was read the quick way."""
    from generator import loader

    read = load_text(text, "t.yaml")
    with monkeypatch.context() as patch:
        patch.setattr(loader, "quick", _never_quick)
        full = load_text(text, "t.yaml")
    kept = read.positions.kept
    if kept is not None:  # asked before anything fills them: the kept places, the texts, the decimal numbers
        assert full.findings == () and read.data == full.data
        assert {p: full.positions.value_at(p) for p in kept[1].values} == kept[1].values
        assert {p: full.positions.keys[p] for p in kept[1].keys} == kept[1].keys
        assert (read.positions.texts(), read.positions.has_float()) == (full.positions.texts(), full.positions.has_float())
    assert (read.data, read.findings, read.positions) == (full.data, full.findings, full.positions)
    return kept is not None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_documents())
def test_the_quick_read_gives_what_the_full_door_gives(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean file is read without a place for each value (issue 39: the check of 10,000 records with services was
    1.36x the time before them); what the quick read accepts, the full door reads as the same data with no finding,
    and every place, text and type asked for, kept or read again from the text, is the full door's."""
    _agree(text, monkeypatch)


def test_the_quick_read_of_every_test_file_gives_what_the_full_door_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from generator.yamltext import decode

    here = Path(__file__).parent
    files = sorted({*(here / "samples").rglob("*.yaml"), *(here / "cases").rglob("*.yaml")})
    quick = 0
    for path in files:
        text = decode(path.read_bytes(), path.name)
        if isinstance(text, str):
            quick += _agree(text, monkeypatch)
    assert len(files) > 100 and quick > len(files) // 2, (len(files), quick)


def test_a_clean_record_is_checked_without_reading_it_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check of a record without findings asks only for the places the quick read kept (a line looked up before
    it was needed read every file twice); a finding's line is the full door's."""
    from datetime import date
    from pathlib import Path

    from generator import loader
    from generator.policy import load_policy
    from generator.registry import check_local

    samples = Path(__file__).parent / "samples"
    policy = load_policy(samples / "policy.yml")
    files = [(path.read_bytes(), path.name) for path in sorted((samples / "records").glob("*.yaml"))]
    read = [load_bytes(raw, name) for raw, name in files]
    quick = [check_local(loaded, policy, date(2026, 6, 30)) for loaded in read]
    monkeypatch.setattr(loader, "quick", _never_quick)
    full = [check_local(load_bytes(raw, name), policy, date(2026, 6, 30)) for raw, name in files]
    assert [(x.findings, x.keys, x.rank) for x in quick] == [(x.findings, x.keys, x.rank) for x in full]
    assert any(x.findings for x in full)
    clean = [loaded.positions.kept is not None for loaded, local in zip(read, quick, strict=True) if not local.findings]
    assert len(clean) >= 5 and all(clean)


def _ask_from_threads(positions: object, threads: int, times: int) -> tuple[list[object], list[Exception]]:
    """What ``threads`` threads asking ``positions`` for places, texts and types at once get, and what they raised."""
    import threading

    answers: list[object] = []
    failures: list[Exception] = []

    def ask() -> None:
        try:
            for _ in range(times):
                p: Any = positions
                answers.append((p.value_at(("a",)), p.texts(), p.has_float(), p.key_at(("a",)), p.at(("k1", 2, "number", "x"))))
        except Exception as exc:  # noqa: BLE001 - the failure is what the test reports
            failures.append(exc)

    started = [threading.Thread(target=ask) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return answers, failures


def test_a_line_map_read_again_is_the_same_from_any_thread_and_after_pickling() -> None:
    """Threads asking a quick-read file's places at once all get the full door's (the form editor serves requests in
    threads); pickled by any protocol, before or after the fill, a line map answers the same."""
    import pickle
    import sys

    from generator.loader import Positions

    text = "a: 1\n" + "".join(f"k{i}: [x, y, {{number: '{i}'}}]\n" for i in range(200))
    read = load_text(text, "t.yaml").positions
    kept = read.kept
    assert kept is not None
    expected = (read.value_at(("a",)), read.texts(), read.has_float(), read.key_at(("a",)), read.at(("k1", 2, "number", "x")))
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch as often as they can
    try:
        for _ in range(60):
            answers, failures = _ask_from_threads(Positions(kept=kept), 8, 3)
            assert failures == [] and len(answers) == 24 and all(answer == expected for answer in answers), failures
    finally:
        sys.setswitchinterval(interval)
    filled = load_text(text, "t.yaml").positions
    filled.places()  # every place: the dictionaries are filled
    # the interleaving that failed (AttributeError): a thread finds no scalars, another fills them, the first asks again
    assert filled.__getattr__("scalars") is filled.scalars and filled.kept is None
    for positions in (load_text(text, "t.yaml").positions, filled):
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            again = pickle.loads(pickle.dumps(positions, protocol))
            assert (again.kept is None) is (positions.kept is None)
            assert again == positions and again.at(("k1", 2, "number", "x")) == expected[-1]
