"""Build the site from fixture records in a scratch copy of the repository (shared by site tests)."""

from __future__ import annotations

import json
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

from generator.ids import org_code_check, patent_check, uscc_final_check
from tests.helpers import CASES, scratch_checkout
from tests.helpers import ipreg as ipreg  # the one CLI runner, also imported from here by many tests

TODAY = "2026-11-25"
BASE = (CASES / "valid" / "advantage.yaml").read_text(encoding="utf-8")
FILED_EVENT = "events:\n  - date: 2025-06-10\n    type: filed\n    document: 西市监〔2025〕31号\n"


def make_uscc(body: str, division: str = "411721") -> str:
    first = "91" + division + body + org_code_check(body)
    return first + uscc_final_check(first)


HOSTILE_NAME = (
    "<script>alert('x')</script> & *强调* | [链接](javascript:alert(1)) `代码` {{ 7*7 }} {% raw %} ~~删~~ <b>粗</b> "
    "%%{init: {}}%% A-->B ::: ```mermaid __config __search"
)
PRIVATE_MARKERS = {
    "revenue": "7777777123",
    "patent_revenue": "2333333123",
    "budget": "4242421",
    "leader": "MARKERLEADER副总",
    "agency": "MARKERAGENCY代理所",
    "recommendation": "MARKERRECOMMEND推荐",
    "note": "MARKERNOTE备注",
    "authority": "MARKERAUTHORITY机关",
    "patent_title": "MARKERPATENT专利名",
    "trademark_name": "MARKERTM商标名",
    "honor_certificate": "MARKERHONORCERT",
    "standard_certificate": "MARKERSTDCERT",
    "copyright": "MARKERCOPYRIGHT著作",
    "dishonesty_list": "MARKERLIST名单",
    "violation_summary": "MARKERVIOLATION违法事实",
    "violation_document": "MARKERVIOLDOC文书",
    # services, priority support and supervision (design section 10): only counts and totals are public
    "service_amount": "3217654",
    "lender": "MARKERLENDER贷款银行",
    "provider": "MARKERPROVIDER服务机构",
    "service_title": "MARKERSERVICE服务名称",
    "service_result": "MARKERRESULT服务成果",
    "service_document": "MARKERSVCDOC合同",
    "priority_document": "MARKERPRIODOC推荐文号",
    "supervision_document": "MARKERSUPDOC监管文书",
    "supervision_note": "MARKERSUPNOTE监管备注",
}


@dataclass(frozen=True)
class Fixture:
    uscc: str
    name: str
    text: str


def violation(day: str) -> tuple[str, str]:
    """An ``extra`` for ``_record``: a conduct.violations entry dated ``day``, the facts a revocation needs (design section 3 v4)."""
    return ("  dishonesty: []\n", f"  dishonesty: []\n  violations:\n    - date: {day}\n      authority: 西平县消防救援大队\n"
            f"      document: 西消行罚决字〔{day[:4]}〕3号\n      summary: 测试企业消防设施长期停用被处以罚款\n")


def _record(uscc: str, name: str, events: str = FILED_EVENT, extra: tuple[tuple[str, str], ...] = ()) -> Fixture:
    quoted = json.dumps(name, ensure_ascii=False)
    text = (
        BASE.replace('"91411721MA00000154"', f'"{uscc}"')
        .replace("name: 西平县测试示例机械有限公司", f"name: {quoted}")
        .replace(FILED_EVENT, events)
    )
    for old, new in extra:
        assert old in text, old
        text = text.replace(old, new, 1)
    # values of their own, not the examples the schema and the guide show, so a privacy scan can tell them apart
    text = text.replace('number: "12345678"', 'number: "27364518"').replace("leader: 副总经理", "leader: 分管知识产权的副总经理")
    if uscc != "91411721MA00000154":  # each enterprise its own patents and trademark: one in two records is registry.duplicate
        serial = zlib.crc32(uscc.encode()) % 9_000_000 + 1
        for old, year in (("ZL202010566088.9", "20201"), ("ZL202322865413.3", "20232")):
            digits = f"{year}{serial:07d}"
            text = text.replace(old, f"ZL{digits}.{patent_check(digits)}")
        text = text.replace('number: "27364518"', f'number: "{30_000_000 + serial}"')
    return Fixture(uscc, name, text)


