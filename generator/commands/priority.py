"""``ipreg priority``: one priority support (Art. 13) added to many records; every record or none, under the lock."""

from __future__ import annotations

import argparse

from generator.commands import Env, context, day_option, refused
from generator.commands.service import apply
from generator.labels import PROGRAMME_ZH, SUPPORT_OUTCOME_ZH
from generator.writing import entries
from generator.writing.decisions import DecideError


def run(args: argparse.Namespace, env: Env) -> int:
    policy, today = context(args, env)
    day = day_option(args.date)
    try:
        request = entries.priority_request(args.programme, args.outcome, day, args.document)
    except DecideError as exc:  # exit 1 like decide's refusals: a request that would write an error writes nothing
        return refused(str(exc), exc.findings)
    entry = request.entry
    what = f"{day} 优先支持：{PROGRAMME_ZH[str(entry['programme'])]}，{SUPPORT_OUTCOME_ZH[str(entry['outcome'])]}"
    return apply(args, request, policy, today, what)
