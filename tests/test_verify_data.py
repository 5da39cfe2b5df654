"""The verification index gives every certificate its own printed term and its fate on the data date (ARCHITECTURE.md
section 6, issue 41 items 1-2): in force, expired, replaced by a named newer certificate, revoked or recovered on a date. The
page's answers in the browser: tests/test_verify_page.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from generator.public import public_enterprise
from generator.site.verify import EPOCH, FATES, verify_index
from tests.helpers import ROOT, check_case
from tests.sitekit import TODAY, certificate_fixtures


def _index(tmp_path: Path) -> dict[str, Any]:
    for fixture in certificate_fixtures().values():
        (tmp_path / f"{fixture.uscc}.yaml").write_text(fixture.text, encoding="utf-8")
    return _built_index(tmp_path)


def _built_index(tmp_path: Path, expected: tuple[str, ...] = ()) -> dict[str, Any]:
    """verify.json's content for the records in ``tmp_path`` (whose errors are those of the rules ``expected``)."""
    today = date.fromisoformat(TODAY)
    registry = check_case(tmp_path, today)
    assert [f.rule for f in registry.findings if f.severity == "error"] == list(expected), registry.findings
    items = [e for record, st in registry.records() if (e := public_enterprise(record, st, today, registry.policy))]
    return dict(json.loads(verify_index(items, today, registry.policy.on(today).certificate_format, {})))


def _day(n: int) -> str:
    return (EPOCH + timedelta(days=n)).isoformat()


def test_each_certificate_carries_its_own_term_and_fate(tmp_path: Path) -> None:
    index = _index(tmp_path)
    by_name = {row[1]: row for row in index["e"]}
    fixtures = certificate_fixtures()
    seen = {}
    for kind, fixture in fixtures.items():
        row = by_name[fixture.name]
        assert len(row) == 5 and len(row[4]) == len(row[2])  # one fate per certificate, after the four older items
        seen[kind] = [[_day(f[0]), *f[1:2], *[_day(d) for d in f[2:3]], *f[3:]] for f in row[4]]
    assert seen["valid"] == [["2028-06-09", "v"]]
    # 〔2023〕1019号: printed 2023-06-19 至 2026-06-18, replaced on 2026-06-20 by the second certificate of the row
    assert seen["replaced"] == [["2026-06-18", "n", "2026-06-20", 1], ["2029-06-19", "v"]]
    assert by_name[fixtures["replaced"].name][2][1][0] == "2026〕018"  # the newer one, by its position
    assert seen["expired"] == [["2026-01-09", "x"]]  # its term ended; the holder is 保留资格 (still listed)
    assert seen["revoked"] == [["2027-06-09", "r", "2026-08-15"]]
    assert seen["withdrawn"] == [["2028-06-09", "w", "2026-03-01"]]
    assert set(FATES) == {"v", "x", "n", "r", "w"}


def test_a_revocation_after_the_printed_term_leaves_the_certificate_expired(tmp_path: Path) -> None:
    """A removal after the printed term ended (复核中, then 未参加复核 → 已撤销) does not rewrite what the certificate is: its
    term ended first; the holder's status (已撤销) is the page's second sentence."""
    from generator.lifecycle import Status
    from generator.public import PublicEnterprise

    data = {"uscc": "91411721MA00000154", "name": "x",
            "events": [{"date": "2022-06-10", "type": "filed", "certificate": "西知强企证〔2022〕001号"},
                       {"date": "2025-09-01", "type": "review_absent", "certificate": None}],
            "status_intervals": [{"from": "2022-06-10", "to": "2025-06-09", "status": "valid"},
                                 {"from": "2025-06-10", "to": "2025-09-01", "status": "under_review"},
                                 {"from": "2025-09-02", "to": None, "status": "revoked"}]}
    e = PublicEnterprise(data, Status("revoked", False), ("2025-06-09", "2026-06-09", None))
    row = json.loads(verify_index([e], date(2026, 11, 25), "西知强企证〔{year}〕{seq:03d}号", {}))["e"][0]
    assert row[4] == [[(date(2025, 6, 9) - EPOCH).days, "x"]]
    # without a term the record can tell, a certificate is never answered as in force
    bare = PublicEnterprise({**data, "status_intervals": []}, Status("revoked", False))
    assert json.loads(verify_index([bare], date(2026, 11, 25), "", {}))["e"][0][4] == [[-1, "x"]]