def fixtures() -> dict[str, Fixture]:
    m = PRIVATE_MARKERS
    cultivation = (
        f"services:\n  - date: 2025-09-01\n    kind: pledge_financing\n    title: {m['service_title']}\n"
        f"    document: {m['service_document']}\n"
        f"    provider: {m['provider']}\n    result: {m['service_result']}\n    amount: {m['service_amount']}\n    lender: {m['lender']}\n"
        f"priority_support:\n  - date: 2026-04-01\n    programme: city_recommendation\n    outcome: recommended\n"
        f"    document: {m['priority_document']}\n"
        f"supervision:\n  - date: 2026-05-20\n    kind: on_site\n    finding: none\n    document: {m['supervision_document']}\n"
        f"    note: {m['supervision_note']}\n"
    )
    private = (
        (FILED_EVENT, FILED_EVENT + cultivation),  # first: a later replacement adds a note to this event
        ("revenue: 5000000", f"revenue: {m['revenue']}"),
        ("patent_revenue: 1500000", f"patent_revenue: {m['patent_revenue']}"),
        ("budget: 200000", f"budget: {m['budget']}"),
        ("leader: 副总经理", f"leader: {m['leader']}"),
        ("agencies: [西平县测试知识产权代理事务所]", f"agencies: [{m['agency']}]"),
        ("title: 一种脱粒滚筒", f"title: {m['patent_title']}"),
        ("name: 测试牌", f"name: {m['trademark_name']}"),
        ("    since: 2024-06-01", f"    certificate: {m['standard_certificate']}\n    since: 2024-06-01"),
        (
            "conduct:\n",
            f"copyrights:\n  - number: 软著登字第1号\n    title: {m['copyright']}\nhonors:\n  - type: high_tech\n"
            f"    certificate: {m['honor_certificate']}\n    awarded: 2023-11-20\n    expires: 2026-11-19\nconduct:\n",
        ),
        ("  infringements: []", f"  infringements:\n    - date: 2019-01-01\n      kind: administrative\n      authority: {m['authority']}"),
        ("  dishonesty: []", f"  dishonesty:\n    - list: {m['dishonesty_list']}\n      listed: 2018-01-01\n      removed: 2019-01-01"),
        ("  abnormal_patent_applications: []", "  abnormal_patent_applications: []\n  violations:\n    - date: 2019-02-01\n"
         f"      authority: 西平县消防救援大队\n      document: {m['violation_document']}\n      summary: {m['violation_summary']}"),
        ("category: advantage", f"category: reserve\nrecommendation: {m['recommendation']}"),
        ("    document: 西市监〔2025〕31号\n", f"    document: 西市监〔2025〕31号\n    note: {m['note']}\n"),
    )
    return {
        "machine": _record(
            "91411721MA00000154",
            "西平县测试示例机械有限公司",
            extra=(("    document: 西市监〔2025〕31号\n", "    document: 西市监〔2025〕31号\n    certificate: 西知强企证〔2025〕001号\n"),),
        ),
        "hostile": _record(
            make_uscc("MA0HT001"),
            HOSTILE_NAME,
            extra=(
                ("  - 玉米脱粒机", '  - "<img src=x onerror=alert(1)> | `x` [y](z)"'),
                ("category: advantage", 'address: "</td><td>{{ config }} & | <i>"\ncategory: advantage'),
                ("    document: 西市监〔2025〕31号", '    document: "西市监<b>x</b>|[x](javascript:y)〔2025〕31号"'),
            ),
        ),
        "private": _record(make_uscc("MA0PR001"), "西平县测试示例隐私字段有限公司", extra=private),
        "pending": _record(
            make_uscc("MA0PD001"),
            "西平县测试示例申报中绝密有限公司",
            events="events:\n  - date: 2026-10-20\n    type: applied\n",
            extra=(
                ("  - year: 2024\n    revenue", "  - year: 2025\n    revenue"),
                ("  - year: 2024\n    management", "  - year: 2025\n    management"),
            ),
        ),
        "revoked": _record(
            make_uscc("MA0RE001"),
            "西平县测试示例已撤销有限公司",
            events=FILED_EVENT + "  - date: 2026-01-15\n    type: revoked\n    document: 西市监〔2026〕2号\n",
            extra=(violation("2026-01-15"),),
        ),
        "conditional": _record(
            make_uscc("MA0CD001"),
            "西平县测试示例保留资格有限公司",
            events="events:\n  - date: 2023-01-10\n    type: filed\n"
            "  - date: 2025-12-01\n    type: review_failed\n    document: 西市监〔2025〕60号\n",
            extra=(
                ("  - year: 2024\n    revenue", "  - year: 2022\n    revenue"),
                ("  - year: 2024\n    management", "  - year: 2022\n    management"),
                ("    since: 2024-06-01", "    since: 2022-06-01"),
            ),
        ),
    }


