"""Every dated change of a policy value is published (issue 37 item 10, ARCHITECTURE.md section 7): the policy page
notes it above the measures' text (which states the old value as issued), the guide states the values in force on the
data date and announces changes decided for a later date, and data/policy.json carries the dated values."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

from generator.labels import POLICY_VALUE_ZH
from generator.policy import Measures, Policy, PolicyHistory, default_policy, policy_from_mapping
from generator.site.opendata import policy_json
from generator.site.pages import guide_fragments, policy_pages
from generator.site.revisions import shown
from tests.helpers import SAMPLES, scratch_checkout
from tests.sitekit import build

D = date.fromisoformat
REFERENCE = "西市监〔2026〕40号"
MEASURES = {"name": "西平县知识产权强企培育备案管理办法", "document": "西市监〔2018〕1号", "issued": "2018-01-01",
            "in_force": "2018-01-01", "text": "texts/measures.txt"}
TEXT = "第八条 动态管理\n1. 知识产权优势企业备案有效期为三年。\n"


def revised() -> PolicyHistory:
    """The issue's reproduction: revenue_min and validity_years changed from 2027-01-01 by 西市监〔2026〕40号."""
    return policy_from_mapping({
        "measures": MEASURES,
        "revenue_min": {"values": {"2018-01-01": 3_000_000, "2027-01-01": 5_000_000}, "reference": REFERENCE},
        "validity_years": {"values": {"2018-01-01": 3, "2027-01-01": 5}, "reference": REFERENCE},
    })


def _text(markdown: str) -> str:
    """Markdown/HTML as a reader sees the words: tags and escaped punctuation undone."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", markdown)).replace("**", "")


def test_every_value_has_a_label_and_is_shown_with_the_guides_unit() -> None:
    assert {f.name for f in fields(Policy)} - {"documents"} <= set(POLICY_VALUE_ZH)
    assert (shown("revenue_min", 5_000_000), shown("revenue_min", 3_050_000)) == ("500 万元", "305 万元")
    assert (shown("revenue_min", 3_005_000), shown("validity_years", 5), shown("review_notice_days", 60)) == ("300.5 万元", "5 年", "60 天")
    assert shown("patent_revenue_share_percent", default_policy().first.patent_revenue_share_percent) == "20%"
    assert shown("legal_person_prefixes", ("91", "92")) == "91、92" and shown("standard_2013_until", D("2025-12-31")) == "2025-12-31"


def test_changes_come_in_date_order_with_their_reference() -> None:
    changes = revised().changes()
    assert [(c.day, c.key, c.before, c.after, c.reference) for c in changes] == [
        (D("2027-01-01"), "validity_years", 3, 5, REFERENCE), (D("2027-01-01"), "revenue_min", 3_000_000, 5_000_000, REFERENCE)]
    assert default_policy().changes() == []
    unreferenced = policy_from_mapping({"ban_years": {"values": {"2018-01-01": 3, "2027-01-01": 5}}})
    page = policy_pages([(Measures("办法", None, None, D("2018-01-01"), None), TEXT)], D("2026-11-25"), unreferenced.changes())
    assert "取消资格后不得申请备案的期限：3 年 → 5 年，2027-01-01 起施行（修订文件的文号未登记）" in _text(page["policy.md"])


@pytest.mark.parametrize("today,state", [("2026-12-31", "已经决定、尚未施行"), ("2027-01-01", "已经施行")])
def test_the_policy_page_explains_the_values_the_text_states(today: str, state: str) -> None:
    """The text says 三年 as issued; a note above it says what changed, old → new, from when, by which 文号."""
    history = revised()
    page = policy_pages([(history.measures[0], TEXT)], D(today), history.changes())["policy.md"]
    words = _text(page)
    assert "现行有效：《西平县知识产权强企培育备案管理办法》（西市监〔2018〕1号）" in words
    assert "下方原文照录印发时的文本，未作改动" in words and "有效期为三年" in words  # the legal text itself is not rewritten
    assert f"{state}：" in words
    assert f"知识产权优势企业备案有效期：3 年 → 5 年，2027-01-01 起施行（{REFERENCE}）" in words
    assert f"上一年度营业收入下限：300 万元 → 500 万元，2027-01-01 起施行（{REFERENCE}）" in words
    assert page.index("数值的修订") < page.index("有效期为三年")  # read before the text


def test_without_a_change_the_policy_page_and_the_guide_are_as_before() -> None:
    plain = policy_from_mapping({"measures": MEASURES})
    today = D("2026-11-25")
    assert policy_pages([(plain.measures[0], TEXT)], today, plain.changes()) == policy_pages([(plain.measures[0], TEXT)], today)
    assert guide_fragments(plain.on(today), {}, today, plain.changes()) == guide_fragments(plain.on(today), {})


def test_the_guide_states_the_values_in_force_on_the_data_date_and_announces_the_change() -> None:
    history = revised()
    before = _text(guide_fragments(history.on(D("2026-12-31")), {}, D("2026-12-31"), history.changes())["conditions"])
    assert "300 万元以上" in before and "有效期 3 年" in before and "500 万元以上" not in before
    assert "以上数值是本站数据日期 2026-12-31 施行的数值" in before
    assert f"已经决定、尚未施行的修订：\n\n- 知识产权优势企业备案有效期：3 年 → 5 年，2027-01-01 起施行（{REFERENCE}）" in before
    after = _text(guide_fragments(history.on(D("2027-01-01")), {}, D("2027-01-01"), history.changes())["conditions"])
    assert "500 万元以上" in after and "有效期 5 年" in after and "300 万元以上" not in after
    assert "已经施行的修订：" in after and "尚未施行" not in after
    assert f"上一年度营业收入下限：300 万元 → 500 万元，2027-01-01 起施行（{REFERENCE}）" in after


def test_policy_json_carries_the_dated_values() -> None:
    from jsonschema import Draft202012Validator

    payload = json.loads(policy_json(revised(), D("2026-11-25")))
    schema = json.loads((Path(__file__).resolve().parent.parent / "schemas/public-policy.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert list(Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).iter_errors(payload)) == []
    assert payload["changes"][1] == {
        "date": "2027-01-01", "key": "revenue_min", "label": "上一年度营业收入下限", "before": 3_000_000, "after": 5_000_000,
        "before_shown": "300 万元", "after_shown": "500 万元", "reference": REFERENCE, "in_force": False}
    values = {v["key"]: v for v in payload["values"]}
    assert values["validity_years"]["value"] == 3 and values["validity_years"]["steps"] == [
        {"from": "2018-01-01", "value": 3, "shown": "3 年"}, {"from": "2027-01-01", "value": 5, "shown": "5 年"}]
    assert values["patent_revenue_share_percent"]["value"] == 20 and values["legal_person_prefixes"]["value"] == ["91"]
    later = json.loads(policy_json(revised(), D("2027-01-01")))
    assert {v["key"]: v["value"] for v in later["values"]}["revenue_min"] == 5_000_000 and later["changes"][0]["in_force"] is True


def with_dated_change(repo: Path) -> Path:
    """A scratch repository's policy.yml (the samples') with the issue's change: validity_years and revenue_min dated."""
    text = (SAMPLES / "policy.yml").read_text(encoding="utf-8")
    for key, steps in (("validity_years", "2018-01-01: 3, 2027-01-01: 5"), ("revenue_min", "2018-01-01: 3000000, 2027-01-01: 5000000")):
        text, n = re.subn(rf"^{key}: \d+ .*$", f"{key}:\n  values: {{{steps}}}\n  reference: {REFERENCE}", text, count=1, flags=re.M)
        assert n == 1, key
    (repo / "policy.yml").write_text(text, encoding="utf-8")
    return repo


