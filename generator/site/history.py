"""When each record last changed, from the Git history (one ``git log`` for the whole registry, never one per file)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from datetime import date
from pathlib import Path


def last_changes(root: Path, files: Iterable[str]) -> dict[str, date]:
    """``records/X.yaml`` -> the commit date (YYYY-MM-DD, the committer's) of the last commit that changed it.

    Files that are not committed yet, or a checkout without Git or with a shallow history that does not reach them, are
    simply absent: the page then says nothing about it. The workflows check out with ``fetch-depth: 0``."""
    wanted = set(files)
    if not wanted:
        return {}
    try:
        result = subprocess.run(["git", "-c", "core.quotepath=off", "log", "--format=%x00%cs", "--name-only", "--no-renames",
                                 "--", "records"], cwd=root, capture_output=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if result.returncode != 0:
        return {}
    found: dict[str, date] = {}
    current: date | None = None
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("\0"):
            try:
                current = date.fromisoformat(line[1:].strip())
            except ValueError:
                current = None
        elif line and current is not None and line in wanted and line not in found:
            found[line] = current  # newest first: the first time a file appears is its last change
    return found
