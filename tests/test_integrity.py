"""Issue 35 item 7, the registry's own integrity: what a clerk's year and an attacker found passing on main.

One patent or trademark in several enterprises, a copy of an enterprise under a new code, one certificate written
〔2024〕1号 and 〔2024〕001号, a record named by an absolute path or ./, a 文号 typed with full-width digits, an industry
code with another division's name. Registries are built in memory or in tmp_path, never from records/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import hypothesis
import pytest
from hypothesis import strategies as st

from generator import ids, industries
from generator.loader import load_bytes
from generator.policy import default_policy
from generator.ranking import RankInput
from generator.registry import build_registry
from generator.site.verify import verify_index
from generator.writing.decisions import DecideError, plan
from tests.helpers import CASES, ROOT, SAMPLES, scratch_checkout
from tests.sitekit import ipreg

TODAY = date(2026, 11, 25)
BASE = (CASES / "valid" / "advantage.yaml").read_text(encoding="utf-8")
CODES = ["91411721MA00000154", "91411721MA0000111D", "91411721MA000012X5", "91411721MA00001385", "91411721MA00001460"]


def _enterprise(uscc: str, n: int, **replace: str) -> str:
    """The valid advantage case as enterprise n: its own code, name, patents, trademark and certificate."""
    text = (BASE.replace("91411721MA00000154", uscc).replace("西平县测试示例机械有限公司", f"西平县测试示例第{n}机械有限公司")
            .replace("ZL202010566088.9", _patent(2021, 1, n)).replace("ZL202322865413.3", _patent(2022, 2, n))
            .replace('"12345678"', f'"{30000000 + n}"')
            .replace("    document: 西市监〔2025〕31号\n",
                     f"    document: 西市监〔2025〕31号\n    certificate: 西知强企证〔2025〕{n + 1:03d}号\n"))
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def _patent(year: int, kind: int, serial: int) -> str:
    digits = f"{year}{kind}{serial + 1:07d}"
    return f"ZL{digits}.{ids.patent_check(digits)}"


def _check(texts: dict[str, str]):  # type: ignore[no-untyped-def]
    return build_registry([load_bytes(t.encode(), f"records/{u}.yaml") for u, t in texts.items()], default_policy(), TODAY)


def _duplicates(registry, file: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.message for f in registry.findings if f.rule == "registry.duplicate" and f.file == file]


def test_the_valid_enterprises_are_valid_together() -> None:
    registry = _check({u: _enterprise(u, n) for n, u in enumerate(CODES)})
    assert [f for f in registry.findings if f.severity != "info"] == []


def test_one_patent_in_four_enterprises_is_an_error_in_each_naming_the_others() -> None:
    shared = _patent(2021, 1, 0)  # enterprise 0's invention
    forms = [shared, shared.removeprefix("ZL"), "CN" + shared.removeprefix("ZL"), shared.replace(".", "")]
    texts = {u: _enterprise(u, n, **({} if n == 0 else {_patent(2021, 1, n): forms[n]})) for n, u in enumerate(CODES[:4])}
    registry = _check(texts)
    for n, uscc in enumerate(CODES[:4]):
        messages = _duplicates(registry, f"records/{uscc}.yaml")
        assert len(messages) == 1 and messages[0].startswith(f"专利申请号 {forms[n]} 重复出现（另见 "), messages
        others = [f"records/{u}.yaml:19" for u in CODES[:4] if u != uscc]
        assert all(o in messages[0] for o in others), messages[0]
    line = [f for f in registry.findings if f.rule == "registry.duplicate"][0].line
    assert line == 19 and registry.errors == 4 + 1  # the dotless form also fails patent.number


def test_a_copy_under_a_new_valid_code_is_an_error() -> None:
    original = _enterprise(CODES[0], 0)
    copy = original.replace(CODES[0], CODES[1]).replace("西知强企证〔2025〕001号", "西知强企证〔2025〕009号")
    registry = _check({CODES[0]: original, CODES[1]: copy})
    labels = sorted(m.split(" ")[0] for m in _duplicates(registry, f"records/{CODES[1]}.yaml"))
    assert labels == ["专利申请号", "专利申请号", "企业名称", "商标注册号"], labels


def test_a_name_differing_only_in_brackets_and_spaces_is_the_same_name() -> None:
    a = _enterprise(CODES[0], 0, **{"西平县测试示例第0机械有限公司": "西平县测试示例（第0机械）有限公司"})
    b = _enterprise(CODES[1], 1, **{"西平县测试示例第1机械有限公司": "西平县测试示例 (第0机械) 有限公司"})
    registry = _check({CODES[0]: a, CODES[1]: b})
    assert any("企业名称" in m and "不要新建记录" in m for m in _duplicates(registry, f"records/{CODES[1]}.yaml"))


@pytest.mark.parametrize("other", ["西知强企证〔2025〕1号", "西知强企证[2025]001号", "西知强企证〔２０２５〕001号",
                                   "西知强企证〔2025〕 0001号"])
def test_one_certificate_written_two_ways_is_one_certificate(other: str) -> None:
    a = _enterprise(CODES[0], 0)
    b = _enterprise(CODES[1], 1, **{"西知强企证〔2025〕002号": other})
    registry = _check({CODES[0]: a, CODES[1]: b})
    assert any(m.startswith(f"证书编号 {other} 重复出现") for m in _duplicates(registry, f"records/{CODES[1]}.yaml"))


def test_a_patent_written_twice_in_one_record_counts_once_in_the_ranking() -> None:
    text = _enterprise(CODES[0], 0, **{_patent(2022, 2, 0): "CN" + _patent(2021, 1, 0)[2:]}).replace("utility_model", "invention")
    registry = _check({CODES[0]: text})
    assert [f.rule for f in registry.findings if f.severity == "error"] == ["data.consistency"]
    record = registry.entries[0].record
    assert record is not None and len(RankInput.of(record, date(2025, 6, 10)).granted) == 1


def test_normal_forms() -> None:
    assert len({ids.patent_key(n) for n in ("ZL202010566088.9", "CN202010566088.9", "202010566088.9", "2020105660889",
                                             "zl 202010566088.9", "ＺＬ２０２０１０５６６０８８．９")}) == 1
    assert ids.patent_key("ZL202010566088.9") != ids.patent_key("ZL202010566089.9")
    assert ids.trademark_key("g 1234567") == ids.trademark_key("G1234567") == "G1234567" != ids.trademark_key("1234567")
    assert ids.trademark_key("第12345678号") == ids.trademark_key("１２３４５６７８")
    assert ids.document_form("西市监[２０２６]052号") == ids.document_form("西市监（2026） 52号") == "西市监〔2026〕52号"
    assert ids.number_key("西市监〔2026〕52号") != ids.number_key("西市监〔2026〕5号")
    affixes = ids.format_affixes("西知强企证〔{year}〕{seq:03d}号")
    assert affixes == ("西知强企证〔", "号")
    assert len({ids.number_key(t, *affixes) for t in ("西知强企证〔2024〕1号", "西知强企证〔2024〕001号", "〔2024〕1号", "2024-001",
                                                      "2024001", "西知强企证[2024]1号")}) == 1


@pytest.mark.parametrize("typed", ["西市监〔2026〕(40)号", "西市监〔2026〕（40）号", "西市监〔2026〕[40]号", "西市监〔2026〕【40】号",
                                   "西市监〔2026〕［40］号", "西市监[2026](040)号", "西市监（2026）（４０）号", "西市监〔2026〕〔40〕号"])
def test_a_serial_number_in_brackets_of_its_own_is_written_without_them(typed: str) -> None:
    assert ids.document_form(typed) == "西市监〔2026〕40号"
    assert ids.number_key(typed) == ids.number_key("西市监〔2026〕40号")


_OPEN_CLOSE = [("〔", "〕"), ("[", "]"), ("(", ")"), ("（", "）"), ("【", "】"), ("［", "］"), ("〖", "〗")]


@hypothesis.given(st.sampled_from(_OPEN_CLOSE), st.sampled_from(_OPEN_CLOSE + [("", "")]), st.integers(1990, 2099), st.integers(1, 9999),
       st.integers(0, 2), st.booleans())
def test_any_brackets_around_year_and_serial_give_the_standard_form(year_brackets: tuple[str, str], serial_brackets: tuple[str, str],
                                                                    year: int, serial: int, zeros: int, wide: bool) -> None:
    digits = "0" * zeros + str(serial)
    if wide:
        digits = digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    typed = f"西市监{year_brackets[0]}{year}{year_brackets[1]}{serial_brackets[0]}{digits}{serial_brackets[1]}号"
    assert ids.document_form(typed) == f"西市监〔{year}〕{serial}号"
    assert ids.document_form(ids.document_form(typed)) == ids.document_form(typed)


# -- the verification page compares as the registry does -------------------------------------------------------------

CORPUS = ["西知强企证〔2024〕1号", "西知强企证〔2024〕001号", "西知强企证[2024]001号", "西知强企证（2024）001号", "〔2024〕1号",
          "2024001", "2024-1", " 2025 - 001 ", "西知强企证〔２０２５〕０１号", "西市监〔2026〕52号", "西市监[２０２６]052号",
          "西市监（2026） 052号", "西知强企证2024001号", "西知强企证〔2024〕0号", "豫知强〔2024〕1号", "GR202441000356",
          "165IP240001R0M（示例）", "91411721MA00000154", "测试示例机械", "2024", "", "号", "〔〕", "ＡＢＣ〔2024〕７号", "a[2024]b",
          "西知强企证〔2024〕1号\u3000", "西知强企证\ufeff〔2024〕1号", "№12", "2024/1/2", "西知強企證〔2024〕1號",
          "西市监〔2026〕(40)号", "西市监〔2026〕（040）号", "西知强企证〔2024〕[001]号", "西市监[2026]【４０】号", "〔2024〕(7)"]


@pytest.mark.slow
def test_the_verification_page_uses_the_registrys_normal_form() -> None:
    """verify.js' numberKey is ids.number_key for the browser: node runs it on the corpus and gets the same keys."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    source = (ROOT / "docs" / "assets" / "javascripts" / "verify.js").read_text(encoding="utf-8")
    part = source[source.index("/* number-key:begin"):source.index("/* number-key:end */")]
    prefix, suffix = ids.format_affixes(default_policy().first.certificate_format)
    script = (f"var prefixWord = '', suffixWord = '';\n{part}\n"
              f"prefixWord = bare({json.dumps(prefix)}); suffixWord = bare({json.dumps(suffix)});\n"
              f"console.log(JSON.stringify({json.dumps(CORPUS, ensure_ascii=False)}.map(numberKey)));")
    result = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(result.stdout) == [ids.number_key(t, prefix, suffix) for t in CORPUS]


