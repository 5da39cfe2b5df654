"""Shared test helpers: load case files the way the CLI does and read their expectations."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from generator.loader import Loaded, load_bytes
from generator.policy import default_policy
from generator.registry import Registry, build_registry

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = "tools/install-test-deps"  # installs every tool below (.ci/run, the GitHub and Gitea test jobs call it)
CASES = Path(__file__).resolve().parent / "cases"
SAMPLES = Path(__file__).resolve().parent / "samples"  # a frozen copy of the sample registry: tests never read the live records/
DEFAULT_TODAY = date(2026, 11, 25)
T = TypeVar("T")
_USCC_LINE = re.compile(rb'^uscc:\s*"?([0-9A-Z]+)"?', re.MULTILINE)


@dataclass(frozen=True)
class Expectation:
    rule: str
    line: int | None  # None: any line
    text: str | None = None  # a substring the finding's message must contain


_EXPECT = re.compile(r'^# expect: (?P<rule>\S+)@(?P<at>\*|\d+)(?: "(?P<text>[^"]+)")?\s*$')


def header_lines(path: Path) -> list[str]:
    sidecar = path.with_suffix(".expect")
    raw = sidecar.read_bytes() if sidecar.exists() else path.read_bytes()
    return [line for line in raw.decode("utf-8", "replace").splitlines() if line.startswith("#")]


def expectations(path: Path) -> list[Expectation]:
    found = []
    for line in header_lines(path):
        if line.startswith("# expect: "):
            match = _EXPECT.match(line)
            assert match, f"{path}: bad expect line {line!r}"
            found.append(Expectation(match["rule"], None if match["at"] == "*" else int(match["at"]), match["text"]))
    return found


def display_name(path: Path) -> str:
    """The name the case stands for in records/: ``# as:``, else records/<its USCC>.yaml."""
    for line in header_lines(path):
        if line.startswith("# as: "):
            return line[len("# as: "):].strip()
    match = _USCC_LINE.search(path.read_bytes())
    return f"records/{match.group(1).decode()}.yaml" if match else f"records/{path.name}"


def case_today(path: Path) -> date:
    for line in header_lines(path):
        if line.startswith("# today: "):
            return date.fromisoformat(line[len("# today: "):].strip())
    return DEFAULT_TODAY


def load_case(path: Path) -> list[Loaded]:
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return [load_bytes(f.read_bytes(), display_name(f)) for f in files]


def check_case(path: Path, today: date | None = None) -> Registry:
    first = path if path.is_file() else min(path.glob("*.yaml"))
    return build_registry(load_case(path), default_policy(), today or case_today(first))



# What a scratch repository links to from the checkout (code, docs and templates, never records/ or policy.yml).
LINKED = ("mkdocs.yml", "docs", "overrides", "schemas", "texts", "generator", "CONTRIBUTING.md")


def scratch_checkout(target: Path, records: Path | None = None) -> Path:
    """A folder that looks like the repository: links to the code and docs, its own policy.yml (the samples' copy) and
    records/ (a copy of ``records``, default the samples; empty if ``records`` does not exist)."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = target / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    shutil.copy(SAMPLES / "policy.yml", target / "policy.yml")
    folder = target / "records"
    shutil.rmtree(folder, ignore_errors=True)
    source = SAMPLES / "records" if records is None else records
    if source.is_dir():
        shutil.copytree(source, folder)
    else:
        folder.mkdir()
    return target


def git(repo: Path, *args: str, **env: str) -> str:
    """Run git in ``repo`` as a fixed test author (``env`` adds variables, e.g. GIT_COMMITTER_DATE); returns stdout."""
    import os
    import subprocess

    full = {**os.environ, "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.invalid",
            "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.invalid", **env}
    return subprocess.run(["git", *args], cwd=repo, env=full, check=True, capture_output=True, text=True).stdout


CLI = (sys.executable, "-m", "generator")  # how a test starts ipreg in a subprocess (with ``ipreg`` below, or Popen([*CLI, ...]))


def cli_env(env: dict[str, str] | None = None, unset: Iterable[str] = ()) -> dict[str, str]:
    """The environment a CLI subprocess gets: this one without IPREG_TODAY (tests pass ``--today``) and ``unset``, plus ``env``."""
    dropped = {"IPREG_TODAY", *unset}
    full = {k: v for k, v in os.environ.items() if k not in dropped}
    full.update(env or {})
    return full


def ipreg(
    repo: Path, *args: str, env: dict[str, str] | None = None, unset: Iterable[str] = (), timeout: float = 300,
    prefix: Iterable[str] = (),
) -> subprocess.CompletedProcess[str]:
    """Run ``ipreg ARGS`` in ``repo`` in a subprocess (the one way the tests do; a test that uses it is in the slow tier,
    see HACKING.md): the environment of ``cli_env(env, unset)``, output captured as text, never raising on the exit
    code. ``prefix`` goes before the command (e.g. ``unshare -n``)."""
    return subprocess.run([*prefix, *CLI, *args], cwd=repo, env=cli_env(env, unset), capture_output=True, text=True,
                          timeout=timeout, check=False)


def required(what: str, found: T | None) -> T:
    """A tool a test needs: ``found`` if there; otherwise skipped on a developer's machine and a failure in CI (``CI`` set),
    so a missing tool never passes silently where it counts. ``what`` says what to install."""
    if found is not None:
        return found
    import os

    import pytest

    if os.environ.get("CI"):
        raise AssertionError(f"{what} is required in CI: {INSTALLER} installs it")
    pytest.skip(f"{what} is not installed ({INSTALLER} installs it)", allow_module_level=True)


def browser_path() -> str | None:
    """A Chromium-family browser for Playwright: IPREG_BROWSER, Debian's chromium, or the Google Chrome that GitHub's
    runners have."""
    import os
    import shutil

    named = os.environ.get("IPREG_BROWSER")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def tool(name: str) -> str | None:
    import shutil

    return shutil.which(name)
