"""The public site built from fixture records: membership, privacy, escaping, open data, atomicity."""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from icalendar import Calendar
from jsonschema import Draft202012Validator

from tests.helpers import ROOT
from tests.sitekit import HOSTILE_NAME, PRIVATE_MARKERS, SITE_URL, Fixture, build, fixtures, scratch_repo

FIX = fixtures()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = scratch_repo(tmp_path_factory.mktemp("repo"))
    result = build(repo, site_url=SITE_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo / "site"


def all_text(site: Path) -> dict[str, bytes]:
    out = {}
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            out[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return out


class _Text(HTMLParser):
    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag, self.depth, self.chunks = tag, 0, []  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.tag:
            self.depth += 1
        elif tag == "a" and self.depth:
            self.depth += 100  # skip the permalink anchor

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.depth >= 100:
            self.depth -= 100
        elif tag == self.tag and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and self.depth < 100:
            self.chunks.append(data)


def text_of(html_text: str, tag: str) -> str:
    parser = _Text(tag)
    parser.feed(html_text)
    return "".join(parser.chunks)


def page(site: Path, path: str) -> str:
    """A built page's HTML as written, less the spans that keep dates and codes on one line (typography.keep_tokens_whole,
    tested on its own): the assertions read the text as the templates made it."""
    html_text = (site / path / "index.html").read_text(encoding="utf-8")
    return re.sub(r'<span class="ipreg-nowrap">([^<]*)</span>', r"\1", html_text)


@pytest.mark.slow
def test_list_membership_follows_status(site: Path) -> None:
    html_text = page(site, "list")
    table = html_text[html_text.index("<tbody>"):html_text.index("</tbody>")]
    listed = {"machine", "hostile", "private", "conditional"}
    for key, fixture in FIX.items():
        assert (fixture.uscc in table) is (key in listed), key


@pytest.mark.slow
def test_every_filed_enterprise_has_a_page_and_pending_appears_nowhere(site: Path) -> None:
    for key, fixture in FIX.items():
        assert (site / "enterprises" / fixture.uscc / "index.html").exists() is (key != "pending"), key
    pending = FIX["pending"]
    for name, data in all_text(site).items():
        assert pending.uscc.encode() not in data, name
        assert pending.name.encode() not in data, name


@pytest.mark.slow
def test_private_values_appear_nowhere(site: Path) -> None:
    files = all_text(site)
    assert "search/search_index.json" in files and "sitemap.xml.gz" in files and "data/enterprises.json" in files
    for marker in PRIVATE_MARKERS.values():
        leaks = [name for name, data in files.items() if marker.encode() in data]
        assert leaks == [], marker
    # the private fixture itself is published (so the test would notice a leak), and its service and priority support counted
    assert FIX["private"].uscc.encode() in files["data/enterprises.json"]
    support = {y["year"]: y for y in json.loads(files["data/support.json"])["years"]}
    assert support[2025]["by_kind"][0]["kind"] == "pledge_financing" and support[2025]["by_kind"][0]["amount"] is None
    assert support[2026]["priority_support"] == 1


@pytest.mark.slow
def test_hostile_text_renders_literally(site: Path) -> None:
    hostile = FIX["hostile"]
    html_text = page(site, f"enterprises/{hostile.uscc}")
    assert text_of(html_text, "h1") == HOSTILE_NAME
    assert "<script>alert" not in html_text and "<img src=x" not in html_text and "<b>粗" not in html_text
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html_text).__str__()
    assert "49" not in text_of(html_text, "h1")
    ids = re.findall(r'\bid="([^"]*)"', html_text)
    assert ids.count("__config") == 1 and 'id="__config" type="application/json"' in html_text  # Material's, not the name's
    assert not [i for i in ids if "config" in i and i != "__config"] and 'id="enterprise"' in html_text
    title = re.search(r"<title>(.*?)</title>", html_text, re.DOTALL)
    assert title and "<script>" not in title.group(1) and "&lt;script&gt;" in title.group(1)
    listing = page(site, "list")
    row = next(line for line in listing.splitlines() if hostile.uscc in line)
    assert row.count("<td") == 6  # the | in the name did not add a cell
    assert "<script>alert" not in listing


@pytest.mark.slow
def test_no_javascript_links_anywhere(site: Path) -> None:
    for name, data in all_text(site).items():
        if name.endswith(".html"):
            hrefs = re.findall(rb'href="([^"]*)"', data)
            assert not [h for h in hrefs if h.lower().startswith(b"javascript")], name


@pytest.mark.slow
def test_open_data_json_validates(site: Path) -> None:
    payload = json.loads((site / "data/enterprises.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "data/enterprises.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(payload)) == []
    assert payload["today"] == "2026-11-25" and payload["count"] == 5
    statuses = {e["uscc"]: e["status"] for e in payload["enterprises"]}
    assert statuses[FIX["revoked"].uscc] == "revoked" and statuses[FIX["conditional"].uscc] == "conditional"
    published = json.loads((site / "data/record.schema.json").read_text(encoding="utf-8"))
    source = json.loads((ROOT / "schemas/enterprise.schema.json").read_text(encoding="utf-8"))
    assert {**published, "$id": None} == {**source, "$id": None}  # the same schema, with the site's own $id


@pytest.mark.slow
def test_csv_has_bom_and_parses(site: Path) -> None:
    raw = (site / "data/enterprises.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["统一社会信用代码", "企业名称"]
    assert len(rows) == 6 and all(len(r) == len(rows[0]) for r in rows)
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code[FIX["hostile"].uscc][1] == HOSTILE_NAME


@pytest.mark.slow
def test_ics_parses_with_unique_uids_and_reminders(site: Path) -> None:
    cal = Calendar.from_ical((site / "data/reviews.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)) and len(uids) >= 4
    assert all(e.decoded("DTSTART") >= date(2026, 11, 25) for e in events)  # past deadlines are not in the calendar
    term = next(e for e in events if FIX["machine"].uscc in str(e["UID"]) and str(e["UID"]).startswith("term-end"))
    assert term.decoded("DTSTART") == date(2028, 6, 9)
    triggers = sorted(a.decoded("TRIGGER") for a in term.walk("VALARM"))
    assert triggers == [timedelta(days=-30), timedelta(days=-7)]
    grace = [e for e in events if str(e["UID"]).startswith("grace-end") and FIX["conditional"].uscc in str(e["UID"])]
    assert grace and grace[0].decoded("DTSTART") == date(2026, 11, 30)
    assert not [e for e in events if FIX["revoked"].uscc in str(e["UID"])]


def test_ics_and_timeline_include_review_deadlines_of_under_review() -> None:
    from generator.lifecycle import Status
    from generator.public import PublicEnterprise
    from generator.site.content import build_content
    from generator.site.opendata import reviews_ics

    st = Status("under_review", True, term_start=date(2023, 6, 15), term_end=date(2026, 6, 14), review_deadline=date(2027, 6, 14),
                next_deadline=date(2027, 6, 14), next_deadline_kind="review_deadline", terms=((date(2023, 6, 15), date(2026, 6, 14)),))
    item = PublicEnterprise({"uscc": "91411721MA45A0038J", "name": "复核中企业", "events": []}, st)
    cal = Calendar.from_ical(reviews_ics([item], date(2026, 11, 25), "https://x.invalid/"))
    events = list(cal.walk("VEVENT"))
    assert [(str(e["UID"]).split("-9")[0], e.decoded("DTSTART")) for e in events] == [("review-deadline", date(2027, 6, 14))]
    timeline = build_content([], {}, date(2026, 11, 25), "", {}).pages["timeline.md"]
    assert "24 个月内没有" in timeline


@pytest.mark.slow
def test_atom_feed_parses_newest_first(site: Path) -> None:
    root = ET.fromstring((site / "data/changes.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    updated = [e.findtext("a:updated", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert updated and updated == sorted(updated, reverse=True)
    ids = [e.findtext("a:id", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert len(ids) == len(set(ids))


@pytest.mark.slow
def test_enterprise_page_content(site: Path) -> None:
    """The status in one sentence with dates and days left; an SVG chart whose bars stop where terms ended; a JSON download."""
    html_text = page(site, f"enterprises/{FIX['conditional'].uscc}").replace("&#45;", "-")
    assert "保留资格：复核未通过，保留资格至 2026-11-30，还有 5 天" in html_text
    assert '<svg viewBox="0 0 320' in html_text and 'role="img"' in html_text and "mermaid" not in html_text
    assert 'href="enterprise.json"' in html_text
    download = json.loads((site / "enterprises" / FIX["conditional"].uscc / "enterprise.json").read_text(encoding="utf-8"))
    assert download["enterprise"]["uscc"] == FIX["conditional"].uscc and download["licence"]["id"] == "CC-BY-4.0"
    revoked = page(site, f"enterprises/{FIX['revoked'].uscc}").replace("&#45;", "-")
    assert "2026-01-15 从名单中撤销" in revoked and "禁止申请" in revoked
    machine = page(site, f"enterprises/{FIX['machine'].uscc}").replace("&#45;", "-")
    sentence = re.search(r'<p class="ipreg-sentence"[^>]*>(.*?)</p>', machine, re.S)
    assert sentence and "知识产权优势企业，列入公开名单，有效期至 2028-06-09，还有 562 天。" in sentence[1]
    assert "有效 有效" not in re.sub(r"<[^>]+>", " ", sentence[1]).replace("  ", " ")  # the badge's word is not repeated
    assert "列入 2026-11-25 的公开名单" not in machine


def test_revoked_term_bar_stops_at_the_revocation() -> None:
    from generator.lifecycle import Status
    from generator.site.charts import lifecycle_bars

    st = Status("revoked", False, term_start=date(2025, 6, 10), term_end=date(2028, 6, 9), ended_on=date(2026, 1, 15),
                cause="revoked", terms=((date(2025, 6, 10), date(2028, 6, 9)),), bans=((date(2026, 1, 15), date(2029, 1, 14)),))
    bars = {b.kind: (b.start, b.end) for b in lifecycle_bars(st)}
    assert bars == {"term": (date(2025, 6, 10), date(2026, 1, 14)), "ban": (date(2026, 1, 15), date(2029, 1, 14))}


@pytest.mark.slow
def test_history_and_timeline(site: Path) -> None:
    history = page(site, "history")
    assert FIX["revoked"].uscc in history and FIX["machine"].uscc not in history
    timeline = page(site, "timeline").replace("&#45;", "-")
    assert "2026年11月" in timeline and FIX["conditional"].uscc in timeline and "reviews.ics" in timeline


@pytest.mark.slow
def test_policy_page_anchors_and_the_applicants_guide(site: Path) -> None:
    policy = page(site, "policy")
    for anchor in ("art4-1", "art5-5", "art8-5", "art11-5"):
        assert f'id="{anchor}"' in policy, anchor
    item = policy[policy.index('id="art11-5"'):]
    assert "组织不同领域专家，根据企业需求" in item[:item.index("</p>")]  # Art. 11 item 5 is one paragraph
    assert "没有第九条、第十条、第十二条" in policy
    guide = html.unescape(page(site, "guide"))
    assert "300 万元以上" in guide and "20% 以上" in guide and "80% 以上" in guide and "3 年以上" in guide
    assert "受理部门" in guide and "办公时间" in guide  # mkdocs.yml extra.ipreg_contact
    for staff in ("合并请求", "pull request", "ipreg check", "art5.revenue", "records/", "YAML"):
        assert staff not in guide, staff  # the guide is for applicants, not for the bureau's staff
    assert not (site / "checks").exists() and not (site / "benchmarks").exists()  # staff documents stay in the repository
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "checks" not in sitemap and "benchmarks" not in sitemap and "contributing" not in sitemap.lower()


@pytest.mark.slow
def test_the_support_page_shows_aggregates_and_withholds_one_enterprises_pledge(site: Path) -> None:
    """服务与支持 (/support/, issue 39) in the navigation and the site map, with the figures of data/support.json: the
    private fixture's pledge financing is one enterprise's, so its amount appears in no spelling in any built file
    (the privacy scan reads the marker's digits only; the page would print them with thousands separators)."""
    text = html.unescape(page(site, "support"))
    assert '<a href="../policy/#art11-4">第十一条第四项</a>' in text and "../data/support.json" in text
    assert "2025年共登记服务 1 项，1 家企业得到服务" in text and "不公布（不足 3 家企业）" in text
    assert "2024年没有登记服务或优先支持。" in text and "2026年（截至 2026-11-25）尚未登记服务。" in text
    amount = int(PRIVATE_MARKERS["service_amount"])
    spellings = {f"{amount:,}", f"{amount:_}".replace("_", " "), f"{amount / 10000:g}", f"{amount / 10000:.2f}"}
    for name, data in all_text(site).items():
        words = html.unescape(data.decode("utf-8", "replace"))
        assert not [s for s in spellings if s in words], name
    for source, link in (("index.html", "support/"), ("sitemap/index.html", "../support/")):  # the navigation; the site map
        assert re.search(f'href="{link}"[^>]*>\\s*服务与支持\\s*</a>', (site / source).read_text(encoding="utf-8")), source


def test_rule_ids_in_hand_written_pages_link_to_their_articles() -> None:
    from generator.site.plugin import link_rule_ids

    text = link_rule_ids("见 `art5.revenue` 和 `art8.ban`，`schema` 不变。", "guide.md")
    assert text == "见 [`art5.revenue`](policy.md#art5-5) 和 [`art8.ban`](policy.md#art8-5)，`schema` 不变。"


@pytest.mark.slow
def test_home_and_data_pages(site: Path) -> None:
    home = page(site, "")
    assert "ipreg:" not in home and "公开名单中共有" in home
    listed = sum(1 for k in ("machine", "hostile", "private", "conditional"))
    assert f"<strong>{listed}</strong>" in home  # the listed statuses add up to the total shown above them
    data_page = html.unescape(page(site, "data"))
    assert "uscc" in data_page and "valid_patents" in data_page and "revenue" not in data_page


@pytest.mark.slow
def test_build_is_reproducible(tmp_path: Path, site: Path) -> None:
    repo = scratch_repo(tmp_path / "again")
    assert build(repo, site_url=SITE_URL).returncode == 0
    first, second = all_text(site), all_text(repo / "site")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


@pytest.mark.slow
def test_failed_build_leaves_the_old_site(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo", {"machine": FIX["machine"]})
    assert build(repo).returncode == 0
    before = all_text(repo / "site")
    bad = Fixture(FIX["machine"].uscc, "x", FIX["machine"].text.replace("revenue: 5000000", "revenue: 10"))
    (repo / "records" / f"{bad.uscc}.yaml").write_text(bad.text, encoding="utf-8")
    result = build(repo)
    assert result.returncode == 1 and "[art5.revenue]" in result.stdout and "保持不变" in result.stderr
    assert all_text(repo / "site") == before
    assert [p.name for p in repo.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.slow
def test_strict_failure_halfway_leaves_the_old_site(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo", {"machine": FIX["machine"]})
    assert build(repo).returncode == 0
    before = all_text(repo / "site")
    (repo / "docs").unlink()  # a docs/ whose page links to a missing page: --strict fails during the build
    docs = repo / "docs"
    import shutil

    shutil.copytree(ROOT / "docs", docs)
    (docs / "index.md").write_text((ROOT / "docs/index.md").read_text(encoding="utf-8") + "\n[坏链接](missing.md)\n", encoding="utf-8")
    result = build(repo)
    assert result.returncode == 1 and "missing.md" in result.stderr
    assert all_text(repo / "site") == before
    assert [p.name for p in repo.iterdir() if p.name.startswith(".site")] == []


def _with_list_page_size(repo: Path, value: str) -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "list_page_size: 500" in config
    (repo / "mkdocs.yml").unlink()
    (repo / "mkdocs.yml").write_text(config.replace("list_page_size: 500", f"list_page_size: {value}"), encoding="utf-8")


@pytest.mark.slow
def test_long_list_is_paginated(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo")
    _with_list_page_size(repo, "3")  # four enterprises are listed: pages of 3 and 1
    result = build(repo)
    assert result.returncode == 0, result.stdout + result.stderr  # --strict: every pager link resolves
    first, second = page(repo / "site", "list"), page(repo / "site", "list/2")
    assert not (repo / "site" / "list" / "3").exists()
    assert "第 1 页，共 2 页" in first and "第 2 页，共 2 页" in second
    assert '<a href="../list/2/">2</a>' in first and '<a href="../../list/">1</a>' in second
    assert 'href="../../enterprises/' in second and 'href="../../history/"' in second
    tables = [p[p.index("<tbody>"):p.index("</tbody>")] for p in (first, second)]
    listed = sorted(f.uscc for k, f in FIX.items() if k in {"machine", "hostile", "private", "conditional"})
    assert [sum(table.count(uscc) > 0 for table in tables) for uscc in listed] == [1, 1, 1, 1]  # each on exactly one page
    assert [u for u in listed if u in tables[0]] == listed[:3]  # in USCC order


@pytest.mark.slow
def test_bad_list_page_size_fails_in_chinese(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo", {"machine": FIX["machine"]})
    _with_list_page_size(repo, "0")
    result = build(repo)
    assert result.returncode == 1 and "list_page_size 应为正整数" in result.stderr
    assert not (repo / "site").exists()


_PUBLIC_PATHS = re.compile(r"^(uscc|name|industry\..*|main_products\[\d+\]|address|website|category|"
                           r"honors\[\d+\]\.(type|awarded|expires)|events\[\d+\]\.(date|type|document|certificate))$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _non_public_values(text: str) -> set[str]:
    """Every value of a record outside the allow-list that could identify it: texts of 4 characters or more
    (not enumerated words or dates), amounts of 5 digits or more (plain and with thousands separators)."""
    import yaml

    found: set[str] = set()
    stack: list[tuple[str, object]] = [("", yaml.load(text, Loader=yaml.BaseLoader))]  # every scalar as written
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            stack += [(f"{path}.{k}".lstrip("."), v) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(f"{path}[{i}]", v) for i, v in enumerate(node)]
        elif isinstance(node, str) and not _PUBLIC_PATHS.match(path):
            if node.isdigit() and len(node) >= 5:
                found |= {node, f"{int(node):,}"}
            elif len(node) >= 4 and not _DATE.match(node) and not re.fullmatch(r"[a-z_0-9]+|true|false", node):
                found.add(node)
    return found


def _decoded(name: str, data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    if name.endswith(".json"):
        text += json.dumps(json.loads(text), ensure_ascii=False)  # the search index escapes CJK as \uXXXX
    return text + html.unescape(text)


@pytest.mark.slow
def test_no_non_public_value_of_any_record_and_no_pending_applicant_anywhere(site: Path) -> None:
    """Every page, the search index, the sitemap and the open data, against every record's non-public values."""
    texts = {name: _decoded(name, data) for name, data in all_text(site).items()}
    assert {"search/search_index.json", "sitemap.xml", "guide/index.html", "data/enterprises.json"} <= set(texts)
    public = {v for f in FIX.values() for v in (f.name, f.uscc)} | {"西平县测试示例机械有限公司"}
    needles = {v for f in FIX.values() for v in _non_public_values(f.text)} - public
    needles |= {FIX["pending"].name, FIX["pending"].uscc}
    assert len(needles) > 30 and PRIVATE_MARKERS["revenue"] in needles
    leaks = sorted((needle, name) for name, text in texts.items() for needle in needles if needle in text)
    assert leaks == [], "\n".join(f"{n} in {p}" for n, p in leaks)


@pytest.mark.slow
def test_no_english_leftovers_and_meaningful_anchors(site: Path) -> None:
    """Material's English footer, permalink titles and 404 text are gone; heading ids are words, never ``_2``."""
    for name, data in all_text(site).items():
        if not name.endswith(".html") or name.startswith("admin/"):
            continue  # /admin/ is Decap's own page (in Chinese through its locale), not a page of the site
        text = data.decode("utf-8")
        for english in ("Made with", "Permanent link", "Not found", "Material for MkDocs"):
            assert english not in text, (name, english)
        assert not re.findall(r'\bid="_\d*"', text), name
        assert '<link rel="alternate feed" type="application/atom+xml"' in text, name  # feed autodiscovery on every page
    assert "找不到这个页面" in (site / "404.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_csv_keeps_codes_as_text_and_carries_its_date(site: Path) -> None:
    from generator.site.opendata import text_code

    rows = list(csv.reader(io.StringIO((site / "data/enterprises.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][-1] == "数据日期" and all(row[-1] == "2026-11-25" for row in rows[1:])
    assert text_code("914117210000000278") == '="914117210000000278"' and text_code("91411721MA00000154") == "91411721MA00000154"


@pytest.mark.slow
def test_last_change_comes_from_one_git_log(tmp_path: Path) -> None:

    from generator.site.history import last_changes
    from tests.helpers import git

    first = {"GIT_COMMITTER_DATE": "2026-03-04T10:00:00+08:00", "GIT_AUTHOR_DATE": "2026-03-04T10:00:00+08:00"}
    git(tmp_path, "init", "-q")
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "a.yaml").write_text("a", encoding="utf-8")
    (tmp_path / "records" / "b.yaml").write_text("b", encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "one", **first)
    (tmp_path / "records" / "b.yaml").write_text("events:\n  - {date: 2024-01-02, type: filed}\n", encoding="utf-8")
    git(tmp_path, "commit", "-qam", "two", **{**first, "GIT_COMMITTER_DATE": "2026-05-06T10:00:00+08:00"})
    assert last_changes(tmp_path, dict.fromkeys(["records/a.yaml", "records/b.yaml", "records/c.yaml"])) == {
        "records/a.yaml": date(2026, 3, 4), "records/b.yaml": date(2026, 5, 6)}
    # recording an application (a cycle without a decision) moves no public date: the last version without it counts
    (tmp_path / "records" / "b.yaml").write_text("events:\n  - {date: 2024-01-02, type: filed}\n  - {date: 2026-05-20, type: applied}\n")
    git(tmp_path, "commit", "-qam", "three", **{**first, "GIT_COMMITTER_DATE": "2026-06-07T10:00:00+08:00"})
    (tmp_path / "records" / "b.yaml").write_text(
        "name: x\nevents:\n  - {date: 2024-01-02, type: filed}\n  - {date: 2026-05-20, type: applied}\n"
    )
    git(tmp_path, "commit", "-qam", "four", **{**first, "GIT_COMMITTER_DATE": "2026-07-08T10:00:00+08:00"})
    assert last_changes(tmp_path, {"records/b.yaml": None}) == {"records/b.yaml": date(2026, 7, 8)}
    assert last_changes(tmp_path, {"records/b.yaml": date(2026, 5, 20)}) == {"records/b.yaml": date(2026, 5, 6)}
    assert last_changes(tmp_path, {"records/b.yaml": date(2026, 5, 21)}) == {"records/b.yaml": date(2026, 7, 8)}
    assert last_changes(tmp_path / "no-git", {"records/a.yaml": None}) == {}


def test_verify_index_keeps_certificate_numbers_as_text() -> None:
    """Any number the format makes (past 999, any length) and any other text comes back exactly; nothing is packed into
    arithmetic, so 〔2026〕1000号 is neither lost nor read as 〔2027〕000号."""
    import json

    from generator.lifecycle import Status
    from generator.public import PublicEnterprise
    from generator.site.verify import verify_index

    numbers = [
        "西知强企证〔2026〕1000号",
        "西知强企证〔2024〕1001号",
        "西知强企证〔2025〕001号",
        "西知强企证〔2025〕1号",
        "豫知证 A-7",
        "号",
    ]
    items = [
        PublicEnterprise(
            {
                "uscc": f"91411721MA{i:08d}",
                "name": "x",
                "status_intervals": [],
                "events": [{"date": "2025-01-0" + str(i + 1), "type": "filed", "certificate": n}],
            },
            Status("valid", True),
        )
        for i, n in enumerate(numbers)
    ]
    index = json.loads(verify_index(items, date(2026, 11, 25), "西知强企证〔{year}〕{seq:03d}号", {}))
    back = [c[0] if len(c) > 2 else index["prefix"] + c[0] + index["suffix"] for row in index["e"] for c in row[2]]
    assert back == numbers


@pytest.mark.slow
def test_every_page_says_it_is_in_simplified_chinese_for_the_mainland(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo", {"machine": fixtures()["machine"]})
    assert build(repo).returncode == 0
    pages = sorted((repo / "site").rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        head = page.read_text(encoding="utf-8")[:400]
        assert '<html lang="zh-CN"' in head or "<html" not in head, page


@pytest.mark.slow
def test_the_footer_of_a_government_website(tmp_path: Path) -> None:
    """Each extra.ipreg_site item printed when set (the ICP number linked to beian.miit.gov.cn, the telephone a tel:
    link), nothing for an absent one; the privacy notice and the site map always linked, and both pages there."""
    import json

    repo = scratch_repo(tmp_path / "repo", {"machine": fixtures()["machine"]})
    config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").unlink()
    site = {
        "host": "西平县市场监管局（知识产权局）",
        "address": "西平县某路 1 号",
        "phone": "0396-1234567",
        "site_code": "4117210001",
        "icp": "豫ICP备12345678号",
        "police": "豫公网安备 41172102000001号",
    }
    block = "  ipreg_site:\n" + "".join(f"    {k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in site.items())
    text = re.sub(r"  ipreg_site:\n(    .*\n)+", block, config)
    assert block in text
    (repo / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert build(repo).returncode == 0
    page = (repo / "site" / "index.html").read_text(encoding="utf-8")
    footer = page[page.index("ipreg-footer") : page.index("</footer>")]
    for value in site.values():
        assert html.escape(value) in footer, value
    assert 'href="https://beian.miit.gov.cn/"' in footer and 'href="tel:03961234567"' in footer
    police = '<a href="https://beian.mps.gov.cn/#/query/webSearch?code=41172102000001" rel="noreferrer">豫公网安备 41172102000001号</a>'
    assert police in footer  # the record number, linked to its record in the register (issue 41 item 8)
    assert "隐私声明" in footer and "网站地图" in footer and "党政机关网站标识" not in footer  # no badge set: none shown
    assert (repo / "site" / "privacy" / "index.html").is_file() and (repo / "site" / "sitemap" / "index.html").is_file()
    sitemap = (repo / "site" / "sitemap" / "index.html").read_text(encoding="utf-8")
    for title in ("名单", "复核时间表", "证书核验", "年度统计", "服务与支持", "政策原文", "申报指南", "开放数据", "隐私声明"):
        assert f">{title}</a>" in sitemap, title


@pytest.mark.slow
def test_every_page_has_its_own_meta_description(site: Path) -> None:
    """Search engines and link previews show a page's description: each page kind says what it holds, and each
    enterprise page names the enterprise and its status (not the site's one description everywhere)."""
    import html as html_module

    found: dict[str, str] = {}
    raw: list[str] = []
    for page in site.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        match = re.search(r'<meta name="description" content="([^"]*)"', text)
        assert match, page
        raw.append(match[1])
        found[page.relative_to(site).as_posix()] = html_module.unescape(match[1])
    enterprise = {k: v for k, v in found.items() if k.startswith("enterprises/")}
    assert enterprise and all(re.search(r"（9[0-9A-Z]{17}）：", v) for v in enterprise.values())
    kinds = [found[k] for k in ("guide/index.html", "data/index.html", "list/index.html", "timeline/index.html", "verify/index.html",
                                "support/index.html")]
    assert len(set(kinds)) == len(kinds)
    assert "<script" not in " ".join(raw) and any("&lt;script" in r for r in raw)  # record text in a description is escaped


@pytest.mark.slow
def test_the_guide_says_how_long_and_the_phone_is_one_tap(site: Path) -> None:
    """Issue 27: the guide promises 多久有结果 and answers it (mkdocs.yml extra.ipreg_contact.time_limit); the telephone
    is a tel: link."""
    guide = page(site, "guide")
    assert re.search(r"多久有结果</strong>：[^<]*工作日", guide)
    assert re.search(r'<a href="tel:0396\d+">0396', guide)


@pytest.mark.slow
def test_the_enterprise_qr_is_the_page_address_under_its_own_heading(site: Path) -> None:
    html_text = page(site, f"enterprises/{FIX['machine'].uscc}")
    certificates, qr = html_text.index('id="certificates"'), html_text.index('id="qr"')
    assert certificates < qr < html_text.index("<svg", qr)  # the QR is not under the certificates' heading
    assert "这是本页网址的二维码，不是证书" in html_text


@pytest.mark.slow
def test_open_data_for_programs_and_for_excel(site: Path) -> None:
    """Issue 27: a plain CSV for programs beside the Excel one, an .xlsx, a schema for each enterprise.json, each schema's
    $id on the site, expired honours marked, and a readable subscription page."""
    data = site / "data"
    plain = (data / "enterprises-plain.csv").read_bytes()
    excel = (data / "enterprises.csv").read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf") and excel.startswith(b"\xef\xbb\xbf") and b"\r\n" not in plain
    assert b'="' not in plain
    assert plain.decode().splitlines()[0] == excel.decode("utf-8-sig").splitlines()[0]
    assert len(plain.decode().splitlines()) == len(excel.decode("utf-8-sig").splitlines())
    from openpyxl import load_workbook

    book = load_workbook(data / "enterprises.xlsx")
    assert "知识产权强企名单" in str(book.active["A1"].value)
    for name in ("enterprise.schema.json", "enterprises.schema.json", "record.schema.json"):
        schema = json.loads((data / name).read_text(encoding="utf-8"))
        assert schema["$id"].endswith(f"/data/{name}") and "example.invalid" not in schema["$id"]
    import jsonschema

    one = json.loads((data / "enterprise.schema.json").read_text(encoding="utf-8"))
    for path in (site / "enterprises").glob("*/enterprise.json"):
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), one)
    subscribe = page(site, "subscribe")
    assert "data/changes.xml" in subscribe and "ipreg-webcal" in subscribe and "<table" in subscribe
    listing = json.loads((data / "enterprises.json").read_text(encoding="utf-8"))
    expired = [h for e in listing["enterprises"] for h in e["honors"] if h["expires"] and h["expires"] < listing["today"]]
    assert plain.decode().count("已过期") == len(expired)


@pytest.mark.slow
def test_text_files_have_a_precompressed_copy(site: Path) -> None:
    """Issue 27: X.gz beside every text file of 1 KB or more (nginx gzip_static), the same bytes when unpacked."""
    from generator.site.compress import SMALLEST, SUFFIXES

    missing = []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in SUFFIXES and path.stat().st_size >= SMALLEST:
            packed = path.with_name(path.name + ".gz")
            if not packed.is_file():
                missing.append(str(path.relative_to(site)))
            else:
                assert gzip.decompress(packed.read_bytes()) == path.read_bytes(), path
    assert missing == []
    assert (site / "index.html.gz").is_file() and any(site.glob("assets/stylesheets/main.*.css.gz"))
