"""``ipreg build``: check, build with MkDocs --strict into a fresh folder, then swap it in.

The old site is replaced only when the new one is complete; a failed or interrupted build
leaves it untouched and removes the half-written folder.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from generator.loader import load_file
from generator.policy import PolicyError, load_policy
from generator.registry import Registry, build_registry
from generator.schema import PLACEHOLDER
from generator.site.content import SiteContent, build_content
from generator.template import render_template

PRELOADED: Registry | None = None  # the Registry ``ipreg build`` checked, reused by the hook


class SiteError(Exception):
    """The site could not be built (message in Chinese)."""


def load_registry(root: Path, environ: Mapping[str, str]) -> Registry:
    """For ``mkdocs build/serve`` run directly: records/ and policy.yml next to mkdocs.yml."""
    from generator.cli import UsageError, discover, resolve_today

    try:
        today = resolve_today(None, environ)
        policy = load_policy(root / "policy.yml")
        files, notes = discover([str(root / "records")])
    except (UsageError, PolicyError) as exc:
        raise SiteError(str(exc)) from None
    documents = [load_file(path, Path(display).relative_to(root).as_posix() if Path(display).is_absolute() else display)
                 for path, display in files]
    return build_registry(documents, policy, today, notes)


def site_content(root: Path, registry: Registry, site_url: str) -> SiteContent:
    measures = (root / "texts" / "measures.txt").read_text(encoding="utf-8")
    schema = json.loads((root / "schemas" / "enterprise.schema.json").read_text(encoding="utf-8"))
    content = build_content(registry, measures, schema, site_url)
    content.files["data/record-template.yaml"] = render_template(PLACEHOLDER, PLACEHOLDER).encode("utf-8")
    for name, target in (("enterprise.schema.json", "data/record.schema.json"),
                         ("public-enterprises.schema.json", "data/enterprises.schema.json")):
        content.files[target] = (root / "schemas" / name).read_bytes()
    return content


class _WarningCollector(logging.Handler):
    """Keeps MkDocs' warnings so a strict-mode failure can say what went wrong."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def today_epoch(day: date) -> int:
    """SOURCE_DATE_EPOCH for ``day``: MkDocs then dates the sitemap by the build date, not the clock."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def build_site(config_file: Path, site_dir: Path, registry: Registry) -> None:
    """Build into a temporary sibling of ``site_dir`` and swap it in only on success."""
    global PRELOADED
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    temp = site_dir.parent / f".{site_dir.name}.building-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    epoch = str(today_epoch(registry.today))
    PRELOADED = registry
    warnings = _WarningCollector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    try:
        with _environment({"IPREG_TODAY": registry.today.isoformat(), "SOURCE_DATE_EPOCH": epoch}):
            config = load_config(str(config_file), site_dir=str(temp), strict=True)
            build(config)
        _swap(temp, site_dir)
    except MkDocsException as exc:
        details = "".join(f"\n  {m}" for m in warnings.messages)
        raise SiteError(f"站点生成失败（mkdocs --strict）：{exc}{details}") from None
    finally:
        PRELOADED = None
        logger.removeHandler(warnings)
        shutil.rmtree(temp, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames; the old site survives until the last one."""
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old.exists():
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


