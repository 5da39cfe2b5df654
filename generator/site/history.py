"""When each record last changed, from the Git history (one ``git log`` for the whole registry, never one per file)."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import yaml


def _git(root: Path, *args: str) -> bytes | None:
    try:
        result = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=root, capture_output=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def last_changes(root: Path, files: Mapping[str, date | None]) -> dict[str, date]:
    """``records/X.yaml`` -> the commit date (YYYY-MM-DD, the committer's) of the last commit that changed it.

    ``files`` maps each file to None, or to the first day of a later cycle that is not public (an application without a
    decision, ``PublicEnterprise.hidden_since``): for such a file the date is that of the last commit whose version does
    not have the application yet, so recording an application moves no public date (ARCHITECTURE.md section 3).
    Files that are not committed yet, or a checkout without Git or with a shallow history that does not reach them, are
    simply absent: the page then says nothing about it. The workflows check out with ``fetch-depth: 0``."""
    if not files:
        return {}
    out = _git(root, "log", "--format=%x00%H %cs", "--name-only", "--no-renames", "--", "records")
    if out is None:
        return {}
    found: dict[str, date] = {}
    commits: dict[str, list[tuple[str, date]]] = {}  # newest first, for the files with a hidden cycle
    current: tuple[str, date] | None = None
    for line in out.decode("utf-8", "replace").splitlines():
        if line.startswith("\0"):
            commit, _, day = line[1:].strip().partition(" ")
            try:
                current = (commit, date.fromisoformat(day))
            except ValueError:
                current = None
        elif line and current is not None and line in files:
            if files[line] is not None:
                commits.setdefault(line, []).append(current)
            elif line not in found:
                found[line] = current[1]  # newest first: the first time a file appears is its last change
    for name, versions in commits.items():
        since = files[name]
        assert since is not None
        for commit, changed_on in versions:
            if not _has_application(_git(root, "show", f"{commit}:{name}"), since):
                found[name] = changed_on
                break
    return found


def _has_application(text: bytes | None, since: date) -> bool:
    """Whether this version of a record has the hidden cycle: an application dated ``since`` or later (a cycle without a
    decision always starts with one). A version that cannot be read counts as having it (its date is then not used)."""
    if text is None:
        return False  # the file did not exist in that commit (deleted there): no application in it
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        events = data.get("events") or []
        return any(e.get("type") == "applied" and date.fromisoformat(str(e.get("date"))) >= since for e in events)
    except (yaml.YAMLError, AttributeError, TypeError, ValueError):
        return True
