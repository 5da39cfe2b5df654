"""``ipreg check``: each file's own results from the content cache or worker processes, in text, JSON or GitHub form."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from generator.checking.reporters import format_github, format_json, format_text, summary_markdown
from generator.commands import Env, context, progress
from generator.inputs import discover
from generator.registry import Registry


def run(args: argparse.Namespace, env: Env) -> int:
    registry = _registry(args, env)
    if args.format == "json":
        print(format_json(registry), end="")
    elif args.format == "github":
        print(format_github(registry, args.verbose), end="")
        summary = env.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(summary_markdown(registry))
    else:
        print(format_text(registry, args.verbose), end="")
    return 1 if registry.errors else 0


def _registry(args: argparse.Namespace, env: Env) -> Registry:
    from generator.checking.cache import check_cached
    from generator.checking.cachestore import cache_dir, private_folder

    policy, today = context(args, env)
    files, notes = discover(args.paths)
    named = _named_records(files, args.paths)
    if named is not None:  # files of records/ named one by one: check them within the whole registry, report only them
        whole, whole_notes = discover(["records"])
        # a file is the same file however it was named (/abs/path/records/X.yaml, ./records/X.yaml, records/X.yaml): it
        # takes the registry's name, so it is never its own duplicate and its findings read records/X.yaml
        inside = _identities(whole)
        named = {inside.get(_same(path), os.path.normpath(display)) for path, display in files}
        files = whole + [(path, display) for path, display in files if _same(path) not in inside]
        notes = whole_notes + notes
    infos = args.format == "json" or args.verbose  # information notes are shown only there
    cache = None if args.no_cache else cache_dir(env, Path.cwd())
    if cache is not None and not private_folder(cache):
        print(f"ipreg：缓存目录 {cache} 不是本用户独占的目录（其他用户可写，或是符号链接），不使用检查缓存；"
              "请把 IPREG_CACHE_DIR 设为自己的目录，或删除这个设置", file=sys.stderr)
        cache = None
    registry = check_cached(files, notes, policy, today, cache, args.jobs, infos, progress(env))
    if named is not None:
        registry = replace(registry, entries=tuple(e for e in registry.entries if os.path.normpath(e.file) in named),
                           findings=tuple(f for f in registry.findings if os.path.normpath(f.file) in named))
    return registry


def _same(path: str) -> str:
    """A file's identity for comparing names: its real path (case folded where the file system ignores case)."""
    return os.path.normcase(os.path.realpath(path))


def _identities(files: Sequence[tuple[str, str]]) -> dict[str, str]:
    """``_same`` of every file of the registry -> its registry name, without resolving each of thousands of paths
    component by component (the pre-commit hook names one file, and waited 0.2 s for 10,000 of these): a file that is
    not a symbolic link is its folder's real path joined with its name; a link is resolved in full."""
    folders: dict[str, str] = {}
    out = {}
    for path, display in files:
        if os.path.islink(path):
            out[_same(path)] = display
            continue
        folder, name = os.path.split(path)
        real = folders.get(folder)
        if real is None:
            real = folders[folder] = os.path.realpath(folder)
        out[os.path.normcase(os.path.join(real, name))] = display
    return out


def _named_records(files: list[tuple[str, str]], paths: Sequence[str]) -> set[str] | None:
    """The named files when ``ipreg check`` was given single files of the records/ folder (as the pre-commit hook does):
    registry-wide rules (duplicate USCCs and certificates, the ranking) then need the whole registry, so a local check
    finds what CI finds. None when a folder was named or no named file lies in records/."""
    if list(paths) == ["records"] or any(Path(p).is_dir() for p in paths) or not Path("records").is_dir():
        return None
    named = {os.path.normpath(display) for _, display in files}
    records = Path("records").resolve()
    if not any(Path(path).resolve().parent == records for path, _ in files):
        return None
    return named
