"""One applicant's workbook: ``ipreg form`` and ``ipreg import --form`` timed (wall, CPU, peak RSS by GNU time) in a
synthetic registry of COUNT records (default 1,000), the import checking the new record within the whole registry.

    .venv/bin/python -m benchmarks.formimport [COUNT]

The target (issue 38): one workbook imported in under 2 s. Measured on the shared 2-core build machine (2026-12-07,
load average 3-4 from other jobs): 16 records: form 0.40 s, import 0.50 s wall (52 MB); 1,000 records: form 0.5 s,
import 2.0-2.6 s wall, 2.0 s CPU, 64 MB (again: 1.95 s). The import checks the whole registry (as ipreg decide does;
in worker processes from a few hundred records on); that, not the workbook (about 0.3 s), grows with the registry.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.run import measure, scratch
from tests.formkit import RECEIVED, TODAY, USCC, fill

CLI = [sys.executable, "-m", "generator"]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        repo = scratch(Path(tmp), count, 0.0)
        (repo / "records" / f"{USCC}.yaml").unlink(missing_ok=True)
        form = measure([*CLI, "form", "-o", "申报表.xlsx"], repo)
        fill(repo / "申报表.xlsx", repo / "filled.xlsx")
        first = measure([*CLI, "import", "--form", "filled.xlsx", "--date", RECEIVED, "--today", TODAY], repo)
        again = measure([*CLI, "import", "--form", "filled.xlsx", "--date", RECEIVED, "--today", TODAY], repo)
        for name, run in (("ipreg form", form), ("ipreg import --form (new record)", first), ("ipreg import --form (again)", again)):
            figures = f"{run.seconds:6.2f} s wall  {run.cpu_s:6.2f} s CPU  {run.peak_mb:6.0f} MB"
            print(f"{name:34} {count:>6} records  {figures}  exit {run.returncode}")


if __name__ == "__main__":
    main()
