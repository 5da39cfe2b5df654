"""CI and editor files are valid: GitHub workflow schema, zizmor, pre-commit manifests, VS Code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
GITEA = sorted((ROOT / "deploy" / "gitea" / "workflows").glob("*.yml"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)


def test_there_are_check_and_publish_workflows() -> None:
    assert {p.name for p in WORKFLOWS} == {"check.yml", "publish.yml"}


@pytest.mark.slow
def test_workflows_match_the_github_workflow_schema() -> None:
    """GitHub's and the Gitea variants (Gitea Actions reads the same format)."""
    assert {p.name for p in GITEA} == {"check.yml", "publish.yml"}
    result = run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS, *GITEA)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    result = run(BIN / "zizmor", "--offline", "--min-severity", "medium", "--format", "json", *WORKFLOWS, *GITEA)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout or "[]") == []


def test_check_workflow_uses_only_portable_features() -> None:
    import yaml

    text = (ROOT / ".github/workflows/check.yml").read_text(encoding="utf-8")
    assert "pull_request:" in text and "make test" in text and "ipreg check --format github" in text
    assert "ipreg diff" in text and "make site" in text and "GITHUB_STEP_SUMMARY:-" in text
    workflow = yaml.safe_load(text)
    records, tests = workflow["jobs"]["records"], workflow["jobs"]["tests"]
    assert "needs" not in records and "needs" not in tests  # the record check never waits for (or on) the code tests
    steps = {s.get("name", ""): s for s in records["steps"]}
    check = next(s for s in records["steps"] if "ipreg check --format github" in s.get("run", ""))
    summary = next(s for s in records["steps"] if "ipreg diff" in s.get("run", ""))
    assert records["steps"].index(check) < records["steps"].index(summary) and summary.get("if") == "always()", steps
    assert not any("make test" in s.get("run", "") for s in records["steps"])
    runs = [s.get("run", "") for s in tests["steps"]]
    install = next(i for i, r in enumerate(runs) if r.strip() == "tools/install-test-deps")
    assert install < next(i for i, r in enumerate(runs) if r.strip() == "make test")  # the one installer, as .ci/run uses it
    assert "tools/install-test-deps" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    paths = workflow[True]["pull_request"]["paths"] if True in workflow else workflow["on"]["pull_request"]["paths"]
    for needed in ("records/**", "policy.yml", "docs/**", "overrides/**", "texts/**", "mkdocs.yml", "CONTRIBUTING.md", "README.md"):
        assert needed in paths, needed
    for line in text.splitlines():
        if "uses:" in line:
            assert "@" in line and len(line.split("@")[1].split()[0]) == 40, line  # pinned to a commit


def test_fast_tier_runs_on_windows_and_macos_without_make() -> None:
    """The clerks use Windows: the fast tier runs there and on macOS, with the lock's hashes, no make, no bash-only syntax."""
    import yaml

    workflow = yaml.safe_load((ROOT / ".github/workflows/check.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["other-systems"]
    assert job["strategy"]["matrix"]["os"] == ["windows-latest", "macos-latest"] and "needs" not in job
    runs = " ".join(s.get("run", "") for s in job["steps"])
    assert "--require-hashes -r requirements.lock -r requirements-dev.lock" in runs
    assert 'python -m pytest -m "not slow"' in runs and "make" not in runs.split() and "$(" not in runs and "[[" not in runs
    assert workflow["permissions"] == {"contents": "read"} and "permissions" not in job


def test_publish_runs_daily_after_midnight_in_shanghai() -> None:
    text = (ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    assert 'cron: "10 16 * * *"' in text and "branches: [main]" in text
    assert "actions/deploy-pages@" in text and "ipreg build" in text


@pytest.mark.slow
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
    owners = (ROOT / ".github/CODEOWNERS.example").read_text(encoding="utf-8")
    covered = {line.split()[0] for line in owners.splitlines() if line.startswith("/")}
    assert {"/records/", "/docs/", "/overrides/", "/texts/", "/policy.yml", "/Makefile", "/requirements.lock",
            "/CONTRIBUTING.md", "/generator/", "/schemas/", "/.github/", "/mkdocs.yml"} <= covered


@pytest.mark.slow
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


def test_gitea_workflows_comment_and_publish_without_github_services() -> None:
    import yaml

    check = yaml.safe_load((ROOT / "deploy/gitea/workflows/check.yml").read_text(encoding="utf-8"))
    steps = check["jobs"]["records"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any("ipreg check --format github" in r for r in runs) and any("ipreg diff" in r for r in runs)
    comment = next(s for s in steps if "generator.checking.gitea" in s.get("run", ""))
    assert comment.get("if") == "always()" and "GITEA_TOKEN" in comment["env"]
    assert steps[-1]["if"] == "steps.check.outcome == 'failure'"  # the check still blocks the merge, after commenting
    publish_text = (ROOT / "deploy/gitea/workflows/publish.yml").read_text(encoding="utf-8")
    assert "deploy-pages" not in publish_text and "tools/publish-rsync" in publish_text and "workflow_dispatch" in publish_text
    assert "vars.IPREG_DEPLOY_TARGET" in publish_text and "vars.PIP_INDEX_URL" in publish_text
    for workflow in (*WORKFLOWS, *GITEA):
        for line in workflow.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("uses:"):
                assert len(line.split("@")[1].split()[0]) == 40, line  # pinned to a commit, so a mirror can serve the same


def test_publish_jobs_see_the_whole_history() -> None:
    """The last-change date of each enterprise page comes from Git: a depth-1 clone would give every page the same date."""
    import yaml

    for path in (ROOT / ".github/workflows/publish.yml", ROOT / "deploy/gitea/workflows/publish.yml"):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        checkouts = [s for job in workflow["jobs"].values() for s in job.get("steps", []) if "actions/checkout" in s.get("uses", "")]
        assert checkouts and all(s.get("with", {}).get("fetch-depth") == 0 for s in checkouts), path


def _decided(script: str, repo: Path, base: str, output: Path) -> str:
    import os

    output.write_text("", encoding="utf-8")
    env = {**os.environ, "BASE_REF": base, "GITHUB_OUTPUT": str(output)}
    subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env, check=True, capture_output=True)
    return output.read_text(encoding="utf-8").strip()


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@x", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.slow
@pytest.mark.parametrize("workflow", [".github/workflows/check.yml", "deploy/gitea/workflows/check.yml"])
def test_records_only_pull_requests_skip_the_program_tests_and_nothing_else_does(tmp_path: Path, workflow: str) -> None:
    """The tests job's "看改了什么" step, run as the runner runs it (bash, GITHUB_OUTPUT): records only -> skip; any other
    file -> run; a base that cannot be compared -> run (when in doubt, test)."""
    import yaml

    steps = yaml.safe_load((ROOT / workflow).read_text(encoding="utf-8"))["jobs"]["tests"]["steps"]
    script = next(s["run"] for s in steps if s.get("id") == "changes")
    repo, output = tmp_path / "repo", tmp_path / "output"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "base")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    (repo / "records").mkdir()
    (repo / "records" / "A.yaml").write_text("a", encoding="utf-8")
    (repo / "policy.yml").write_text("p", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "records")
    assert _decided(script, repo, "main", output) == "code=false"
    (repo / "generator.py").write_text("x", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "code")
    assert _decided(script, repo, "main", output) == "code=true"
    assert _decided(script, repo, "no-such-branch", output) == "code=true"
