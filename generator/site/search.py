"""Enterprise search that stays small at any size: a sharded index fetched a few kilobytes at a time.

Material's search downloads one lunr index with every page; at 50,000 enterprises that would be tens of megabytes for
every visitor who opens the search box. So enterprise pages are left out of Material's index (``strip_enterprises``)
and get their own index under ``search/enterprises/`` (``shard_files``):

- ``meta.json``: the sizes the browser needs (format version, buckets, enterprises per document shard, how many
  enterprises, the cap and how many results are shown).
- ``t/<bucket>.json``: for each gram of that bucket, the enterprise numbers it occurs in -- ``[in the name, elsewhere]``,
  each as the differences between successive numbers -- or, for a gram found in more than ``cap`` enterprises (西平,
  有限, 公司...), just that count. Grams are the single characters and the character pairs of each run of Chinese
  characters (油 finds 香油, 设备 finds 通用设备; a longer query is its pairs) and the pieces of two, three and four
  characters of each run of letters and digits (C13, LED, the 002 of a certificate number; a longer run is its
  four-character pieces). The text searched is the name, the USCC, the industry (name and code), the main products and
  the certificate numbers. A gram's bucket is its FNV-1a hash modulo the number of buckets.
- ``d/<shard>.json``: ``[USCC, name, industry and products, status]`` of ``per`` consecutive enterprise numbers (by
  name).
- ``variants.json``: what the worker rewrites a query with before it looks anything up: ``t2s``, the traditional forms
  of the characters in the index with their simplified character (絲綢 finds 丝绸), and ``synonyms``, the groups of
  ``texts/search-synonyms.yml`` (芝麻油 and 麻油 find 香油), which the bureau extends.

The search worker (``docs/assets/javascripts/workers/ipreg-search.js``) wraps Material's own: for a query it fetches the
buckets of the query's grams and the document shards of the best results, and puts the enterprises in front of
Material's results for the other pages, in Material's search box and result list. Grams, normalisation (NFKC, upper
case) and the hash are computed the same way here and there (``tests/test_e2e.py`` searches through the real worker).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.files import replace_own

FORMAT = 2
PER_SHARD = 32  # enterprises per document shard: the best results are fetched shard by shard
SHOWN = 20  # enterprises listed for a query; the rest are counted
POSTINGS_PER_BUCKET = 1024  # about 3 KB of numbers per bucket file
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")  # the same class as the worker's
_ALNUM = re.compile("[0-9A-Z]+")
PREFIX = "search/enterprises/"
SYNONYMS = "texts/search-synonyms.yml"  # the bureau's groups of words that find each other
_OWN_INDEX = re.compile(r"enterprises/[0-9A-Z]{18}/|list/\d+/")  # enterprise pages; list pages after the first (the same page again)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).upper()


def grams(text: str) -> set[str]:
    """What the index holds for ``text``: the characters and character pairs of its Chinese runs, the pieces of two,
    three and four characters of its letter-and-digit runs."""
    text = normalise(text)
    out: set[str] = set()
    for run in _HAN.findall(text):
        out.update(run)
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    for run in _ALNUM.findall(text):
        for size in (2, 3, 4):
            out.update(run[i:i + size] for i in range(len(run) - size + 1))
    return out


def query_grams(query: str) -> set[str]:
    """What a query looks up (the worker's ``grams``): a lone Chinese character itself, a longer run its pairs; a run of
    two or three letters and digits itself, a longer one its four-character pieces. Single letters and digits alone
    find nothing (they are in almost every code)."""
    text = normalise(query)
    out: set[str] = set()
    for run in _HAN.findall(text):
        out.update(run if len(run) == 1 else (run[i:i + 2] for i in range(len(run) - 1)))
    for run in _ALNUM.findall(text):
        if len(run) in (2, 3):
            out.add(run)
        out.update(run[i:i + 4] for i in range(len(run) - 3))
    return out


def bucket(gram: str, buckets: int) -> int:
    """FNV-1a (32 bits) over the code points, modulo ``buckets``."""
    h = 0x811C9DC5
    for c in gram:
        h = ((h ^ ord(c)) * 0x01000193) & 0xFFFFFFFF
    return h % buckets


def buckets_for(count: int) -> int:
    """A power of two such that a bucket holds about POSTINGS_PER_BUCKET numbers (some 120 grams per enterprise)."""
    n = 1
    while n * POSTINGS_PER_BUCKET < count * 120 and n < 4096:
        n *= 2
    return n


def cap_for(count: int) -> int:
    """A gram found in more enterprises than this is only counted: its numbers would cost more than they tell."""
    return max(2000, count // 10)


def file_names(count: int) -> list[str]:
    """Every file ``shard_files`` makes for ``count`` enterprises (registered with MkDocs before they are made)."""
    return ([PREFIX + "meta.json", PREFIX + "variants.json"] + [f"{PREFIX}t/{b}.json" for b in range(buckets_for(count))]
            + [f"{PREFIX}d/{s}.json" for s in range((count + PER_SHARD - 1) // PER_SHARD)])


@dataclass(frozen=True)
class Entry:
    """One enterprise as search sees it."""

    uscc: str
    name: str
    industry: str  # its name
    products: tuple[str, ...]
    status: str = ""  # in Chinese, shown in the result
    code: str = ""  # the industry code (C13)
    certificates: tuple[str, ...] = ()

    def text(self) -> str:
        return " ".join([self.uscc, self.industry, self.code, *self.products, *self.certificates])


def shard_files(entries: Iterable[Entry], synonyms: Sequence[Sequence[str]] = ()) -> dict[str, bytes]:
    """The enterprise search index: meta.json, variants.json, the gram buckets and the document shards."""
    docs = sorted(entries, key=lambda e: (normalise(e.name), e.uscc))
    count, buckets, cap = len(docs), buckets_for(len(docs)), cap_for(len(docs))
    in_name: dict[str, list[int]] = defaultdict(list)
    elsewhere: dict[str, list[int]] = defaultdict(list)
    for number, entry in enumerate(docs):
        named = grams(entry.name)
        for gram in named:
            in_name[gram].append(number)
        for gram in grams(entry.text()) - named:
            elsewhere[gram].append(number)
    shards: list[dict[str, Any]] = [{} for _ in range(buckets)]
    for gram in sorted(set(in_name) | set(elsewhere)):  # sorted: the same bytes on every build
        a, b = in_name.get(gram, []), elsewhere.get(gram, [])
        shards[bucket(gram, buckets)][gram] = len(a) + len(b) if len(a) + len(b) > cap else [_deltas(a), _deltas(b)]
    files = {PREFIX + "meta.json": _json({"format": FORMAT, "buckets": buckets, "per": PER_SHARD, "count": count, "cap": cap,
                                          "shown": SHOWN})}
    used = {c for e in docs for c in "".join(_HAN.findall(normalise(e.name + e.text())))}
    files[PREFIX + "variants.json"] = _json({"t2s": traditional(used), "synonyms": [[normalise(w) for w in g] for g in synonyms]})
    for number, shard in enumerate(shards):
        files[f"{PREFIX}t/{number}.json"] = _json(shard)
    for start in range(0, count, PER_SHARD):
        rows = [[e.uscc, e.name, "；".join([e.industry, "、".join(e.products)]), e.status] for e in docs[start : start + PER_SHARD]]
        files[f"{PREFIX}d/{start // PER_SHARD}.json"] = _json(rows)
    return files


def traditional(characters: Iterable[str]) -> dict[str, str]:
    """The traditional forms of these simplified characters, each with its simplified one (OpenCC's STCharacters)."""
    table = _simplified_to_traditional()
    out: dict[str, str] = {}
    for c in sorted(characters):
        for t in table.get(c, ()):
            if t != c and t not in out:
                out[t] = c
    return out


@functools.cache
def _simplified_to_traditional() -> dict[str, tuple[str, ...]]:
    from importlib import resources

    text = resources.files("opencc").joinpath("dictionary", "STCharacters.txt").read_text(encoding="utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        simplified, _, forms = line.partition("\t")
        if simplified and forms:
            table[simplified] = tuple(forms.split())
    return table


def read_synonyms(path: Path) -> list[list[str]]:
    """texts/search-synonyms.yml: a list of groups of words that find each other; absent is none. A malformed file is
    refused in words (``ValueError``)."""
    import yaml

    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list) or not all(isinstance(g, list) and len(g) >= 2 and all(isinstance(w, str) and w.strip() for w in g)
                                             for g in data):
        raise ValueError(f"{path.name} 应为若干组同义词，每组一行，如 - [香油, 芝麻油, 麻油]（每组至少两个词）")
    return [[w.strip() for w in g] for g in data]


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
