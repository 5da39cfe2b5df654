"""Golden files for every public output format: the open data (JSON, CSV, iCalendar, Atom, the verification index,
per-enterprise JSON) built from the frozen samples on a fixed day (the Word documents: tests/test_documents.py). A changed field,
label, date convention or escape shows up as a reviewed diff; UPDATE_GOLDEN=1 rewrites them on a developer's machine, never in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ROOT, scratch_checkout
from tests.sitekit import build
from tests.test_golden import assert_golden

pytestmark = pytest.mark.slow

GOLDEN = ROOT / "tests" / "golden" / "site"
OUTPUTS = ["data/enterprises.json", "data/enterprises.csv", "data/reviews.ics", "data/changes.xml", "data/verify.json", "data/policy.json",
           "data/support.json", "data/support.csv",
           "data/verify.schema.json", "enterprises/91411721MA45A0089T/enterprise.json", "enterprises/91411721MA45A010X6/enterprise.json"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = scratch_checkout(tmp_path_factory.mktemp("golden") / "repo")
    result = build(repo)
    assert result.returncode == 0, result.stderr
    return repo / "site"


@pytest.mark.parametrize("name", OUTPUTS)
def test_public_output_matches_its_golden_file(site: Path, name: str) -> None:
    text = (site / name).read_bytes().decode("utf-8")
    assert_golden(GOLDEN / name.replace("/", "__"), text)
