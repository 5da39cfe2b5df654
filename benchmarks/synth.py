"""Synthetic registries for benchmarks: N realistic records (about 4 KB each), reproducible by seed.

    python -m benchmarks.synth OUT_DIR --count 1000 --errors 0.05 --seed 7 [--shape spread --industries 1]

Written to a folder you name (a temporary one in benchmarks/run.py), never into records/.
Shape ``batches`` (default): decisions come in batches, as in practice (a few notice dates a year file many
enterprises), 11 industries, 9-14 patents. Shape ``spread``: the adversarial one of issue 17 -- filing dates spread
over 900 days, 3-20 patents per record, ``--industries`` industries (1 puts every record in one industry).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from generator.ids import USCC_ALPHABET, org_code_check, patent_check, uscc_final_check
from generator.industries import DIVISIONS, section_of

ROOT = Path(__file__).resolve().parent.parent
INDUSTRIES = [("C13", "农副食品加工业"), ("C18", "纺织服装、服饰业"), ("C21", "家具制造业"), ("C26", "化学原料和化学制品制造业"),
              ("C27", "医药制造业"), ("C30", "非金属矿物制品业"), ("C34", "通用设备制造业"), ("C35", "专用设备制造业"),
              ("C39", "计算机、通信和其他电子设备制造业"), ("I65", "软件和信息技术服务业"), ("A01", "农业")]
WORDS = ["恒达", "中原", "豫西", "嫘祖", "华信", "金穗", "宏图", "天瑞", "鑫源", "绿洲", "远航", "伟业", "瑞丰", "博远", "新锐", "盛世"]
KINDS = ["机械", "食品", "纺织", "化工", "电子", "生物", "建材", "农业科技", "智能装备", "新材料"]
PRODUCTS = [
    "联合收割机割台",
    "饲料成套设备",
    "桑蚕丝面料",
    "水处理剂",
    "贴片电感",
    "兽用中药制剂",
    "加气混凝土砌块",
    "实木家具",
    "LED 照明模组",
    "改性塑料粒子",
    "速冻面点",
    "智能包装机",
    "精密铸件",
    "仓储货架",
]
ALNUM = [c for c in USCC_ALPHABET if c.isalnum()]


def uscc(index: int, division: str) -> str:
    body = "MA" + "".join(ALNUM[(index // len(ALNUM) ** k) % len(ALNUM)] for k in range(5, -1, -1))
    first = "91" + division + body + org_code_check(body)
    return first + uscc_final_check(first)


def patent_number(year: int, kind: int, serial: int) -> str:
    digits = f"{year}{kind}{serial:07d}"
    return f"ZL{digits}.{patent_check(digits)}"


def batch_dates(rng: random.Random) -> list[date]:
    """Notice dates: four batches a year, 2019-2026."""
    return [date(y, m, 10 + rng.randrange(15)) for y in range(2019, 2027) for m in (3, 6, 9, 12) if date(y, m, 28) < date(2026, 10, 1)]


def industries(count: int) -> list[tuple[str, str]]:
    """``count`` industries: the usual ones first, then the other GB/T 4754-2017 divisions (97 at most)."""
    used = {code for code, _ in INDUSTRIES}
    extra = [(f"{section_of(d)}{d}", name) for d, name in DIVISIONS.items() if f"{section_of(d)}{d}" not in used]
    if count > len(INDUSTRIES) + len(extra):
        raise ValueError(f"GB/T 4754-2017 has {len(DIVISIONS)} divisions: at most that many industries")
    return (INDUSTRIES + extra)[:count]


def record(
    index: int, rng: random.Random, batches: list[date], shape: str = "batches", sectors: list[tuple[str, str]] | None = None,
    services: int = 0,
) -> tuple[str, str]:
    code = uscc(index, "411721" if rng.random() < 0.9 else "411700")
    industry = rng.choice(sectors or INDUSTRIES)
    name = f"西平县{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(KINDS)}有限公司（合成{index}）"
    filed = date(2022, 1, 3) + timedelta(days=rng.randrange(900)) if shape == "spread" else rng.choice(batches)
    later = [b for b in batches if filed + timedelta(days=3 * 365) <= b]
    review = later[:1] if later and rng.random() < 0.6 else []
    est = date(filed.year - 4 - rng.randrange(15), 1 + rng.randrange(12), 1 + rng.randrange(28))
    lines = [
        "# yaml-language-server: $schema=../schemas/enterprise.schema.json",
        f"# 基准测试合成数据 #{index}",
        f'uscc: "{code}"',
        f"name: {name}",
        f"established: {est}",
        "legal_person: true",
        "industry:",
        f"  code: {industry[0]}",
        f"  name: {industry[1]}",
        "main_products:",
    ]
    lines += [f"  - {p}" for p in rng.sample(PRODUCTS, 2)]
    lines += [
        f"address: 西平县产业集聚区合成路 {index} 号",
        f"website: https://example.com/{index}/",
        "category: advantage",
        "compliance:",
        "  industrial_policy: true",
        "  environmental: true",
        "patents:",
    ]
    for k in range(3 + rng.randrange(18) if shape == "spread" else 9 + rng.randrange(6)):
        year = filed.year - 2 - rng.randrange(4)
        kind = (1, 2, 3)[k % 3]
        lines += [
            f'  - number: "{patent_number(year, kind, (index * 32 + k) % 9_000_000 + 1)}"',  # one patent, one record
            f"    type: {('invention', 'utility_model', 'design')[k % 3]}",
            f"    title: 一种{rng.choice(PRODUCTS)}的改进结构{k}",
            f"    granted: {date(year + 1, 1 + rng.randrange(12), 1 + rng.randrange(28))}",
        ]
        if k == 0:
            lines.append("    core: true")
    lines.append("trademarks:")
    for k in range(2):
        lines += [
            f'  - number: "{10_000_000 + index * 3 + k}"',
            f"    name: {rng.choice(WORDS)}",
            f"    class: {7 + k * 28}",
            f"    registered: {filed.year - 5}-05-14",
            f"    expires: {filed.year + 8}-05-13",
        ]
        if k == 0:
            lines.append("    main_business: true")
    lines += [
        "trade_secret_measures: true",
        "industry_standing:",
        "  scope: county",
        f"  basis: 县内{industry[1]}发明专利授权量前列（合成{index}）",
        "conduct:",
        "  infringements: []",
        "  abnormal_patent_applications: []",
        "  dishonesty: []",
        "honors:",
        "  - type: high_tech",
        f'    certificate: "GR{filed.year - 1}41{index:06d}"',
        f"    awarded: {filed.year - 1}-11-20",
        f"    expires: {filed.year + 2}-11-19",
        "ip_management:",
        "  leader: 副总经理",
        f"  managers: {1 + rng.randrange(4)}",
        f"  budget: {100_000 + rng.randrange(50) * 10_000}",
        "  agencies: [驻马店合成知识产权代理事务所]",
        "  policies: [management, incentive, constraint]",
        "  standard:",
        '    version: "2023"',
        "    status: implemented",
        f"    since: {filed.year - 1}-03-01",
        "finance:",
    ]
    years = sorted({filed.year - 2, filed.year - 1, *(b.year - 1 for b in review)})
    for year in years:
        revenue = 3_500_000 + rng.randrange(200) * 100_000
        lines += [f"  - year: {year}", f"    revenue: {revenue}", f"    patent_revenue: {revenue * (25 + rng.randrange(30)) // 100}"]
    lines.append("training:")
    for year in years:
        total = 20 + rng.randrange(30)
        staff = total * 4
        lines += [
            f"  - year: {year}",
            f"    management_rd_total: {total}",
            f"    management_rd_trained: {total - total // 10}",
            f"    employees_total: {staff}",
            f"    employees_trained: {staff * 7 // 10}",
        ]
    lines += service_lines(filed, review, services, random.Random(index))  # its own draws: the rest is as without services
    # one 文号 per decision day (the day of the year), as a bureau numbers its documents: never one number on two dates
    lines += ["events:", f"  - date: {filed}", "    type: filed", f"    document: 西市监〔{filed.year}〕{filed.timetuple().tm_yday}号"]
    for when in review:
        lines += [
            f"  - date: {when}",
            "    type: review_passed",
            f"    document: 西市监〔{when.year}〕{when.timetuple().tm_yday}号",
            f"    certificate: 西知强企证〔{when.year}〕{index:05d}号",
        ]
    return code, "\n".join(lines) + "\n"


SERVICE_KINDS = ("matchmaking", "patent_navigation", "commercialization", "pledge_financing", "expert_service", "training")


def service_lines(filed: date, review: list[date], count: int, rng: random.Random) -> list[str]:
    """``count`` Art. 11 services on days the enterprise is listed (after filing, before its term ends or the day the
    benchmarks check on), in date order, each kind with the fields it needs (issue 39's benchmark: 20 per record). They
    go before the events: the mutation events.future appends an event at the end of the file."""
    if not count:
        return []
    last = min((review[0] if review else filed) + timedelta(days=3 * 365 - 2), date(2026, 11, 24))
    days = sorted(filed + timedelta(days=1 + rng.randrange(max(1, (last - filed).days - 1))) for _ in range(count))
    lines = ["services:"]
    for k, day in enumerate(days):
        kind = SERVICE_KINDS[k % len(SERVICE_KINDS)]
        lines += [f"  - date: {day}", f"    kind: {kind}", f"    title: 合成服务{k}（{kind}）", "    provider: 县局知识产权股"]
        if kind == "training":
            lines.append(f"    participants: {5 + rng.randrange(40)}")
        if kind == "pledge_financing":
            lines += [f"    amount: {1_000_000 + rng.randrange(90) * 100_000}", "    lender: 西平县合成农村商业银行"]
    return lines


MUTATIONS: list[tuple[str, Callable[[str, str], str]]] = [
    ("uscc.checksum", lambda t, c: t.replace(f'uscc: "{c}"', f'uscc: "{c[:-1]}{"0" if c[-1] != "0" else "1"}"')),
    (
        "art5.revenue",
        lambda t, c: re.sub(
            r"(?m)^    revenue: \d+$", "    revenue: 2000000", re.sub(r"(?m)^    patent_revenue: \d+$", "    patent_revenue: 500000", t)
        ),
    ),
    ("yaml.type", lambda t, c: re.sub(r'number: "(\d+)"', r"number: \1", t, count=1)),
    ("schema", lambda t, c: t.replace("legal_person:", "legal_persn:")),
    ("events.future", lambda t, c: t + "  - date: 2099-01-01\n    type: withdrawn\n"),
]


def write_registry(
    out: Path, count: int, errors: float = 0.0, seed: int = 7, shape: str = "batches", industry_count: int | None = None,
    services: int = 0,
) -> Path:
    """A folder with records/ (``count`` files, about ``errors`` of them invalid) and policy.yml."""
    rng = random.Random(seed)
    sectors = industries(industry_count) if industry_count else None
    batches = batch_dates(rng)
    folder = out / "records"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "policy.yml", out / "policy.yml")
    for index in range(count):
        code, text = record(index, rng, batches, shape, sectors, services)
        if rng.random() < errors:
            text = rng.choice(MUTATIONS)[1](text, code)
        (folder / f"{code}.yaml").write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--errors", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shape", choices=("batches", "spread"), default="batches")
    parser.add_argument("--industries", type=int, default=None, help="number of industries (default: the 11 real ones)")
    parser.add_argument("--services", type=int, default=0, help="Art. 11 services per record (default: none)")
    args = parser.parse_args()
    write_registry(args.out, args.count, args.errors, args.seed, args.shape, args.industries, args.services)


if __name__ == "__main__":
    main()
