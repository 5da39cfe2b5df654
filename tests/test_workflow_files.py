"""CI and editor files are valid: GitHub workflow schema, zizmor, pre-commit manifests, VS Code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)


def test_there_are_check_and_publish_workflows() -> None:
    assert {p.name for p in WORKFLOWS} == {"check.yml", "publish.yml"}


def test_workflows_match_the_github_workflow_schema() -> None:
    result = run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    result = run(BIN / "zizmor", "--offline", "--min-severity", "medium", "--format", "json", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout or "[]") == []


def test_check_workflow_uses_only_portable_features() -> None:
    text = (ROOT / ".github/workflows/check.yml").read_text(encoding="utf-8")
    assert "pull_request:" in text and "make test" in text and "ipreg check --format github" in text
    assert "ipreg diff" in text and "ipreg build" in text and "GITHUB_STEP_SUMMARY:-" in text
    for line in text.splitlines():
        if "uses:" in line:
            assert "@" in line and len(line.split("@")[1].split()[0]) == 40, line  # pinned to a commit


def test_publish_runs_daily_after_midnight_in_shanghai() -> None:
    text = (ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    assert 'cron: "10 16 * * *"' in text and "branches: [main]" in text
    assert "actions/deploy-pages@" in text and "ipreg build" in text


def test_pre_commit_files_are_valid() -> None:
    assert run(BIN / "pre-commit", "validate-manifest", ROOT / ".pre-commit-hooks.yaml").returncode == 0
    assert run(BIN / "pre-commit", "validate-config", ROOT / ".pre-commit-config.yaml").returncode == 0


def test_vscode_maps_records_to_the_schema() -> None:
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./schemas/enterprise.schema.json"] == ["records/*.yaml"]
    assert (ROOT / "schemas/enterprise.schema.json").exists()


def test_review_checklist_and_codeowners_example() -> None:
    template = (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert "文号" in template and "证书" in template and "- [ ]" in template
    assert "/records/" in (ROOT / ".github/CODEOWNERS.example").read_text(encoding="utf-8")


def test_pre_commit_hook_without_a_venv_says_what_to_run(tmp_path: Path) -> None:
    """No .venv and no ipreg on PATH: the hook stops the commit with a Chinese explanation, not "Executable not found"."""
    hook = ROOT / "tools" / "ipreg-hook"
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    result = subprocess.run([str(hook), "records/x.yaml"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 1 and "未找到 ipreg" in result.stderr and "make test" in result.stderr and "Windows" in result.stderr
    fake = tmp_path / ".venv" / "bin" / "ipreg"
    fake.parent.mkdir(parents=True)
    fake.write_text('#!/bin/sh\necho "ran: $*"\n', encoding="utf-8")
    fake.chmod(0o755)
    result = subprocess.run([str(hook), "records/x.yaml"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0 and result.stdout == "ran: check records/x.yaml\n"
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "entry: tools/ipreg-hook" in config
