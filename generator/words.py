"""Chinese word splitting with jieba, configured once by the program's edge (``configure``): quiet (it logs four
English lines otherwise), its dictionary cache in ipreg's folder of the user's cache rather than a /tmp/jieba.cache
shared by everyone. Two users: Material's search plugin (it imports jieba whenever it is installed and, for mkdocs.yml's
``search: lang: zh``, puts a zero-width space between the words of every page's index text: the site build configures
it here for that, tests/test_outputs.py), and Word titles that break between words (``cut``, docxlayout.title_lines).
Also where a line of Chinese may break in a terminal (``wrap``, ``WideHelpFormatter``: ipreg's help, in display columns)."""

from __future__ import annotations

import argparse
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


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


# Where a line of Chinese may break (the terminal help): not before closing punctuation, not after opening punctuation.
_NO_BREAK_BEFORE = set("、，。；：！？）》」』】〕”’,.;:!?)]}")
_NO_BREAK_AFTER = set("（《「『【〔“‘([{")
_USAGE_PART = re.compile(r"\(.*?\)+(?=\s|$)|\[.*?\]+(?=\s|$)|\S+")  # argparse's own parts of a usage line


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes: an East Asian wide or fullwidth character two, any other one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def chunks(text: str) -> list[tuple[str, str]]:
    """``text`` as (separator, chunk) pairs: a line may break only between chunks. A chunk is a word or code (never
    broken, hyphens and underscores included) or one wide character, with the punctuation that may not be parted from it."""
    pieces: list[tuple[str, str]] = []
    for space, narrow, wide in re.findall(r"(\s+)|([^\s\u1100-\uffff]+)|(\S)", text):
        token = narrow or wide
        if space:
            pieces.append((" ", ""))
        elif pieces and pieces[-1][1] and (token[0] in _NO_BREAK_BEFORE or pieces[-1][1][-1] in _NO_BREAK_AFTER
                                            or columns(token[0]) == 1 and columns(pieces[-1][1][-1]) == 1):
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + token)
        else:
            pieces.append(("" if not pieces or pieces[-1][1] else " ", token))
    return [(sep, chunk) for sep, chunk in pieces if chunk]


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken at spaces, between Chinese characters and after Chinese
    punctuation, never inside a word or code (one longer than ``width`` has a line of its own)."""
    lines: list[str] = []
    line, used = "", 0
    for separator, chunk in chunks(" ".join(text.split())):
        wanted = columns(chunk) + (len(separator) if line else 0)
        if line and used + wanted > width:
            lines.append(line)
            line, used = chunk, columns(chunk)
        else:
            line, used = line + (separator if line else "") + chunk, used + wanted
    return [*lines, line] if line else lines


class WideHelpFormatter(argparse.HelpFormatter):
    """argparse's help measured in terminal columns (a Chinese character takes two) and broken with ``wrap``: codes
    such as pledge_financing stay whole, Chinese breaks between characters, the option column lines up."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:  # the option column's width, in columns rather than characters
            invocations = [self._format_action_invocation(a) for a in [action, *self._iter_indented_subactions(action)]]
            self._action_max_length = max(self._action_max_length, max(map(columns, invocations)) + self._current_indent)

    def _format_action(self, action: argparse.Action) -> str:
        """argparse's layout of one option and its help, with the header's width counted in columns."""
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        header = " " * self._current_indent + self._format_action_invocation(action)
        lines = wrap(self._expand_help(action), help_width) if action.help and action.help.strip() else []
        if lines and columns(header) + 2 <= help_position:
            parts = [header + " " * (help_position - columns(header)) + lines.pop(0) + "\n"]
        else:
            parts = [header + "\n"]
        parts += [" " * help_position + line + "\n" for line in lines]
        parts += [self._format_action(sub) for sub in self._iter_indented_subactions(action)]
        return self._join_parts(parts)

    def _format_usage(self, usage: str | None, actions: Iterable[argparse.Action], groups: Iterable[Any],
                      prefix: str | None) -> str:
        """The usage line wrapped in columns as argparse does: the options after the program's name, then the positionals."""
        if usage is not None or not actions or prefix is None:
            return super()._format_usage(usage, actions, groups, prefix)
        actions, groups = list(actions), list(groups)
        optionals = [a for a in actions if a.option_strings]
        positionals = [a for a in actions if not a.option_strings]
        opt_parts = _USAGE_PART.findall(self._format_actions_usage(optionals, groups))
        pos_parts = _USAGE_PART.findall(self._format_actions_usage(positionals, groups))
        width, head = self._width - self._current_indent, prefix + self._prog
        if columns(" ".join([head, *opt_parts, *pos_parts])) <= width:
            return " ".join([head, *opt_parts, *pos_parts]) + "\n\n"
        if columns(head) <= 0.75 * width:  # the parts after the program's name, the positionals on lines of their own
            indent = " " * (columns(head) + 1)
            lines = _usage_lines(opt_parts or pos_parts, indent, width, head)
            lines += _usage_lines(pos_parts, indent, width) if opt_parts else []
        else:
            lines = [head, *_usage_lines(opt_parts, " " * columns(prefix), width), *_usage_lines(pos_parts, " " * columns(prefix), width)]
        return "\n".join(lines) + "\n\n"


def _usage_lines(parts: list[str], indent: str, width: int, first: str = "") -> list[str]:
    lines = [first] if first else []
    for part in parts:
        if lines and columns(lines[-1] + " " + part) <= width:
            lines[-1] += " " + part
        else:
            lines.append(indent + part)
    return lines