def _event(day: str, kind: str, document: str, certificate: str = "") -> str:
    return f"  - date: {day}\n    type: {kind}\n    document: {document}\n" + (f"    certificate: {certificate}\n" if certificate else "")


def certificate_fixtures() -> dict[str, Fixture]:
    """One holder for each answer the verification page gives about a certificate on ``TODAY`` (issue 41): in force,
    replaced by a renewal after its printed term ended, expired (its term ended, the holder 保留资格), revoked and
    recovered on withdrawal inside its term; ``valid`` is ``fixtures()``'s machine."""
    older = (("  - year: 2024\n    revenue", "  - year: 2022\n    revenue"),
             ("  - year: 2024\n    management", "  - year: 2022\n    management"),
             ("    since: 2024-06-01", "    since: 2022-06-01"))
    return {
        "valid": fixtures()["machine"],
        "replaced": _record(
            make_uscc("MA0RN001"), "西平县测试示例换证有限公司",
            events="events:\n" + _event("2023-06-19", "filed", "西市监〔2023〕31号", "西知强企证〔2023〕1019号")
            + _event("2026-06-20", "review_passed", "西市监〔2026〕40号", "西知强企证〔2026〕018号"),
            extra=(*older, ("  - year: 2022\n    revenue: 5000000\n    patent_revenue: 1500000\n",
                            "  - year: 2022\n    revenue: 5000000\n    patent_revenue: 1500000\n"
                            "  - year: 2025\n    revenue: 5000000\n    patent_revenue: 1500000\n"),
                   ("training:\n", "training:\n  - year: 2025\n    management_rd_total: 20\n    management_rd_trained: 18\n"
                                   "    employees_total: 100\n    employees_trained: 70\n")),
        ),
        "expired": _record(
            make_uscc("MA0EX001"), "西平县测试示例证书期满有限公司",
            events="events:\n" + _event("2023-01-10", "filed", "西市监〔2023〕2号", "西知强企证〔2023〕005号")
            + _event("2025-12-01", "review_failed", "西市监〔2025〕60号"),
            extra=older,
        ),
        "revoked": _record(
            make_uscc("MA0RK001"), "西平县测试示例撤销证书有限公司",
            events="events:\n" + _event("2024-06-10", "filed", "西市监〔2024〕31号", "西知强企证〔2024〕032号")
            + _event("2026-08-15", "revoked", "西市监〔2026〕52号"),
            extra=(*older, violation("2026-07-20")),
        ),
        "withdrawn": _record(
            make_uscc("MA0WD001"), "西平县测试示例退出有限公司",
            events=FILED_EVENT + "    certificate: 西知强企证〔2025〕040号\n  - date: 2026-03-01\n    type: withdrawn\n",
        ),
    }


def scratch_repo(target: Path, records: dict[str, Fixture] | None = None) -> Path:
    """A folder that looks like the repository, with its own policy.yml and records/ holding ``records`` (default: every fixture)."""
    scratch_checkout(target, records=target / "no-such-folder")
    for fixture in (records or fixtures()).values():
        (target / "records" / f"{fixture.uscc}.yaml").write_text(fixture.text, encoding="utf-8")
    return target


SITE_URL = "https://registry.example/"  # a real-looking address (the .example TLD is reserved): enterprise pages get their QR


def build(repo: Path, site: str = "site", today: str = TODAY, site_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """``ipreg build``; with ``site_url`` as IPREG_SITE_URL, else the address of the environment or mkdocs.yml's placeholder."""
    return ipreg(repo, "build", "--today", today, "--site-dir", site, env={"IPREG_SITE_URL": site_url} if site_url else None)
