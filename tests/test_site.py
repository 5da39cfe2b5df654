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
from tests.sitekit import HOSTILE_NAME, PRIVATE_MARKERS, Fixture, build, fixtures, scratch_repo

FIX = fixtures()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = scratch_repo(tmp_path_factory.mktemp("repo"))
    result = build(repo)
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
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_list_membership_follows_status(site: Path) -> None:
    html_text = page(site, "list")
    table = html_text[html_text.index("<tbody>"):html_text.index("</tbody>")]
    listed = {"machine", "hostile", "private", "conditional"}
    for key, fixture in FIX.items():
        assert (fixture.uscc in table) is (key in listed), key


def test_every_filed_enterprise_has_a_page_and_pending_appears_nowhere(site: Path) -> None:
    for key, fixture in FIX.items():
        assert (site / "enterprises" / fixture.uscc / "index.html").exists() is (key != "pending"), key
    pending = FIX["pending"]
    for name, data in all_text(site).items():
        assert pending.uscc.encode() not in data, name
        assert pending.name.encode() not in data, name


def test_private_values_appear_nowhere(site: Path) -> None:
    files = all_text(site)
    assert "search/search_index.json" in files and "sitemap.xml.gz" in files and "data/enterprises.json" in files
    for marker in PRIVATE_MARKERS.values():
        leaks = [name for name, data in files.items() if marker.encode() in data]
        assert leaks == [], marker
    # the private fixture itself is published (so the test would notice a leak)
    assert FIX["private"].uscc.encode() in files["data/enterprises.json"]


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
    assert row.count("<td>") == 5 and row.count("<td ") == 1  # the | in the name did not add a cell
    assert "<script>alert" not in listing


def test_no_javascript_links_anywhere(site: Path) -> None:
    for name, data in all_text(site).items():
        if name.endswith(".html"):
            hrefs = re.findall(rb'href="([^"]*)"', data)
            assert not [h for h in hrefs if h.lower().startswith(b"javascript")], name


def test_open_data_json_validates(site: Path) -> None:
    payload = json.loads((site / "data/enterprises.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "data/enterprises.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert list(validator.iter_errors(payload)) == []
    assert payload["today"] == "2026-11-25" and payload["count"] == 5
    statuses = {e["uscc"]: e["status"] for e in payload["enterprises"]}
    assert statuses[FIX["revoked"].uscc] == "revoked" and statuses[FIX["conditional"].uscc] == "conditional"
    assert (site / "data/record.schema.json").read_bytes() == (ROOT / "schemas/enterprise.schema.json").read_bytes()


def test_csv_has_bom_and_parses(site: Path) -> None:
    raw = (site / "data/enterprises.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["统一社会信用代码", "企业名称"]
    assert len(rows) == 6 and all(len(r) == len(rows[0]) for r in rows)
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code[FIX["hostile"].uscc][1] == HOSTILE_NAME


def test_ics_parses_with_unique_uids_and_reminders(site: Path) -> None:
    cal = Calendar.from_ical((site / "data/reviews.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)) and len(uids) >= 5
    term = next(e for e in events if FIX["machine"].uscc in str(e["UID"]) and str(e["UID"]).startswith("term-end"))
    assert term.decoded("DTSTART") == date(2028, 6, 9)
    triggers = sorted(a.decoded("TRIGGER") for a in term.walk("VALARM"))
    assert triggers == [timedelta(days=-30), timedelta(days=-7)]
    grace = [e for e in events if str(e["UID"]).startswith("grace-end") and FIX["conditional"].uscc in str(e["UID"])]
    assert grace and grace[0].decoded("DTSTART") == date(2026, 11, 30)
    assert not [e for e in events if FIX["revoked"].uscc in str(e["UID"])]


def test_atom_feed_parses_newest_first(site: Path) -> None:
    root = ET.fromstring((site / "data/changes.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    updated = [e.findtext("a:updated", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert updated and updated == sorted(updated, reverse=True)
    ids = [e.findtext("a:id", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert len(ids) == len(set(ids))


def test_enterprise_page_content(site: Path) -> None:
    html_text = page(site, f"enterprises/{FIX['conditional'].uscc}")
    assert 'class="mermaid"' in html_text and "gantt" in html_text
    assert "保留资格至" in html_text and "2026-11-30" in html_text.replace("&#45;", "-")
    revoked = page(site, f"enterprises/{FIX['revoked'].uscc}")
    assert "取消资格" in revoked and "禁止申请" in revoked


def test_history_and_timeline(site: Path) -> None:
    history = page(site, "history")
    assert FIX["revoked"].uscc in history and FIX["machine"].uscc not in history
    timeline = page(site, "timeline").replace("&#45;", "-")
    assert "2026年11月" in timeline and FIX["conditional"].uscc in timeline and "reviews.ics" in timeline


def test_rule_ids_link_to_their_articles(site: Path) -> None:
    guide = page(site, "guide")
    policy = page(site, "policy")
    anchors = set(re.findall(r'href="\.\./policy/#(art[\d-]+)"', guide))
    assert {"art4-1", "art5-5", "art8-5"} <= anchors
    for anchor in anchors:
        assert f'id="{anchor}"' in policy, anchor
    for chapter in ("第一章", "第八条"):
        assert chapter in policy
    # hand-written text (the guide shows CONTRIBUTING.md): rule ids in `code` become links too
    assert 'href="../policy/#art5-5"><code>art5.revenue</code></a>' in guide
    assert 'href="../policy/#art8-5"><code>art8.ban</code></a>' in guide
    assert not (site / "checks").exists() and not (site / "benchmarks").exists()  # staff documents stay in the repository


def test_home_and_data_pages(site: Path) -> None:
    home = page(site, "")
    assert "ipreg:" not in home and "公开名单中共" in home
    data_page = html.unescape(page(site, "data"))
    assert "uscc" in data_page and "valid_patents" in data_page and "revenue" not in data_page


def test_build_is_reproducible(tmp_path: Path, site: Path) -> None:
    repo = scratch_repo(tmp_path / "again")
    assert build(repo).returncode == 0
    first, second = all_text(site), all_text(repo / "site")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


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
    assert "ipreg_list_page_size: 500" in config
    (repo / "mkdocs.yml").unlink()
    (repo / "mkdocs.yml").write_text(config.replace("ipreg_list_page_size: 500", f"ipreg_list_page_size: {value}"), encoding="utf-8")


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


def test_bad_list_page_size_fails_in_chinese(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "repo", {"machine": FIX["machine"]})
    _with_list_page_size(repo, "0")
    result = build(repo)
    assert result.returncode == 1 and "ipreg_list_page_size 应为正整数" in result.stderr
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
