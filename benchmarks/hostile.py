"""How long hostile input takes (the budgets the unit tests used to assert; wall-clock limits live here, not in tests).

usage: .venv/bin/python -m benchmarks.hostile      prints each case's seconds; exit 1 when one is over its budget
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from generator.checking.reporters import format_json, format_text
from generator.loader import load_text
from generator.policy import default_policy
from generator.registry import build_registry
from tests.helpers import CASES, case_today, load_case


def _cases() -> list[tuple[str, float, Callable[[], object]]]:
    out: list[tuple[str, float, Callable[[], object]]] = []
    for case in sorted(p for p in (CASES / "hostile").iterdir() if p.suffix == ".yaml" or p.is_dir()):
        files = sorted(case.glob("*.yaml")) if case.is_dir() else [case]

        def run(case: object = case, files: list[object] = files) -> object:  # type: ignore[assignment]
            registry = build_registry(load_case(case), default_policy(), case_today(files[0]))  # type: ignore[arg-type]
            return format_text(registry) + format_json(registry)

        out.append((f"hostile/{case.name}", 1.0, run))
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    out.append(("alias bomb", 2.0, lambda: load_text("\n".join(bomb) + "\n", "bomb.yaml")))
    many = "a:\n" + "".join(f"  - {i}\n" for i in range(50_000))
    out.append(("50,000 list items", 5.0, lambda: load_text(many, "many.yaml")))
    return out


def main() -> int:
    over = 0
    for name, budget, run in _cases():
        start = time.perf_counter()
        run()
        seconds = time.perf_counter() - start
        flag = "" if seconds < budget else f"  over the {budget} s budget"
        over += bool(flag)
        print(f"{seconds:7.3f} s  {name}{flag}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
