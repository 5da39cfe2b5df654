"""``ipreg import``: a list of enterprises (not yet here) or, with ``--form``, an applicant's filled workbook."""

from __future__ import annotations

import argparse

from generator.commands import Env
from generator.inputs import UsageError


def run(args: argparse.Namespace, env: Env) -> int:
    if args.form:
        from generator.commands import formimport

        return formimport.run(args, env)
    raise UsageError("ipreg import 名单 尚未实现")
