"""Files ipreg writes get the mode any new file gets, the umask respected (issue 37: generated documents were 0600, so
colleagues could not open them on a shared folder)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.files import replace_own, write_new


@pytest.fixture(params=[0o022, 0o077, 0o002])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_new_files_get_0666_less_the_umask(tmp_path: Path, umask: int) -> None:
    write_new(tmp_path / "通知.docx", b"docx")
    replace_own(tmp_path / "index.json", b"{}")
    replace_own(tmp_path / "index.json", b"{}")  # replaced: the new file's mode again
    expected = 0o666 & ~umask
    assert {p.name: _mode(p) for p in tmp_path.iterdir()} == {"通知.docx": expected, "index.json": expected}
    assert (0o644 if umask == 0o022 else expected) == expected  # 0644 under the usual umask
