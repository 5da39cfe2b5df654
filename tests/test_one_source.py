"""One word, one place: the articles a document cites come from the catalogue through the
measures' version in force, the Chinese labels from ``labels``, the county and the bureau from policy.yml."""

from __future__ import annotations

import ast
import io
import re
from datetime import date
from pathlib import Path

from docx import Document

from generator import labels
from generator.documents import notices as documents
from generator.loader import load_text
from generator.policy import policy_from_mapping
from generator.registry import build_registry
from generator.rules.art8 import ART8_BAN
from tests.helpers import CASES

GENERATOR = Path(__file__).resolve().parent.parent / "generator"


def _literals(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module, its docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_a_renumbered_article_is_cited_alike_by_the_finding_and_the_revocation() -> None:
    """A version of the measures that moved Art. 8(5) to Art. 9(5): the registry's art8.ban finding and the revocation
    decision both cite the new article, neither the old one."""
    text = (CASES / "invalid" / "art8.ban" / "filed-inside-ban.yaml").read_text(encoding="utf-8")
    revoked = "  - date: 2023-02-01\n    type: revoked\n"
    text = text.replace(revoked, revoked + "    document: 西市监〔2023〕2号\n", 1)
    uscc = re.search(r"^uscc: \"?(\w{18})", text, re.M)
    assert uscc is not None and "西市监〔2023〕2号" in text
    measures = {"name": "西平县知识产权强企培育备案管理办法", "in_force": "2018-01-01",
                "versions": [{"name": "西平县知识产权强企培育备案管理办法（修订）", "in_force": "2020-01-01",
                              "articles": {ART8_BAN.id: "第九条第五项"}}]}
    policy = policy_from_mapping({"measures": measures})
    registry = build_registry([load_text(text, f"records/{uscc[1]}.yaml")], policy, date(2026, 3, 1))
    cited = {f.article for f in registry.findings if f.rule == ART8_BAN.id}
    assert cited == {"第九条第五项"}
    decided = documents.decision(list(registry.records()), "西市监〔2023〕2号", policy)
    words = "\n".join(p.text for p in Document(io.BytesIO(documents.notice(decided, "西市监〔2023〕2号", policy))).paragraphs)
    assert "撤销" in words and "第九条第五项" in words and "第八条" not in words


def test_no_label_is_typed_outside_labels() -> None:
    """No Chinese label of ``labels``' tables is typed as a dict value elsewhere: a table of labels is written once."""
    words = {v for table in vars(labels).values() if isinstance(table, dict) for v in table.values()
             if isinstance(v, str) and re.search(r"[\u4e00-\u9fff]", v)}
    found = []
    for path in sorted(GENERATOR.rglob("*.py")):
        if path.name == "labels.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                found += [f"{path.relative_to(GENERATOR)}:{v.lineno}: {v.value}" for v in node.values
                          if isinstance(v, ast.Constant) and v.value in words]
    assert found == []


# Where 西平县 may still be written: the defaults of policy.yml's values (policy.py), an example in the record
# template and in a YAML hint, the command line's description (cli.py), and the form editor's page title
# (adminserver.INDEX, a file written before any policy is read).
COUNTY_ALLOWED = {"policy.py", "template.py", "yamltext.py"}  # the defaults; two examples a clerk reads (an address, a name)


def test_the_county_and_the_bureau_are_named_by_policy_yml() -> None:
    """The county, the bureau and the issuer have one source (policy.yml's ``documents`` and ``issuer``, their defaults
    in policy.py): no other module types 西平县 in a string."""
    found = [f"{path.relative_to(GENERATOR)}:{line}: {value}" for path in sorted(GENERATOR.rglob("*.py"))
             if path.relative_to(GENERATOR).as_posix() not in COUNTY_ALLOWED
             for line, value in _literals(path) if "西平县" in value]
    assert found == []
