"""Summarise a mutmut run (``make mutation``): killed share of all mutants and of the mutants that change
more than a message.

A mutant is a "message" mutant when its function differs from the original only in string constants
(mutmut's "XX...XX" and case changes of Chinese messages): messages are pinned by the case files, but a
mutated word inside an f-string cannot always be told from a figure, so both shares are reported.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

_NAME = re.compile(r"^\s*(?P<name>\S+__mutmut_\d+): (?P<status>.+)$")


def _strip_strings(node: ast.AST) -> str:
    class Blank(ast.NodeTransformer):
        def visit_Constant(self, node: ast.Constant) -> ast.AST:
            return ast.Constant("") if isinstance(node.value, str) else node

    return ast.dump(Blank().visit(node))


def _functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def main() -> int:
    mutmut = str(Path(sys.executable).parent / "mutmut")  # not "python -m mutmut": that starts a run
    results = subprocess.run([mutmut, "results", "--all", "true"], capture_output=True, text=True, check=False, timeout=300).stdout
    rows = [m.groupdict() for m in map(_NAME.match, results.splitlines()) if m]
    cache: dict[Path, dict[str, ast.FunctionDef]] = {}
    counts: Counter[tuple[str, str]] = Counter()
    survivors = []
    for row in rows:
        module, _, func = row["name"].rpartition(".")
        path = Path("mutants") / (module.replace(".", "/") + ".py")
        if path not in cache:
            cache[path] = _functions(path)
        functions = cache[path]
        original = functions.get(func.rsplit("__mutmut_", 1)[0] + "__mutmut_orig")
        mutant = functions.get(func)
        kind = (
            "message"
            if original
            and mutant
            and _strip_strings(original).replace(original.name, "") == _strip_strings(mutant).replace(mutant.name, "")
            else "logic"
        )
        status = row["status"].strip()
        counts[(kind, status)] += 1
        if kind == "logic" and status == "survived":
            survivors.append(row["name"])
    for kind in ("logic", "message"):
        total = sum(v for (k, _), v in counts.items() if k == kind)
        killed = counts[(kind, "killed")]
        print(
            f"{kind}: {killed}/{total} killed ({killed / total:.1%})" if total else f"{kind}: none",
            {s: v for (k, s), v in counts.items() if k == kind},
        )
    print("surviving logic mutants:", *survivors, sep="\n  ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
