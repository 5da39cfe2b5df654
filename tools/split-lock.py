"""Split the frozen, hashed lock into the runtime lock (what `make install` needs: the package and its dependencies,
on every platform: environment markers are kept, so Windows-only packages such as colorama stay in) and the
development lock (tests, linters, browsers' driver). Run by `make lock` inside the venv the lock was frozen from.

usage: python tools/split-lock.py ALL.lock RUNTIME.lock DEV.lock
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def blocks(text: str) -> dict[str, str]:
    """Package name -> its block (the pin line and its hash lines)."""
    out: dict[str, str] = {}
    current = None
    for line in text.splitlines(keepends=True):
        match = re.match(r"^([A-Za-z0-9._-]+)==", line)
        if match:
            current = canonicalize_name(match.group(1))
            out[current] = line
        elif current and line.startswith((" ", "\t")):
            out[current] += line
        else:
            current = None
    return out


def runtime_closure(project: str, locked: set[str]) -> set[str]:
    todo, seen = [canonicalize_name(project)], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for spec in metadata.requires(name) or []:
            req = Requirement(spec)
            if req.marker is not None and "extra" in str(req.marker):
                continue  # optional extras (the project's own "test" extra among them)
            dep = canonicalize_name(req.name)
            if dep in locked:
                todo.append(dep)
    return (seen - {canonicalize_name(project)}) | ({"setuptools", "wheel"} & locked)  # what builds an sdist offline (jieba)


def main() -> int:
    source, runtime_path, dev_path = map(Path, sys.argv[1:4])
    text = source.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True)[:2] if line.startswith("#"))
    pins = blocks(text)
    runtime = runtime_closure("xiping-ipreg", set(pins))
    runtime_path.write_text(header + "".join(pins[n] for n in sorted(pins) if n in runtime), encoding="utf-8")
    dev_path.write_text("# 开发和测试用的依赖（在 requirements.lock 之外）：make test 与 requirements.lock 一起按哈希安装。\n"
                        + "".join(pins[n] for n in sorted(pins) if n not in runtime), encoding="utf-8")
    print(f"runtime {len(runtime)} packages, development {len(pins) - len(runtime)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
