"""The enterprise search index (generator/site/search.py) and the worker that reads it (ipreg-search.js), run under
Node against a registry large enough for many buckets: every query finds exactly the enterprises that contain all of its
grams, best first, whatever bucket a gram falls in."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.site.search import SHOWN, Entry, bucket, cap_for, grams, normalise, query_grams, shard_files
from tests.helpers import ROOT, required

NODE = shutil.which("node")
RENDERED = 10  # the results Material renders before the list is scrolled (the worker's SHOWN)
WORKER = ROOT / "docs" / "assets" / "javascripts" / "workers" / "ipreg-search.js"
WORDS = ["机械", "设备", "电机", "农机", "饲料", "包装", "智能", "纺织", "丝绸", "钢构", "铸件", "管道", "刀具", "电缆", "食品", "面粉",
         "𠀋𠀍", "ＡＢ科技"]  # a character outside the BMP; full-width letters (NFKC)


def _entries(count: int, seed: int = 1) -> list[Entry]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        out.append(
            Entry(
                f"91411721MA{i:07d}X"[:18],
                "西平县" + "".join(rng.sample(WORDS, 2)) + "有限公司",
                rng.choice(["通用设备制造业", "专用设备制造业", "食品制造业"]),
                tuple("".join(rng.sample(WORDS, 2)) for _ in range(3)),
            )
        )
    return out


def _probe(site: Path, queries: list[str]) -> dict[str, dict[str, object]]:
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(ROOT / "benchmarks" / "search_probe.js"), str(WORKER), str(site)],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, dict[str, object]] = json.loads(done.stdout)
    return result


def test_grams_and_buckets() -> None:
    assert grams("通用设备") == {"通", "用", "设", "备", "通用", "用设", "设备"}
    assert grams("C13") == {"C1", "13", "C13"} and grams("ＭＡ００") == {"MA", "A0", "00", "MA0", "A00", "MA00"}
    assert query_grams("通用设备") == {"通用", "用设", "设备"} and query_grams("机") == {"机"}
    assert query_grams("ma000012") == {"MA00", "A000", "0000", "0001", "0012"} and query_grams("led") == {"LED"}
    assert query_grams("a") == set() and query_grams("") == set()
    assert all(query_grams(q) <= grams(q) for q in ("通用设备", "机", "C13", "MA000012", "西知强企证〔2026〕002号"))
    assert bucket("设备", 1) == 0 and len({bucket(w, 64) for w in WORDS}) > 8  # spread over the buckets
    assert normalise("ａｂ") == "AB"


@pytest.mark.slow
def test_worker_finds_exactly_the_enterprises_with_every_gram(tmp_path: Path) -> None:
    required("Node.js (runs the search worker)", NODE)
    entries = _entries(3000)
    files = shard_files(entries)
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    meta = json.loads(files["search/enterprises/meta.json"])
    assert SHOWN >= RENDERED  # the index hands the worker at least what Material renders
    assert meta["buckets"] > 100 and meta["count"] == 3000
    rng = random.Random(2)
    queries = ["机械", "电机设备", "丝绸机械", "𠀋𠀍", "ab科技", "MA0000123", "ma00001", "0001234", "西平县", "无此词语", "机", "设备制造"]
    queries += [rng.choice(entries).name[3:7] for _ in range(10)] + [rng.choice(rng.choice(entries).products) for _ in range(10)]
    queries += [rng.choice(entries).uscc[rng.randrange(0, 12) :][:6] for _ in range(10)]
    found = _probe(tmp_path, queries)
    docs = sorted(entries, key=lambda e: (normalise(e.name), e.uscc))
    cap = cap_for(len(docs))
    named = [grams(e.name) for e in docs]
    every = [named[i] | grams(e.text()) for i, e in enumerate(docs)]
    for query in queries:
        wanted = query_grams(query)
        counts = {g: sum(g in e for e in every) for g in wanted}
        usable = [g for g in wanted if counts[g] <= cap]
        items = [tuple(i) for i in found[query]["items"]]  # type: ignore[union-attr]
        if not wanted or any(c == 0 for c in counts.values()):
            assert items == [], query
            continue
        if not usable:
            assert len(items) == 1 and items[0][0] == "list/#list" and f"{cap} 家以上" in items[0][1], query
            continue
        matches = [i for i in range(len(docs)) if all(g in every[i] for g in usable)]
        ranked = sorted(matches, key=lambda i: (-sum(g in named[i] for g in usable), i))
        # Material renders ten results at once: at most ten reach it, the tenth saying how many more match
        listed = len(matches) if len(matches) <= RENDERED else RENDERED - 1
        shown = [f"enterprises/{docs[i].uscc}/" for i in ranked[:listed]]
        assert [item[0] for item in items[:listed]] == shown, query
        if len(matches) > RENDERED:
            assert len(items) == RENDERED and items[-1][0] == "list/#list", query
            assert f"另有 {len(matches) - listed} 个结果没有列出" in items[-1][1], query
        else:
            assert len(items) == len(shown), query
        assert found[query]["bytes"] < 300_000  # type: ignore[operator]


def test_material_index_keeps_the_other_pages_only(tmp_path: Path) -> None:
    from generator.site.search import strip_enterprises

    index = tmp_path / "search_index.json"
    docs = [
        {"location": loc, "title": "t", "text": "x"}
        for loc in (
            "",
            "guide/",
            "list/",
            "list/#status",
            "list/2/",
            "list/12/#x",
            "enterprises/91411721MA45A0011T/",
            "enterprises/91411721MA45A0011T/#events",
            "enterprises/",
            "timeline/",
        )
    ]
    index.write_text(json.dumps({"config": {"lang": ["zh"]}, "docs": docs}), encoding="utf-8")
    strip_enterprises(index)
    kept = json.loads(index.read_text(encoding="utf-8"))
    assert [d["location"] for d in kept["docs"]] == ["", "guide/", "list/", "list/#status", "enterprises/", "timeline/"]
    assert kept["config"] == {"lang": ["zh"]} and not list(tmp_path.glob("*.tmp"))


@pytest.mark.slow
def test_every_kind_of_query_a_citizen_types(tmp_path: Path) -> None:
    """Issue 27: one and two characters, codes of two or three letters and digits, certificate numbers, product words
    and their synonyms (texts/search-synonyms.yml), traditional characters; each result names its status."""
    required("Node.js (runs the search worker)", NODE)
    entries = [
        Entry(
            "91411721MA45A0038J",
            "西平县示例牧原饲料有限公司",
            "农副食品加工业",
            ("畜禽配合饲料",),
            "有效",
            "C13",
            ("西知强企证〔2024〕003号",),
        ),
        Entry("91411721MA45A0011T", "西平县示例嫘祖丝绸科技有限公司", "纺织业", ("真丝面料",), "复核中", "C17", ()),
        Entry("91411721MA45A002XJ", "西平县示例小磨香油有限公司", "食品制造业", ("香油", "芝麻酱"), "有效", "C14", ()),
        Entry("91411721MA45A0046D", "西平县示例光电科技有限公司", "电气机械和器材制造业", ("LED灯具",), "已撤销", "C38", ()),
    ]
    synonyms = [["香油", "芝麻油", "麻油"], ["丝绸", "真丝"]]
    for name, data in shard_files(entries, synonyms).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    cases = {
        "油": "91411721MA45A002XJ",
        "丝": "91411721MA45A0011T",
        "饲料": "91411721MA45A0038J",
        "C13": "91411721MA45A0038J",
        "c38": "91411721MA45A0046D",
        "LED": "91411721MA45A0046D",
        "led灯": "91411721MA45A0046D",
        "西知强企证〔2024〕003号": "91411721MA45A0038J",
        "2024〕003": "91411721MA45A0038J",
        "芝麻油": "91411721MA45A002XJ",
        "麻油": "91411721MA45A002XJ",
        "絲綢": "91411721MA45A0011T",
        "嫘祖絲綢": "91411721MA45A0011T",
        "A0038J": "91411721MA45A0038J",
    }
    found = _probe(tmp_path, list(cases))
    for query, uscc in cases.items():
        items = found[query]["items"]  # type: ignore[index]
        assert items and items[0][0] == f"enterprises/{uscc}/", (query, items)
    assert found["丝"]["items"][0][2].startswith("状态：复核中；纺织业")  # type: ignore[index]
    assert found["油"]["bytes"] < 300_000  # type: ignore[index]
