"""``ipreg docs`` as a clerk calls it (issue 37): the documents print the 文号 and the certificate numbers as recorded,
not as typed; a certificate of an enterprise no longer listed needs --force; review letters with the example contact
of policy.yml are refused unless --draft. Chinese messages, the exit codes of README, nothing written on a refusal."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document

from tests.helpers import scratch_checkout
from tests.sitekit import ipreg
from tests.test_documents import DOC, SITE, TODAY, decided_registry

pytestmark = pytest.mark.slow

REVOKED = "91411721MA45A00623"  # filed under 西市监〔2023〕8号, revoked under 西市监〔2025〕47号


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return decided_registry(tmp_path_factory.mktemp("requests") / "repo")


def _docs(repo: Path, out: str, *args: str) -> tuple[int, str, str]:
    result = ipreg(repo, "docs", "--today", TODAY, "--no-pdf", "-o", out, *args, env={"IPREG_SITE_URL": SITE})
    return result.returncode, result.stdout, result.stderr


def _all_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


@pytest.mark.parametrize("kind", ["notice", "certificates"])
def test_the_recorded_document_number_is_printed_not_the_typed_one(repo: Path, kind: str) -> None:
    typed = DOC.replace("〔", "[").replace("〕", "]").replace("40号", "040号")  # 西市监[2026]040号
    code, _, err = _docs(repo, f"out-typed-{kind}", "--kind", kind, "--document", typed)
    assert code == 0, err
    (path,) = (repo / f"out-typed-{kind}").glob("*.docx")
    assert path.name.startswith(DOC)
    text = _all_text(path)
    assert DOC in text and typed not in text and "[2026]" not in text
    if kind == "certificates":
        numbers = [p.text for p in Document(str(path)).paragraphs if p.text.startswith("证书编号：")]
        assert numbers == ["证书编号：西知强企证〔2026〕001号", "证书编号：西知强企证〔2026〕002号"]  # as recorded


def test_a_certificate_of_an_enterprise_no_longer_listed_needs_force(tmp_path: Path) -> None:
    folder = scratch_checkout(tmp_path / "repo")
    record = folder / "records" / f"{REVOKED}.yaml"
    text = record.read_text(encoding="utf-8")
    filed = "    document: 西市监〔2023〕8号\n"
    record.write_text(text.replace(filed, filed + "    certificate: 西知强企证〔2023〕008号\n"), encoding="utf-8")
    code, _, err = _docs(folder, "out", "--kind", "certificates", "--document", "西市监〔2023〕8号")
    assert code == 1 and "已不在知识产权强企名单中" in err and "已撤销" in err and "--force" in err, err
    assert "Traceback" not in err and not (folder / "out").exists()
    code, out, err = _docs(folder, "out", "--kind", "certificates", "--document", "西市监〔2023〕8号", "--force")
    assert code == 0 and "警告" in err and "已撤销" in err and "已生成" in out, err
    assert len(list((folder / "out").glob("*证书.docx"))) == 1


def test_review_letters_with_the_example_contact_are_refused_unless_draft(tmp_path: Path) -> None:
    folder = scratch_checkout(tmp_path / "repo")  # the samples' policy.yml: 0396-0000000, 西平县（请填写办公地址）
    code, _, err = _docs(folder, "out", "--kind", "review-letters", "--within", "400")
    assert code == 2 and "policy.yml" in err and "documents.phone" in err and "documents.address" in err, err
    assert "Traceback" not in err and not (folder / "out").exists()
    code, _, err = _docs(folder, "out", "--kind", "review-letters", "--within", "400", "--draft")
    assert code == 0, err
    (path,) = (folder / "out").glob("*.docx")
    assert "样稿" in path.name and "样稿" in _all_text(path)
    policy = folder / "policy.yml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("0396-0000000", "0396-6212345")
                      .replace("西平县（请填写办公地址）", "西平县柏城大道88号"), encoding="utf-8")
    code, _, err = _docs(folder, "out-real", "--kind", "review-letters", "--within", "400")
    assert code == 0, err
    (path,) = (folder / "out-real").glob("*.docx")
    assert "联系人：知识产权股，电话 0396-6212345，地址 西平县柏城大道88号。" in "\n".join(p.text for p in Document(str(path)).paragraphs)
