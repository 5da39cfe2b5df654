"""A save from the form is written the way ``ipreg new`` and ``ipreg decide`` write a record (issue 40): the form sends
the record as Decap re-serialised it (no comments, codes unquoted, lists reflowed); ``editor/keep.py`` puts only what
changed into the file, so the git diff of a save is the lines the clerk changed."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.editor.keep import _Loader, keep
from generator.editor.server import Editor
from generator.inputs import read_registry
from generator.policy import load_policy
from generator.template import render_template
from tests.helpers import git, scratch_checkout
from tests.test_new_and_diff import fill

USCC = "91411721MA00000154"
TEMPLATE = fill(render_template(USCC, "西平县测试机械有限公司"))  # a record as ipreg new writes it, filled in


def _as_decap_sends(data: dict[str, Any]) -> str:
    """What the form posts: the values only, flow-free YAML, no comments, codes not quoted."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


def _data() -> dict[str, Any]:
    loaded = yaml.load(TEMPLATE, Loader=_Loader)
    assert isinstance(loaded, dict)
    return loaded


def _changed_lines(old: str, new: str) -> list[tuple[str, str]]:
    a, b = old.splitlines(), new.splitlines()
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def test_one_changed_value_changes_one_line_and_keeps_its_comment() -> None:
    data = _data()
    data["ip_management"]["managers"] = 3
    out = keep(TEMPLATE.encode(), _as_decap_sends(data)).decode()
    line = "  managers: {}            # 知识产权管理人员人数"
    assert _changed_lines(TEMPLATE, out) == [(line.format(2), line.format(3))]


def test_a_changed_code_stays_quoted_and_an_unchanged_record_is_the_same_bytes() -> None:
    data = _data()
    assert keep(TEMPLATE.encode(), _as_decap_sends(data)) == TEMPLATE.encode()
    data["patents"][0]["number"] = "ZL202010566089.2"
    [(_, new)] = _changed_lines(TEMPLATE, keep(TEMPLATE.encode(), _as_decap_sends(data)).decode())
    assert new.startswith('  - number: "ZL202010566089.2"') and "# 申请号" in new


def test_added_items_and_events_come_in_block_style_and_empty_new_fields_stay_out() -> None:
    data = _data()
    data["address"] = ""  # the form sends an empty optional field
    data["ip_management"]["agencies"].append("甲所")
    data["events"].append({"date": "2026-11-01", "type": "filed", "document": "西市监〔2026〕3号"})
    out = keep(TEMPLATE.encode(), _as_decap_sends(data)).decode()
    assert yaml.load(out, Loader=_Loader) == {k: v for k, v in data.items() if k != "address"}
    assert "  agencies: [西平县测试知识产权代理事务所, 甲所]" in out
    assert '  - date: 2026-11-01\n    type: filed\n    document: "西市监〔2026〕3号"\n' in out
    assert out.count("#") == TEMPLATE.count("#")  # every comment kept


def test_a_removed_list_item_takes_its_lines() -> None:
    data = _data()
    del data["trademarks"]
    out = keep(TEMPLATE.encode(), _as_decap_sends(data)).decode()
    assert "trademarks" not in out and "\n\ntrade_secret_measures:" in out
    assert yaml.load(out, Loader=_Loader) == data


@pytest.mark.slow
def test_a_save_through_the_editor_of_a_template_record_is_a_one_line_git_diff(tmp_path: Path) -> None:
    repo = scratch_checkout(tmp_path / "repo")
    path = f"records/{USCC}.yaml"
    (repo / path).write_text(TEMPLATE, encoding="utf-8")
    for args in (["init", "-q"], ["add", "records", "policy.yml"], ["commit", "-qm", "samples"]):
        git(repo, *args)
    with contextlib.chdir(repo):
        editor = Editor(repo, lambda: read_registry("records"), load_policy(repo / "policy.yml"), lambda: date(2026, 11, 25))
        opened = editor.entries([path], opened=True)[0]
        data = yaml.load(opened["data"], Loader=_Loader)
        data["ip_management"]["budget"] = 300000
        editor.save([{"path": path, "raw": _as_decap_sends(data), "ipregId": opened["file"]["id"]}])
    assert git(repo, "diff", "--numstat").split("\t")[:2] == ["1", "1"]
    diff = git(repo, "diff", "-U0", path)
    assert "-  budget: 200000 " in diff and "+  budget: 300000 " in diff and "# 年度知识产权专项经费（元）" in diff
