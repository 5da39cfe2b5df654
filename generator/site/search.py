"""Search that finds Chinese words: each enterprise page gets search words in the search index, and ranks first.

MkDocs' search plugin (with ``lang: zh``) splits Chinese text with jieba's precise mode, which keeps 通用设备 as one
token; the browser matches query words as prefixes of tokens, so 设备 found nothing. For enterprise pages this module adds,
after the search plugin has written ``search/search_index.json``: jieba's search-engine mode words of the public name,
industry and products (通用设备 gives 通用, 设备 and 通用设备), the products split at punctuation, and every suffix of at least
four characters of the USCC (a prefix of some suffix is any fragment of the code). The words go into the index only: the
page shows nothing extra, screen readers read nothing extra. Enterprise entries get a boost so they rank first.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

BOOST = 4  # enterprise pages before the policy text and the guide
_SPLIT = re.compile(r"[\s\u200b\-，。、；：！？（）《》“”‘’「」【】·/()\[\],.;:!?]+")


@functools.lru_cache(maxsize=65536)
def _cut(part: str) -> tuple[str, ...]:
    """jieba's search-engine words of one piece of text (industries and products repeat across a registry: cached)."""
    import jieba  # type: ignore[import-untyped]

    return tuple(w for w in jieba.cut_for_search(part) if w.strip() and not _SPLIT.fullmatch(w))


def _words(texts: Iterable[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        for part in _SPLIT.split(text):
            if part:
                out.append(part)
                out += _cut(part)
    return out


def enterprise_terms(uscc: str, name: str, industry: str, products: Iterable[str]) -> str:
    """The search words of one enterprise, each once, space separated."""
    words = _words([name, industry, *products])
    words += [uscc[i:] for i in range(len(uscc) - 3)]
    return " ".join(dict.fromkeys(w for w in words if w))


def add_terms(index: Path, terms: Mapping[str, str]) -> None:
    """Append each enterprise's words to its page's first entry and boost its entries (atomic rewrite of the index)."""
    if not terms or not index.is_file():
        return
    payload: dict[str, Any] = json.loads(index.read_text(encoding="utf-8"))
    seen: set[str] = set()
    for doc in payload.get("docs", []):
        location = str(doc.get("location", ""))
        page = location.split("#", 1)[0]
        if page in terms:
            doc["boost"] = BOOST
            if page not in seen:
                seen.add(page)
                doc["text"] = f"{doc.get('text', '')} <span hidden> {terms[page]} </span>"
    temp = index.with_name(index.name + ".tmp")
    temp.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(temp, index)
