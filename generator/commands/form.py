"""``ipreg form [-o 申报表.xlsx]``: the applicant's workbook, generated from schemas/enterprise.schema.json."""

from __future__ import annotations

import argparse

from generator.commands import Env, emit
from generator.importing.fields import form_of, load_schema
from generator.importing.formbook import build


def run(args: argparse.Namespace, env: Env) -> int:
    emit(build(form_of(load_schema())), args.output, "xlsx")
    return 0
