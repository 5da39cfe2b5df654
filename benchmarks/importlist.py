"""Benchmark: ``ipreg import`` of a list of N rows (design section 11: 10,000 rows in under 30 s and 500 MB).

    .venv/bin/python -m benchmarks.importlist --rows 10000

A synthetic list (title rows, then one row per enterprise with clerk-typed cells: text dates, [] in 文号, lower-case
codes) is imported into an empty registry in a scratch copy of the repository, once as ``--dry-run`` and once for
real, each a whole process measured by GNU time (wall seconds, peak resident MB); then ``ipreg check`` of the result.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from benchmarks.run import BIN, ROOT, TODAY, measure
from generator.ids import org_code_check, uscc_final_check


def _uscc(index: int) -> str:
    body = f"MB{index:06d}"
    first = "91411721" + body + org_code_check(body)
    return first + uscc_final_check(first)


def write_list(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("名单")
    sheet.append(["西平县知识产权强企备案名单"])
    sheet.append([])
    sheet.append(["序号", "企业名称", "统一社会信用代码", "类别", "备案日期", "文号", "证书编号"])
    for i in range(rows):
        year = 2023 + i % 3
        code = _uscc(i)
        sheet.append([i + 1, f"西平县基准{i}有限公司", code.lower() if i % 5 == 0 else code, "优势企业" if i % 3 else "储备企业",
                      datetime(year, 3, 5) if i % 2 else f"{year}.3.5", f"西市监[{year}]{i % 3 + 1}号",
                      f"西知强企证〔{year}〕{i + 1:05d}号"])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="ipreg-import-"))
    try:
        repo = base / "repo"
        (repo / "records").mkdir(parents=True)
        shutil.copy(ROOT / "policy.yml", repo / "policy.yml")
        for name in ("schemas", "generator"):
            (repo / name).symlink_to(ROOT / name)
        listed = base / "名单.xlsx"
        write_list(listed, args.rows)
        python = str(BIN / "python")
        dry = measure([python, "-m", "generator", "import", str(listed), "--today", TODAY, "--dry-run"], repo)
        real = measure([python, "-m", "generator", "import", str(listed), "--today", TODAY], repo)
        check = measure([python, "-m", "generator", "check", "--today", TODAY], repo)
        written = len(list((repo / "records").glob("*.yaml")))
        print(json.dumps({"rows": args.rows, "records_written": written,
                          "dry_run": {"s": round(dry.seconds, 2), "mb": round(dry.peak_mb), "exit": dry.returncode},
                          "import": {"s": round(real.seconds, 2), "mb": round(real.peak_mb), "exit": real.returncode},
                          "check": {"s": round(check.seconds, 2), "mb": round(check.peak_mb), "exit": check.returncode}},
                         ensure_ascii=False))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
