"""privacy.personal: no personal data in a record's text (ARCHITECTURE.md section 4).

Records hold roles and counts, never people: a mobile or landline number, an 18-digit resident ID
number with a valid check character (GB 11643, python-stdnum ``cn.ric``), an e-mail address, or a
name introduced as 联系人/法定代表人/经办人 in any text of the record is an error at its line, because
the public fields reach the site and the rest would sit in the repository. Identifier fields (the
USCC, patent, trademark and certificate numbers) are digits by nature and are not searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum.cn import ric

from generator.findings import Finding
from generator.loader import Loaded
from generator.rules import PRIVACY_PERSONAL

_IDENTIFIER_KEYS = frozenset({"uscc", "number", "certificate"})
# every branch starts with one character or class (no repeat first), so that a search skips to those characters
_CANDIDATE = re.compile(r"[0-9][0-9]{6}|[0-9][0-9]{2,3}[- ][0-9]{4}|@|联系人|法定代表人|法人代表|经办人")
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("身份证号码", re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")),
    ("手机号码", re.compile(r"(?<![0-9])1[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4}(?![0-9])")),
    ("固定电话号码", re.compile(r"(?<![0-9])(?:\(0[0-9]{2,3}\)|（0[0-9]{2,3}）|0[0-9]{2,3}[- ])[0-9]{7,8}(?![0-9])")),
    # each pattern is linear in the length of the text (a record may hold 1 MB): a run of letters is tried from its
    # first character only (the look-behind), and no two repeats can share the same characters
    ("电子邮件地址", re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")),
    ("人名", re.compile(r"(?:联系人|法定代表人|法人代表|经办人)\s*(?:[:：]\s*)?[\u4e00-\u9fff·]{2,4}")),
)


def _masked(text: str) -> str:
    """Enough of the value to find it, not enough to copy it into a CI log."""
    if len(text) <= 4:
        return text[:1] + "*" * (len(text) - 1)
    keep = max(1, len(text) // 4)
    return text[:keep] + "*" * (len(text) - 2 * keep) + text[-keep:]


def personal_findings(loaded: Loaded) -> Iterator[Finding]:
    """privacy.personal on every text value of the file (run even when the schema found other problems)."""
    texts = "\n".join(raw for key, raw in loaded.positions.texts() if key not in _IDENTIFIER_KEYS)
    if _CANDIDATE.search(texts) is None:  # no candidate can span two texts: none of its forms has a line break
        return
    for path, scalar in loaded.positions.scalars.items():
        if scalar.kind != "str" or not path or path[-1] in _IDENTIFIER_KEYS or _CANDIDATE.search(scalar.raw) is None:
            continue
        for kind, pattern in PATTERNS:
            for match in pattern.finditer(scalar.raw):
                if kind == "身份证号码" and not ric.is_valid(match.group()):
                    continue
                line, col = loaded.positions.at(path)
                where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
                yield PRIVACY_PERSONAL.finding(loaded.file, line, col,
                              f"{where} 中有疑似{kind}（{_masked(match.group())}）：登记簿只写职务和人数，不写个人信息，"
                              "公开字段会发布到网站上，请删除")
                break
            else:
                continue
            break
