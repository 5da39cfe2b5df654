"""Clerks who edit in VS Code: yaml-language-server (npm, tools/admin) reads the same schema and gives one Chinese
diagnostic for a bad date, a bad USCC format and a misspelt key, and none for a valid record."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.schema import ENTERPRISE_SCHEMA
from tests.helpers import CASES, required, tool
from tests.lsp import SERVER, diagnostics

pytestmark = pytest.mark.slow  # yaml-language-server runs in Node

BASE = "".join(line for line in (CASES / "valid" / "advantage.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
               if not line.startswith("# yaml-language-server"))  # the test names the schema itself


@pytest.fixture(scope="module")
def node() -> str:
    required("yaml-language-server (npm ci --prefix tools/admin)", SERVER if SERVER.exists() else None)
    return required("Node.js", tool("node"))


def test_a_valid_record_has_no_diagnostic(node: str) -> None:
    assert diagnostics(node, BASE, Path(ENTERPRISE_SCHEMA).resolve()) == []


@pytest.mark.parametrize("old,new,line,words", [
    ("established: 2015-03-01", "established: 2015-13-01", "established", "YYYY-MM-DD"),
    ('uscc: "91411721MA00000154"', 'uscc: "9141172"', "uscc", "18 位"),
    ("legal_person: true", "legal_persn: true", "legal_persn", "拼写"),
])
def test_one_chinese_diagnostic_per_mistake(node: str, old: str, new: str, line: str, words: str) -> None:
    assert old in BASE
    text = BASE.replace(old, new)
    found = diagnostics(node, text, Path(ENTERPRISE_SCHEMA).resolve())
    assert len(found) == 1, found
    [d] = found
    assert words in d["message"] and re.search(r"[\u4e00-\u9fff]", d["message"])
    assert not re.search(r"String|Property|Missing|pattern|match|allowed|RFC3339", d["message"]), d["message"]  # no English
    assert text.splitlines()[d["range"]["start"]["line"]].lstrip().startswith(line)
