"""Chinese word splitting with jieba, configured once by the program's edge (``configure``): quiet (it logs four
English lines otherwise), its dictionary cache in ipreg's folder of the user's cache rather than a /tmp/jieba.cache
shared by everyone. Two users: Material's search plugin (it imports jieba whenever it is installed and, for mkdocs.yml's
``search: lang: zh``, puts a zero-width space between the words of every page's index text: the site build configures
it here for that, tests/test_outputs.py), and Word titles that break between words (``cut``, docxlayout.title_lines)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path


def configure(environ: Mapping[str, str]) -> None:
    try:
        import jieba  # type: ignore[import-untyped]
    except ImportError:
        return
    from generator.files import user_cache

    jieba.setLogLevel(logging.WARNING)
    folder = Path(environ.get("IPREG_CACHE_DIR") or user_cache(environ)) / "jieba"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = str(folder)
    except OSError:
        pass  # no writable cache folder: jieba builds its dictionary in memory each time


def cut(text: str) -> list[str]:
    """The words of ``text`` (jieba's precise mode, no new-word guessing)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return list(jieba.cut(text, HMM=False))