def test_certificates_the_page_reads_as_one_are_a_registry_error() -> None:
    """Two enterprises whose certificates the page would read as one can never both be published without an error."""
    prefix, suffix = ids.format_affixes(default_policy().first.certificate_format)
    for a in CORPUS[:9]:
        for b in CORPUS[:9]:
            if a.strip() and b.strip() and ids.number_key(a, prefix, suffix) == ids.number_key(b, prefix, suffix) and a != b:
                x = _enterprise(CODES[0], 0, **{"西知强企证〔2025〕001号": json.dumps(a.strip(), ensure_ascii=False)})
                y = _enterprise(CODES[1], 1, **{"西知强企证〔2025〕002号": json.dumps(b.strip(), ensure_ascii=False)})
                assert _duplicates(_check({CODES[0]: x, CODES[1]: y}), f"records/{CODES[1]}.yaml"), (a, b)
    assert verify_index  # the page's index is built from the same records (tests/test_e2e.py runs the page)


# -- ipreg decide -----------------------------------------------------------------------------------------------------


def _samples() -> dict[str, bytes]:
    return {f"records/{p.name}": p.read_bytes() for p in sorted((SAMPLES / "records").glob("*.yaml"))}


@pytest.mark.parametrize("typed", ["西市监〔２０２６〕52号", "西市监[2026]52号", "西市监（2026）052号", " 西市监 〔2026〕52号 "])
def test_decide_writes_the_document_number_in_its_canonical_form(typed: str) -> None:
    changes, _ = plan(_samples(), "records/", "review_failed", date(2026, 11, 20), typed, ["91411721MA45A0038J"],
                      default_policy(), TODAY)
    assert "    document: 西市监〔2026〕52号\n" in changes[0].after.decode()


