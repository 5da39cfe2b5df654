"""``ipreg diff BASE_REF``: what a change to the records (or to policy.yml) does, compared with another commit."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from generator.commands import Env, context
from generator.inputs import read_registry
from generator.loader import load_bytes, read_bytes
from generator.policy import PolicyError, policy_from_loaded
from generator.registry import build_registry
from generator.staff import changes as changes
from generator.staff import gitsource


def run(args: argparse.Namespace, env: Env) -> int:
    policy, today = context(args, env)
    cwd = Path.cwd()
    commit = gitsource.resolve(args.base, cwd)  # gitsource.GitError: a usage error, exit 2
    before_files = gitsource.records_at(commit, "records", cwd)
    base_policy_raw = gitsource.file_at(commit, "policy.yml", cwd)
    base_policy = policy
    if base_policy_raw is not None:
        with contextlib.suppress(PolicyError):  # an invalid old policy: compare under today's policy
            base_policy = policy_from_loaded(load_bytes(base_policy_raw, f"{args.base}:policy.yml"))
    after_files, notes = read_registry("records")
    before = build_registry(gitsource.load_all(before_files), base_policy, today)
    after = build_registry([load_bytes(data, name) for name, data in after_files.items()], policy, today, notes)
    current_raw = read_bytes(Path(args.policy)) if Path(args.policy).is_file() else None
    result = changes.compare(args.base, before, after, before_files, after_files, base_policy_raw != current_raw)
    formatter = {"markdown": changes.format_markdown, "json": changes.format_json}.get(args.format, changes.format_text)
    print(formatter(result), end="")
    return 0
