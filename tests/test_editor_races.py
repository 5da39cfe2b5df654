"""Two people, one record (issue 35): for any interleaving of form-editor saves and ``ipreg decide`` runs on the same
records, every decision that was reported as written is in the final files. The editor's backend (``adminserver.Editor``)
and ``ipreg decide`` (``cli.main``) run in this process on a scratch copy of the samples, in the order hypothesis draws;
a form saves what it opened plus an unrelated change, with the id it was served."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import cli
from generator.editor.server import Editor, Refused
from generator.inputs import read_registry
from generator.policy import load_policy
from tests.helpers import scratch_checkout

pytestmark = pytest.mark.slow

TODAY = "2026-11-25"
CODES = ("91411721MA45A0038J", "91411721MA45A0046D", "91411721MA45A002XJ")
KINDS = ("review_failed", "review_absent", "withdrawn", "revoked", "review_passed")


@dataclass
class Form:
    path: str
    raw: str
    known: str | None


def _edited(raw: str, n: int) -> str:
    """An unrelated change a clerk makes in the form: the address."""
    line = f"address: 西平县示例路 {n} 号"
    if re.search(r"^address:.*$", raw, re.MULTILINE):
        return re.sub(r"^address:.*$", line, raw, count=1, flags=re.MULTILINE)
    return raw.replace("\nestablished:", f"\n{line}\nestablished:", 1)


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("open"), st.integers(0, 2), st.sampled_from(CODES)),
        st.tuples(st.just("save"), st.integers(0, 2), st.integers(1, 99)),
        st.tuples(st.just("decide"), st.sampled_from(KINDS), st.sampled_from(CODES)),
    ),
    max_size=12,
)


@settings(max_examples=40)
@given(OPS)
def test_no_interleaving_of_saves_and_decisions_loses_a_decision(ops: list[tuple[str, object, object]]) -> None:
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(scratch_checkout(Path(tmp) / "repo")):
        repo = Path.cwd()
        editor = Editor(repo, lambda: read_registry("records"), load_policy(repo / "policy.yml"), lambda: date.fromisoformat(TODAY))
        forms: dict[int, Form] = {}
        written: list[tuple[str, dict[str, object]]] = []
        for step, (op, a, b) in enumerate(ops):
            if op == "open":
                path = f"records/{b}.yaml"
                entry = editor.entries([path], opened=True)[0]
                forms[int(a)] = Form(path, entry["data"], entry["file"]["id"])  # type: ignore[arg-type]
            elif op == "save" and int(a) in forms:
                form = forms[int(a)]
                raw = _edited(form.raw, int(b))  # type: ignore[call-overload]
                try:
                    ids = editor.save([{"path": form.path, "raw": raw, "ipregId": form.known}])
                except Refused:
                    continue
                forms[int(a)] = Form(form.path, raw, ids[form.path])
            elif op == "decide":
                document = f"西市监〔2026〕{70 + step}号"
                day = f"2026-11-{10 + step:02d}"
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                    code = cli.main(["decide", "--type", str(a), "--date", day, "--document", document, "--today", TODAY, str(b)])
                if code == 0:
                    written.append((f"records/{b}.yaml", {"date": date.fromisoformat(day), "type": a, "document": document}))
        for path, event in written:
            events = yaml.safe_load((repo / path).read_text(encoding="utf-8"))["events"]
            assert any({k: e.get(k) for k in event} == event for e in events), (path, event, ops)
