"""Read the records and policy of another commit through git (for ``ipreg diff``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.errors import ConfigurationError
from generator.loader import Loaded, load_bytes


class GitError(ConfigurationError):
    """git could not answer (not a repository, unknown ref): a usage error."""


def _git(args: list[str | bytes], cwd: Path) -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"无法运行 git：{exc}") from None
    if result.returncode != 0:
        raise GitError(result.stderr.decode("utf-8", "replace").strip() or f"git {args[0]!s} 失败")
    return result.stdout


def resolve(ref: str, cwd: Path) -> str:
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd).decode().strip()
    except GitError:
        raise GitError(f"找不到提交 {ref}：请给出分支名、标签或提交号（如 origin/main）") from None


def records_at(commit: str, folder: str, cwd: Path) -> dict[str, bytes]:
    """path -> bytes of every record file (``*.yaml``) directly in ``folder`` at ``commit``.

    Names are read as bytes: one that is not UTF-8 is shown with U+FFFD and still read by its bytes."""
    listing = _git(["ls-tree", "-z", "--name-only", f"{commit}:{folder}"], cwd) if _exists(commit, folder, cwd) else b""
    out: dict[str, bytes] = {}
    for name in sorted(n for n in listing.split(b"\0") if n):
        if name.endswith(b".yaml") and not name.startswith(b"."):
            shown = f"{folder}/{name.decode('utf-8', 'replace')}"
            out[shown] = _git(["show", f"{commit}:{folder}/".encode() + name], cwd)
    return out


def file_at(commit: str, path: str, cwd: Path) -> bytes | None:
    return _git(["show", f"{commit}:{path}"], cwd) if _exists(commit, path, cwd) else None


def _exists(commit: str, path: str, cwd: Path) -> bool:
    try:
        _git(["cat-file", "-e", f"{commit}:{path}"], cwd)
        return True
    except GitError:
        return False


def load_all(files: dict[str, bytes]) -> list[Loaded]:
    return [load_bytes(data, path) for path, data in sorted(files.items())]