def test_the_index_follows_its_published_schema(tmp_path: Path) -> None:
    """schemas/public-verify.schema.json (published as data/verify.schema.json) describes the index, the fates included;
    the golden index of the samples (tests/golden/site/data__verify.json) follows it too."""
    from jsonschema import Draft202012Validator

    from tests.helpers import ROOT

    schema = json.loads((ROOT / "schemas" / "public-verify.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    golden = json.loads((ROOT / "tests" / "golden" / "site" / "data__verify.json").read_text(encoding="utf-8"))
    for index in (_index(tmp_path), golden):
        assert [e.message for e in validator.iter_errors(index)] == []
    broken = _index(tmp_path)
    broken["e"][0][4][0][1] = "ok"  # a fate the page does not know
    assert list(validator.iter_errors(broken))


def _recovered_index(tmp_path: Path, recovered: str) -> dict[str, Any]:
    """The revoked fixture with its certificate recorded as taken back (the filed event's ``recovered``, Art. 8(5))."""
    fixture = certificate_fixtures()["revoked"]
    line = "    certificate: 西知强企证〔2024〕032号\n"
    assert line in fixture.text
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / f"{fixture.uscc}.yaml").write_text(fixture.text.replace(line, line + f"    recovered: {recovered}\n"), encoding="utf-8")
    return _built_index(tmp_path, ("events.future",) if recovered > TODAY else ())  # a recovery after today: an error too


def test_a_recovered_certificate_carries_the_day_it_was_taken_back(tmp_path: Path) -> None:
    """Design section 10 / issue 39: the event's ``recovered`` reaches the index as the revoked fate's fourth item (the page
    says 已收回 with that day); a recovery dated after the data date is not yet a fact."""
    (row,) = _recovered_index(tmp_path / "a", "2026-09-01")["e"]
    assert [[_day(f[0]), f[1], *[_day(d) for d in f[2:]]] for f in row[4]] == [["2027-06-09", "r", "2026-08-15", "2026-09-01"]]
    (later,) = _recovered_index(tmp_path / "b", "2027-01-05")["e"]
    assert len(later[4][0]) == 3


@pytest.mark.slow
def test_the_page_says_recovered_with_its_day(tmp_path: Path) -> None:
    """verify.js' answer for a revoked certificate: 已撤销 with the revocation day and, when the index has it, 已收回 with the
    recovery day (node runs the page's ``fate`` on the index)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    source = (ROOT / "docs" / "assets" / "javascripts" / "verify.js").read_text(encoding="utf-8")
    helpers = "\n".join(line for line in source.splitlines() if re.match(r"\s*function (toDay|esc|date)\(", line))
    fate = source[source.index("  function fate(e, c) {"):source.index("  var SHORT")]
    index = _recovered_index(tmp_path, "2026-09-01")
    (row,) = index["e"]
    script = (f"var DAY = 86400000; var index = {json.dumps(index, ensure_ascii=False)};\n{helpers}\n{fate}\n"
              f"var e = index.e[0]; var c = {{text: e[2][0][0], day: e[2][0][1], fate: e[4][0]}};\n"
              "var f = fate(e, c); console.log(f.title.replace(/<[^>]+>/g, '')); console.log(f.term.replace(/<[^>]+>/g, ''));")
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == "证书已撤销（2026-08-15），已收回（2026-09-01）", out
    assert out[1].endswith("2026-08-15 起撤销资格，本证书作废，2026-09-01 已收回。"), out