@pytest.mark.parametrize("typed", ["西市监〔２０２６〕52号", "西市监[2026]052号", "西市监〔2026〕52号"])
def test_decide_refuses_a_document_number_used_on_another_day_however_it_is_typed(typed: str) -> None:
    raws = _samples()
    first, _ = plan(raws, "records/", "review_failed", date(2026, 11, 20), "西市监〔2026〕52号", ["91411721MA45A0038J"],
                    default_policy(), TODAY)
    raws[first[0].file] = first[0].after
    with pytest.raises(DecideError, match="已用于 2026-11-20 的决定"):
        plan(raws, "records/", "review_failed", date(2026, 11, 21), typed, ["91411721MA45A002XJ"], default_policy(), TODAY)


def test_decide_numbers_after_a_certificate_written_with_other_brackets() -> None:
    raws = _samples()
    owner = next(f for f, r in raws.items() if "西知强企证〔2024〕007号".encode() in r)
    raws[owner] = raws[owner].replace("西知强企证〔2024〕007号".encode(), "西知强企证[２０２６]007号".encode())
    changes, _ = plan(raws, "records/", "filed", date(2026, 11, 24), "西市监〔2026〕45号", ["91411721MA45A0142N"], default_policy(), TODAY)
    assert changes[0].certificate == "西知强企证〔2026〕008号"


