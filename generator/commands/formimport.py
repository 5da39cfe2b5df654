"""``ipreg import --form FILLED.xlsx --date RECEIVED``: the applicant's workbook (not yet built)."""

from __future__ import annotations

import argparse

from generator.commands import Env
from generator.inputs import UsageError


def run(args: argparse.Namespace, env: Env) -> int:
    raise UsageError("ipreg import --form 尚未实现")
