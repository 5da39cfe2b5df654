"""Identifiers: USCC (GB 32100-2015 + GB 11714-1997), CN patent application numbers, trademarks.

The *shape* of each identifier is a pattern in ``schemas/enterprise.schema.json``; this module
checks what a pattern cannot: check characters and the agreement of a patent's type digit.
Every function here is pure and returns ``None`` when the identifier is fine, or a Chinese
explanation of what is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from operator import mul

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError

from generator.labels import PATENT_TYPE_ZH

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def org_code_check(body8: str) -> str:
    """GB 11714-1997 check character for the 8-character organisation-code body.

    Letters count with their ASCII value minus 55 (A=10 ... Z=35), not their USCC index.
    """
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, _ORG_WEIGHTS, strict=False))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc_final_check(first17: str) -> str:
    """GB 32100-2015 check character (position 18).

    python-stdnum computes it; it refuses codes whose first 8 characters are not digits
    (authorities A, N, Y exist in the standard), so those use the same formula here.
    """
    if first17[:8].isdigit():
        return str(stdnum_uscc.calc_check_digit(first17))
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _uscc_hint(code: str) -> str:
    """What went wrong in writing it down: spaces, small letters, a digit too few or too many."""
    squeezed = re.sub(r"\s", "", code)
    if squeezed != code:
        return f"：中间有空格，请去掉，写作 {squeezed}" if len(squeezed) == 18 else "：中间有空格，请去掉"
    if code.upper() != code and len(code) == 18:
        return f"：字母要大写，写作 {code.upper()}"
    if len(code) != 18:
        return f"：现在是 {len(code)} 位，{'少了' if len(code) < 18 else '多了'} {abs(len(code) - 18)} 位，请对照营业执照核对"
    return ""


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid USCC, or None. Both check characters must hold."""
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return f"统一社会信用代码 {code} 应为 18 位，只含数字和大写字母（不含 I、O、Z、S、V）{_uscc_hint(code)}"
    org = org_code_check(code[8:16])
    if code[16] != org:
        return (
            f"统一社会信用代码 {code} 第 17 位（组织机构代码校验码）应为 {org}，"
            f"实为 {code[16]}：请核对营业执照"
        )
    try:
        valid = stdnum_uscc.validate(code) == code if code[:8].isdigit() else None
    except ValidationError:
        valid = False
    expected = uscc_final_check(code[:17])
    if valid is False or code[17] != expected:
        return (
            f"统一社会信用代码 {code} 第 18 位校验码应为 {expected}，"
            f"实为 {code[17]}：请核对营业执照"
        )
    return None


def division_code(code: str) -> str:
    """Positions 3-8: the GB/T 2260 code of the registering authority (e.g. 411721 西平县)."""
    return code[2:8]


# -- patents -------------------------------------------------------------------------------

_PATENT_RE = re.compile(r"^(?:ZL|CN)?(?P<digits>[0-9]{12}|[0-9]{8})\.(?P<check>[0-9X])\Z")
_W12 = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_W8 = (2, 3, 4, 5, 6, 7, 8, 9)
PATENT_TYPE_DIGITS: dict[str, frozenset[str]] = {
    "invention": frozenset("18"),
    "utility_model": frozenset("29"),
    "design": frozenset("3"),
}


def patent_check(digits: str) -> str:
    """Check character of a CN application number (12 or 8 digits): weighted sum mod 11."""
    weights = _W12 if len(digits) == 12 else _W8
    rest = sum(map(mul, map(int, digits), weights)) % 11  # zip's length: the shorter of the two
    return "X" if rest == 10 else str(rest)


def patent_parts(number: str) -> tuple[int, str] | None:
    """(filing year, type digit) of an application number, or None if it is malformed."""
    match = _PATENT_RE.match(number)
    if match is None:
        return None
    digits = match["digits"]
    if len(digits) == 12:
        return int(digits[:4]), digits[4]
    yy = int(digits[:2])
    return (1900 + yy if yy >= 85 else 2000 + yy), digits[2]


def patent_problem(number: str, patent_type: str | None = None) -> str | None:
    """Why ``number`` is not a valid application number of ``patent_type``, or None."""
    match = _PATENT_RE.match(number)
    if match is None:
        return (
            f"专利申请号 {number} 格式不对：应为 12 位数字加“.”和校验位（如 202010566088.9），"
            "或 2003 年以前的 8 位数字加校验位，可带 ZL 或 CN 前缀"
        )
    digits, check = match["digits"], match["check"]
    expected = patent_check(digits)
    if check != expected:
        return f"专利申请号 {number} 的校验位应为 {expected}，实为 {check}：请核对专利证书"
    if patent_type in PATENT_TYPE_DIGITS:
        parts = patent_parts(number)
        assert parts is not None
        type_digit = parts[1]
        if type_digit not in PATENT_TYPE_DIGITS[patent_type]:
            allowed = "或".join(sorted(PATENT_TYPE_DIGITS[patent_type]))
            return (
                f"专利申请号 {number} 的类型位是 {type_digit}，与专利类型"
                f"“{PATENT_TYPE_ZH[patent_type]}”不符（应为 {allowed}）"
            )
    return None


@lru_cache(maxsize=4096)  # asked three times for each patent of a check: duplicates, consistency and ranking
def patent_key(number: str) -> str:
    """A patent application number as compared: ``ZL``/``CN`` prefix, the check character's dot, spaces, full-width
    characters and letter case do not count (ZL202010566088.9, CN202010566088.9, 2020105660889 and
    ``zl 202010566088.9`` are one patent)."""
    text = fold(number)
    if text.startswith(("ZL", "CN")):
        text = text[2:]
    return text.replace(".", "").replace("·", "")


