"""Enterprise search that stays small at any size: a sharded index fetched a few kilobytes at a time.

Material's search downloads one lunr index with every page; at 50,000 enterprises that would be tens of megabytes for
every visitor who opens the search box. So enterprise pages are left out of Material's index (``strip_enterprises``)
and get their own index under ``search/enterprises/`` (``shard_files``):

- ``meta.json``: the sizes the browser needs (format version, buckets, enterprises per document shard, how many
  enterprises, the cap and how many results are shown).
- ``t/<bucket>.json``: for each gram of that bucket, the enterprise numbers it occurs in -- ``[in the name, elsewhere]``,
  each as the differences between successive numbers -- or, for a gram found in more than ``cap`` enterprises (西平,
  有限, 公司...), just that count. Grams are the character pairs of each run of Chinese characters (any two or more
  consecutive characters of a name, an industry or a product find it: 设备 finds 通用设备, 机械 finds 农业机械) and the
  four-character pieces of each run of letters and digits (any four or more consecutive characters of the USCC).
  A gram's bucket is its FNV-1a hash modulo the number of buckets.
- ``d/<shard>.json``: ``[USCC, name, industry and products]`` of ``per`` consecutive enterprise numbers (by name).

The search worker (``docs/assets/javascripts/workers/ipreg-search.js``) wraps Material's own: for a query it fetches the
buckets of the query's grams and the document shards of the best results, and puts the enterprises in front of
Material's results for the other pages, in Material's search box and result list. Grams, normalisation (NFKC, upper
case) and the hash are computed the same way here and there (``tests/test_e2e.py`` searches through the real worker).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.files import replace_own

FORMAT = 1
PER_SHARD = 32  # enterprises per document shard: the best results are fetched shard by shard
SHOWN = 20  # enterprises listed for a query; the rest are counted
POSTINGS_PER_BUCKET = 1024  # about 3 KB of numbers per bucket file
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")  # the same class as the worker's
_ALNUM = re.compile("[0-9A-Z]+")
PREFIX = "search/enterprises/"
_OWN_INDEX = re.compile(r"enterprises/[0-9A-Z]{18}/|list/\d+/")  # enterprise pages; list pages after the first (the same page again)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).upper()


def grams(text: str) -> set[str]:
    """Character pairs of the Chinese runs, four-character pieces of the letter-and-digit runs."""
    text = normalise(text)
    out = {run[i:i + 2] for run in _HAN.findall(text) for i in range(len(run) - 1)}
    out.update(run[i:i + 4] for run in _ALNUM.findall(text) for i in range(len(run) - 3))
    return out


def bucket(gram: str, buckets: int) -> int:
    """FNV-1a (32 bits) over the code points, modulo ``buckets``."""
    h = 0x811C9DC5
    for c in gram:
        h = ((h ^ ord(c)) * 0x01000193) & 0xFFFFFFFF
    return h % buckets


def buckets_for(count: int) -> int:
    """A power of two such that a bucket holds about POSTINGS_PER_BUCKET numbers (some 45 grams per enterprise)."""
    n = 1
    while n * POSTINGS_PER_BUCKET < count * 45 and n < 4096:
        n *= 2
    return n


def cap_for(count: int) -> int:
    """A gram found in more enterprises than this is only counted: its numbers would cost more than they tell."""
    return max(2000, count // 10)


def file_names(count: int) -> list[str]:
    """Every file ``shard_files`` makes for ``count`` enterprises (registered with MkDocs before they are made)."""
    return ([PREFIX + "meta.json"] + [f"{PREFIX}t/{b}.json" for b in range(buckets_for(count))]
            + [f"{PREFIX}d/{s}.json" for s in range((count + PER_SHARD - 1) // PER_SHARD)])


Entry = tuple[str, str, str, list[str]]  # USCC, name, industry name, main products


def shard_files(entries: Iterable[Entry]) -> dict[str, bytes]:
    """The enterprise search index: meta.json, the gram buckets and the document shards."""
    docs = sorted(entries, key=lambda e: (normalise(e[1]), e[0]))
    count, buckets, cap = len(docs), buckets_for(len(docs)), cap_for(len(docs))
    in_name: dict[str, list[int]] = defaultdict(list)
    elsewhere: dict[str, list[int]] = defaultdict(list)
    for number, (uscc, name, industry, products) in enumerate(docs):
        named = grams(name)
        for gram in named:
            in_name[gram].append(number)
        for gram in grams(" ".join([uscc, industry, *products])) - named:
            elsewhere[gram].append(number)
    shards: list[dict[str, Any]] = [{} for _ in range(buckets)]
    for gram in sorted(set(in_name) | set(elsewhere)):  # sorted: the same bytes on every build
        a, b = in_name.get(gram, []), elsewhere.get(gram, [])
        shards[bucket(gram, buckets)][gram] = len(a) + len(b) if len(a) + len(b) > cap else [_deltas(a), _deltas(b)]
    files = {PREFIX + "meta.json": _json({"format": FORMAT, "buckets": buckets, "per": PER_SHARD, "count": count, "cap": cap,
                                          "shown": SHOWN})}
    for number, shard in enumerate(shards):
        files[f"{PREFIX}t/{number}.json"] = _json(shard)
    for start in range(0, count, PER_SHARD):
        rows = [
            [uscc, name, "；".join([industry, "、".join(products)])] for uscc, name, industry, products in docs[start : start + PER_SHARD]
        ]
        files[f"{PREFIX}d/{start // PER_SHARD}.json"] = _json(rows)
    return files


def _deltas(numbers: list[int]) -> list[int]:
    return [n - p for n, p in zip(numbers, [0, *numbers], strict=False)]


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def strip_enterprises(index: Path) -> None:
    """Take the enterprise pages out of Material's index (they have their own), and the list pages after the first
    (their text is the first page's; their tables are not searched): atomic rewrite."""
    if not index.is_file():
        return
    payload: dict[str, Any] = json.loads(index.read_text(encoding="utf-8"))
    payload["docs"] = [d for d in payload.get("docs", []) if not _OWN_INDEX.match(str(d.get("location", "")))]
    replace_own(index, json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
