"""The enterprise search index (generator/site/search.py) and the worker that reads it (ipreg-search.js), run under
Node against a registry large enough for many buckets: every query finds exactly the enterprises that contain all of its
grams, best first, whatever bucket a gram falls in."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

from generator.site.search import SHOWN, bucket, cap_for, grams, normalise, shard_files
from tests.helpers import ROOT, required

NODE = shutil.which("node")
WORKER = ROOT / "docs" / "assets" / "javascripts" / "workers" / "ipreg-search.js"
WORDS = ["机械", "设备", "电机", "农机", "饲料", "包装", "智能", "纺织", "丝绸", "钢构", "铸件", "管道", "刀具", "电缆", "食品", "面粉",
         "𠀋𠀍", "ＡＢ科技"]  # a character outside the BMP; full-width letters (NFKC)


def _entries(count: int, seed: int = 1) -> list[tuple[str, str, str, list[str]]]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        out.append((f"91411721MA{i:07d}X"[:18], "西平县" + "".join(rng.sample(WORDS, 2)) + "有限公司",
                    rng.choice(["通用设备制造业", "专用设备制造业", "食品制造业"]), ["".join(rng.sample(WORDS, 2)) for _ in range(3)]))
    return out


def _probe(site: Path, queries: list[str]) -> dict[str, dict[str, object]]:
    assert NODE is not None
    done = subprocess.run([NODE, str(ROOT / "benchmarks" / "search_probe.js"), str(WORKER), str(site)], input=json.dumps(queries),
                          capture_output=True, text=True, timeout=120, check=True)
    result: dict[str, dict[str, object]] = json.loads(done.stdout)
    return result


def test_grams_and_buckets() -> None:
    assert grams("通用设备") == {"通用", "用设", "设备"}
    assert grams("ma000012") == {"MA00", "A000", "0000", "0001", "0012"} and grams("ＭＡ００") == {"MA00"}
    assert grams("机") == set() and grams("abc") == set()
    assert bucket("设备", 1) == 0 and len({bucket(w, 64) for w in WORDS}) > 8  # spread over the buckets
    assert normalise("ａｂ") == "AB"


def test_worker_finds_exactly_the_enterprises_with_every_gram(tmp_path: Path) -> None:
    required("Node.js (runs the search worker)", NODE)
    entries = _entries(3000)
    files = shard_files(entries)
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    meta = json.loads(files["search/enterprises/meta.json"])
    assert meta["buckets"] > 100 and meta["count"] == 3000
    rng = random.Random(2)
    queries = ["机械", "电机设备", "丝绸机械", "𠀋𠀍", "ab科技", "MA0000123", "ma00001", "0001234", "西平县", "无此词语", "机", "设备制造"]
    queries += [rng.choice(entries)[1][3:7] for _ in range(10)] + [rng.choice(rng.choice(entries)[3]) for _ in range(10)]
    queries += [rng.choice(entries)[0][rng.randrange(0, 12):][:6] for _ in range(10)]
    found = _probe(tmp_path, queries)
    docs = sorted(entries, key=lambda e: (normalise(e[1]), e[0]))
    cap = cap_for(len(docs))
    named = [grams(name) for _, name, _, _ in docs]
    every = [named[i] | grams(" ".join([uscc, industry, *products])) for i, (uscc, _, industry, products) in enumerate(docs)]
    for query in queries:
        wanted = grams(query)
        counts = {g: sum(g in e for e in every) for g in wanted}
        usable = [g for g in wanted if counts[g] <= cap]
        items = [tuple(i) for i in found[query]["items"]]  # type: ignore[union-attr]
        if not wanted or any(c == 0 for c in counts.values()):
            assert items == [], query
            continue
        if not usable:
            assert len(items) == 1 and items[0][0] == "enterprises/" and f"{cap} 家以上" in items[0][1], query
            continue
        matches = [i for i in range(len(docs)) if all(g in every[i] for g in usable)]
        ranked = sorted(matches, key=lambda i: (-sum(g in named[i] for g in usable), i))
        shown = [f"enterprises/{docs[i][0]}/" for i in ranked[:SHOWN]]
        assert [loc for loc, _ in items[:len(shown)]] == shown, query
        if len(matches) > SHOWN:
            assert f"另有 {len(matches) - SHOWN} 家" in items[-1][1], query
        else:
            assert len(items) == len(shown), query
        assert found[query]["bytes"] < 300_000  # type: ignore[operator]


def test_material_index_keeps_the_other_pages_only(tmp_path: Path) -> None:
    from generator.site.search import strip_enterprises

    index = tmp_path / "search_index.json"
    docs = [{"location": loc, "title": "t", "text": "x"} for loc in
            ("", "guide/", "list/", "list/#status", "list/2/", "list/12/#x", "enterprises/91411721MA45A0011T/",
             "enterprises/91411721MA45A0011T/#events", "enterprises/", "timeline/")]
    index.write_text(json.dumps({"config": {"lang": ["zh"]}, "docs": docs}), encoding="utf-8")
    strip_enterprises(index)
    kept = json.loads(index.read_text(encoding="utf-8"))
    assert [d["location"] for d in kept["docs"]] == ["", "guide/", "list/", "list/#status", "enterprises/", "timeline/"]
    assert kept["config"] == {"lang": ["zh"]} and not list(tmp_path.glob("*.tmp"))