# -- trademarks ----------------------------------------------------------------------------

_TRADEMARK_RE = re.compile(r"^(?:G[0-9]{4,9}|[1-9][0-9]{0,8})\Z")


def trademark_problem(number: str) -> str | None:
    """Why ``number`` is not a trademark registration number, or None.

    Domestic numbers are sequential integers without check digit; Madrid registrations are
    written ``G`` + the international registration number.
    """
    if _TRADEMARK_RE.match(number):
        return None
    return (
        f"商标注册号 {number} 格式不对：应只写数字（如 12345678，不写“第”“号”），"
        "马德里国际注册写 G 加数字（如 G1234567）"
    )


def trademark_key(number: str) -> str:
    """A trademark registration number as compared: spaces, full-width digits, letter case (g1234567 is G1234567), a
    ``第…号`` around it and leading zeros do not count."""
    text = fold(number).removeprefix("第").removesuffix("号")
    madrid = text.startswith("G")
    digits = text[1:] if madrid else text
    digits = digits.lstrip("0") or digits
    return ("G" if madrid else "") + digits


# -- names -----------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """An enterprise name as compared: spaces, full-width and half-width forms (（）and ()), bracket kinds and letter
    case do not count."""
    return fold(name).translate(_BRACKET_FORMS)


# -- document and certificate numbers ------------------------------------------------------------
#
# The one normal form of 文号 and certificate numbers: the registry's duplicate check, ipreg decide (the reuse of a
# 文号, the next certificate number, the 文号 it writes) and the documents compare with number_key / document_form;
# the verification page's number_key in docs/assets/javascripts/verify.js is this function for the browser, and
# tests/test_integrity.py runs both on the same inputs.

_SPACES = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")  # JavaScript's \s
_OPENERS = "〔[(（【〖﹝［｛{<《〈「『"
_CLOSERS = "〕])）】〗﹞］｝}>》〉」』"
_BRACKET_FORMS = str.maketrans(_OPENERS + _CLOSERS, "〔" * len(_OPENERS) + "〕" * len(_CLOSERS))
_BRACKET = re.compile("[" + re.escape(_OPENERS + _CLOSERS) + "]")
_BRACKET_OR_SEPARATOR = re.compile("[" + re.escape(_OPENERS + _CLOSERS) + r"号號第#№/_\-－—–·、，,.。:：]")
_FORMAT_FIELD = re.compile(r"\{[^}]*\}")
_BRACKETED_SERIAL = re.compile("〕〔([0-9]+)〕")  # 〔2026〕(40)号: the serial in brackets of its own after the year


def fold(text: str) -> str:
    """NFKC (full-width digits, letters and brackets as half-width), without white space, in capitals."""
    if text.isascii() and text.isprintable() and " " not in text:
        return text.upper()  # most patent and trademark numbers: NFKC changes no printable ASCII, and there is no space
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).upper()


def document_form(text: str) -> str:
    """A 文号 or certificate number written the one way: half-width digits, no spaces, any bracket as 〔〕, the serial
    after the year without brackets of its own and without leading zeros (GB/T 9704: 发文顺序号不编虚位).
    ``西市监[２０２６]052号`` and ``西市监〔2026〕(52)号`` -> ``西市监〔2026〕52号``."""
    return re.sub(r"〕0+(?=[0-9])", "〕", _BRACKETED_SERIAL.sub(r"〕\1", fold(text).translate(_BRACKET_FORMS)))


@lru_cache(maxsize=16)
def format_affixes(certificate_format: str) -> tuple[str, str]:
    """The literal text before the first and after the last field of a certificate format (西知强企证〔 and 号)."""
    fields = list(_FORMAT_FIELD.finditer(certificate_format))
    if not fields:
        return "", ""
    return certificate_format[:fields[0].start()], certificate_format[fields[-1].end():]


_DIGIT_RUN = re.compile("[0-9]+")
_DIGITS_AND_DASHES = re.compile("[0-9-]*")


@lru_cache(maxsize=16)
def _bare_affixes(prefix: str, suffix: str) -> tuple[str, str]:
    """A certificate format's literal prefix and suffix as number_key compares them (folded, without brackets)."""
    return _BRACKET.sub("", fold(prefix)), _BRACKET.sub("", fold(suffix))


@lru_cache(maxsize=4096)  # a batch decision's 文号 stands in every record it decided
def number_key(text: str, prefix: str = "", suffix: str = "") -> str:
    """The key two 文号 or certificate numbers are compared by: ``year-serial`` (2024-1) when, without the
    certificate format's literal ``prefix`` and ``suffix``, brackets and separators, only the year and the serial are
    left (西知强企证〔2024〕001号, 〔2024〕1号, 2024-001 and 2024001 are one number); else ``document_form``."""
    rest = fold(text)
    for affix in _bare_affixes(prefix, suffix):
        if affix:
            rest = rest.replace(affix, "-")
    rest = _BRACKET_OR_SEPARATOR.sub("-", rest)
    runs = _DIGIT_RUN.findall(rest) if _DIGITS_AND_DASHES.fullmatch(rest) else []
    if len(runs) == 1 and len(runs[0]) >= 5:
        runs = [runs[0][:4], runs[0][4:]]
    if len(runs) >= 2:
        return "-".join([runs[0]] + [r.lstrip("0") or "0" for r in runs[1:]])
    return document_form(text)