@pytest.mark.slow
def test_a_site_built_with_a_dated_change_publishes_it(tmp_path: Path) -> None:
    """The issue's reproduction, built: 40号 on the policy page, on the guide and in the open data."""
    repo = with_dated_change(scratch_checkout(tmp_path / "repo"))
    result = build(repo)  # the data date 2026-11-25: the change is decided, not yet in force
    assert result.returncode == 0, result.stderr
    site = repo / "site"
    policy = _text((site / "policy/index.html").read_text(encoding="utf-8"))
    guide = _text((site / "guide/index.html").read_text(encoding="utf-8"))
    for words in (policy, guide):
        assert f"知识产权优势企业备案有效期：3 年 → 5 年，2027-01-01 起施行（{REFERENCE}）" in words
        assert f"上一年度营业收入下限：300 万元 → 500 万元，2027-01-01 起施行（{REFERENCE}）" in words
        assert "已经决定、尚未施行" in words
    assert "三年" in policy and "300 万元以上" in guide and "2026-11-25 施行的数值" in guide
    data = json.loads((site / "data/policy.json").read_text(encoding="utf-8"))
    assert [(c["key"], c["date"], c["reference"], c["in_force"]) for c in data["changes"]] == [
        ("validity_years", "2027-01-01", REFERENCE, False), ("revenue_min", "2027-01-01", REFERENCE, False)]
    schema = json.loads((site / "data/policy.schema.json").read_text(encoding="utf-8"))
    from jsonschema import Draft202012Validator

    assert schema["$id"].endswith("/data/policy.schema.json") and list(Draft202012Validator(schema).iter_errors(data)) == []
    assert "policy.json" in (site / "data/index.html").read_text(encoding="utf-8")
    later = build(repo, "site-2027", "2027-01-01")  # the data date on the change: in force, the guide's values are the new ones
    assert later.returncode == 0, later.stderr
    guide = _text((repo / "site-2027/guide/index.html").read_text(encoding="utf-8"))
    assert "500 万元以上" in guide and "有效期 5 年" in guide and "已经施行的修订" in guide and "尚未施行" not in guide
