"""The secret that signs the write journal's manifest (``journal``): a journal is replayed only when its manifest was
signed on this machine, for this registry folder.

The key is 32 random bytes made on first use, in a place a checkout, a pull or an archive of the records never
carries: the repository's git directory (``.git/ipreg-journal.key``; in a worktree, ``.git`` is a file naming its own
git directory), else this user's own configuration folder (``~/.config/ipreg/``, ``%USERPROFILE%\\AppData\\Roaming\\ipreg``
on Windows) when there is no git directory or it cannot be written. It is created exclusively and never read or
written through a symbolic link (``files.create_exclusive``, ``files.open_own``); a manifest verifies with any key
found in those places, so one made while ``.git`` was read-only still verifies later.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from generator.files import create_exclusive, open_own

KEY_NAME = "ipreg-journal.key"
_SIZE = 32
_DOMAIN = b"ipreg-journal 1\0"


def git_dir(home: Path) -> Path | None:
    """The git directory of the repository that holds ``home`` (the folder beside ``records/``), or None."""
    for folder in (home, *home.parents):
        dot = folder / ".git"
        try:
            info = os.lstat(dot)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            return dot
        if stat.S_ISREG(info.st_mode) and info.st_size < 4096:  # a worktree or submodule: "gitdir: <path>"
            with contextlib.suppress(OSError, UnicodeDecodeError):
                line = dot.read_text(encoding="utf-8").strip()
                if line.startswith("gitdir:"):
                    path = Path(line.removeprefix("gitdir:").strip())
                    return path if path.is_absolute() else folder / path
        return None  # a symbolic link or something else named .git: not a place for the key
    return None


def user_folder() -> Path:
    """This user's ipreg configuration folder (the fallback when the registry has no usable git directory)."""
    if sys.platform == "win32":
        return Path.home() / "AppData" / "Roaming" / "ipreg"
    return Path.home() / ".config" / "ipreg"


def _private(folder: Path, create: bool) -> bool:
    """Whether ``folder`` (made if ``create``, only its owner may enter it) is a real folder of this user that nobody else
    can write: a key someone else could plant there would sign their journal."""
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if sys.platform == "win32":
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _places(home: Path, create: bool) -> Iterator[Path]:
    """The git directory, then the user's folder (made only when ``create`` and only when reached)."""
    found = git_dir(home)
    if found is not None:
        yield found
    if _private(user_folder(), create):
        yield user_folder()


def _read(folder: Path) -> bytes | None:
    try:
        fd = open_own(folder / KEY_NAME)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None
        secret = handle.read(_SIZE + 1)
    return secret if len(secret) == _SIZE else None


def _make(folder: Path) -> bytes | None:
    """A new key in ``folder``, in one step (written beside it, then hard-linked to its name: never half a key); the
    key another run made first if there is one; None when the folder cannot hold one."""
    path = folder / KEY_NAME
    temp = folder / f".{KEY_NAME}.{secrets.token_hex(8)}.tmp"
    secret = secrets.token_bytes(_SIZE)
    try:
        with os.fdopen(create_exclusive(temp, 0o600), "wb") as handle:
            handle.write(secret)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temp, path)
    except FileExistsError:
        return _read(folder)
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    return secret


def signing_key(home: Path) -> bytes | None:
    """The key a new journal is signed with (made on first use); None when no place can hold one."""
    for folder in _places(home, create=True):
        secret = _read(folder) or _make(folder)
        if secret is not None:
            return secret
    return None


def known_keys(home: Path) -> list[bytes]:
    """Every key a journal of this registry may have been signed with (none is made here)."""
    return [k for k in (_read(folder) for folder in _places(home, create=False)) if k is not None]


def sign(secret: bytes, home: Path, body: bytes) -> str:
    """The manifest's signature: bound to this registry folder (its real path), so a journal moved elsewhere fails."""
    where = os.fsencode(os.path.realpath(home))
    return hmac.new(secret, _DOMAIN + where + b"\0" + body, hashlib.sha256).hexdigest()


def verify(home: Path, body: bytes, signature: object) -> bool:
    if not isinstance(signature, str):
        return False
    return any(hmac.compare_digest(sign(k, home, body), signature) for k in known_keys(home))