# -- ipreg check names a file the way the registry does ----------------------------------------------------------------


@pytest.mark.slow
def test_a_record_named_by_an_absolute_path_or_dot_slash_is_not_its_own_duplicate(tmp_path: Path) -> None:
    repo = scratch_checkout(tmp_path / "repo")
    name = "records/91411721MA45A0038J.yaml"
    for given in (str(repo / name), f"./{name}", f"records/../{name}", name):
        result = ipreg(repo, "check", "--no-cache", "--today", "2026-11-25", "--format", "json", given)
        found = json.loads(result.stdout)["findings"]
        assert not [f for f in found if f["rule"] == "registry.duplicate"], (given, found)
        assert {f["file"] for f in found} <= {name}, (given, found)  # the registry's name, however it was typed


# -- industry ---------------------------------------------------------------------------------------------------------


def test_the_table_holds_the_97_divisions_in_their_sections() -> None:
    assert sorted(industries.DIVISIONS) == [f"{n:02d}" for n in range(1, 98)]
    assert len(set(industries.DIVISIONS.values())) == 97
    assert [industries.section_of(d) for d in ("01", "05", "06", "13", "43", "44", "70", "96", "97")] == list("AABCCDKST")
    assert industries.section_of("00") is None and industries.section_of("98") is None
    assert all(name.endswith(("业", "活动", "服务", "发展", "机关", "机构", "派", "保障", "组织", "卫生", "社会工作", "教育", "体育"))
               for name in industries.DIVISIONS.values())


@pytest.mark.parametrize(("code", "name", "error", "text"), [
    ("C34", "农副食品加工业", True, "行业代码 C34 的名称应为“通用设备制造业”，现为“农副食品加工业”（这是 C13 的名称）"),
    ("C34", "专用设备制造业", True, "（这是 C35 的名称）"),
    ("C34", "机械制造业", True, "这不是 GB/T 4754-2017 任何大类的名称"),
    ("B11", "开采辅助活动", False, "GB/T 4754-2011 的旧名称"),
    ("C34", "通用设备制造", False, "简称或不完整"),
    ("C34", "通用设备", False, "简称或不完整"),
    ("A05", "农,林,牧,渔专业及辅助性活动", False, "空格、标点不同"),
])
def test_an_industry_name_must_be_its_divisions(code: str, name: str, error: bool, text: str) -> None:
    found = industries.name_problem(code, name)
    assert found is not None and found[0] is error and text in found[1], found
    assert industries.name_problem(code, industries.DIVISIONS[code[1:]]) is None


def test_a_section_letter_must_be_that_of_its_division() -> None:
    assert industries.code_problem("C35") is None and industries.code_problem("I65") is None
    assert "应写作 C35" in (industries.code_problem("B35") or "")
    assert "不是 GB/T 4754-2017 的大类代码" in (industries.code_problem("C00") or "")
    assert "不是 GB/T 4754-2017 的大类代码" in (industries.code_problem("T99") or "")


def test_a_record_with_another_divisions_name_fails_and_an_old_name_warns() -> None:
    wrong = _enterprise(CODES[0], 0, **{"code: C35": "code: C34", "name: 专用设备制造业": "name: 农副食品加工业"})
    found = [(f.rule, f.severity, f.line) for f in _check({CODES[0]: wrong}).findings if f.severity != "info"]
    assert found == [("industry.name", "error", 10)]
    old = _enterprise(CODES[0], 0, **{"code: C35": "code: B11", "name: 专用设备制造业": "name: 开采辅助活动"})
    assert [(f.rule, f.severity) for f in _check({CODES[0]: old}).findings if f.severity != "info"] == [("industry.name", "warning")]


def test_every_sample_and_case_record_names_its_industry_right() -> None:
    """The frozen samples and every case file outside industry.* use the GB/T 4754-2017 names (nothing else breaks)."""
    import re

    pattern = re.compile(r"^industry:\n  code: ([A-T][0-9]{2})\n  name: (.+)$", re.MULTILINE)
    files = [*(SAMPLES / "records").glob("*.yaml"), *(CASES / "valid").glob("*.yaml"),
             *(p for p in (CASES / "invalid").rglob("*.yaml") if "industry." not in p.as_posix())]
    seen = 0
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # the cases of other encodings
            continue
        for code, name in pattern.findall(text):
            if name.startswith("!"):  # a YAML tag (tests/cases/invalid/yaml.type)
                continue
            seen += 1
            assert industries.code_problem(code) is None and industries.name_problem(code, name) is None, (path, code, name)
    assert seen > 100


def test_the_registry_names_files_by_their_real_path_as_realpath_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``ipreg check`` maps a named file to its registry name by identity (``_identities``, quick for thousands of files):
    the same identity as resolving every path in full, for a plain file, a file reached through a linked folder, a
    linked file, a link to a link and a relative path."""
    from generator.commands.check import _identities, _same

    real = tmp_path / "real"
    (real / "records").mkdir(parents=True)
    for name in ("A.yaml", "B.yaml"):
        (real / "records" / name).write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "via").symlink_to(real)  # a linked folder above the records
    (real / "records" / "L.yaml").symlink_to(real / "records" / "A.yaml")
    (real / "records" / "LL.yaml").symlink_to(real / "records" / "L.yaml")
    files = [(str(tmp_path / "via" / "records" / n), f"records/{n}") for n in ("A.yaml", "B.yaml", "L.yaml", "LL.yaml")]
    monkeypatch.chdir(tmp_path)
    files.append(("via/records/B.yaml", "records/B.yaml"))
    mapped = _identities(files)
    assert set(mapped) == {_same(path) for path, _ in files}
    assert mapped[_same(str(real / "records" / "B.yaml"))] == "records/B.yaml"
    assert _same(str(real / "records" / "A.yaml")) in mapped and _same(str(tmp_path / "via" / "records" / "LL.yaml")) in mapped
