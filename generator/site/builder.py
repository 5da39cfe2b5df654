"""``ipreg build``: check, build with MkDocs --strict into a fresh folder, then swap it in.

The old site is replaced only when the new one is complete (``sitedir``: only a folder ipreg
built, in one atomic exchange); a failed or interrupted build leaves it untouched and removes the
half-written folder, and a killed one leaves a marked folder that the next build removes.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator import qr
from generator.errors import NothingWritten
from generator.files import SILENT, Progress
from generator.findings import Finding
from generator.loader import StrPath
from generator.policy import PolicyError, PolicyHistory, default_policy, load_policy
from generator.public import PublicEnterprise
from generator.registry import Registry, assemble
from generator.schema import PLACEHOLDER
from generator.site import sitedir
from generator.site.content import LIST_PAGE_SIZE, SiteContent, build_content, site_part
from generator.site.opendata import site_files
from generator.staff.support import SupportEntry
from generator.template import render_template


class SiteError(NothingWritten):
    """The site could not be built (message in Chinese)."""


@dataclass(frozen=True)
class SiteInput:
    """What the site is made of: every file's findings, the published enterprises (by USCC) and their pages."""

    registry: Registry  # findings only: records are dropped once their pages are rendered
    items: list[PublicEnterprise]
    pages: dict[str, str]  # enterprises/<USCC>.md -> Markdown
    secrets: dict[str, str] = field(default_factory=dict)  # what no hand-written page may show -> where it comes from
    support: list[SupportEntry] = field(default_factory=list)  # every record's services and priority support (aggregated only)

    @property
    def listed(self) -> int:
        return sum(e.status.listed for e in self.items)


BUILDING = "正在生成站点页面"


def gather(files: Sequence[tuple[StrPath, str]], policy: PolicyHistory, today: date, notes: Sequence[Finding] = (),
           jobs: int | None = None, progress: Progress = SILENT) -> SiteInput:
    """Check every file and render each published enterprise's page where its record is checked
    (in worker processes for a large registry), keeping only findings, public data and pages."""
    from generator.checking.workers import check_files

    locals_ = check_files(files, policy, today, jobs, derive=site_part, progress=progress)
    registry = assemble(locals_, policy, today, notes)
    parts: list[tuple[PublicEnterprise, str]] = sorted((local.extra[0] for local in locals_ if local.extra and local.extra[0]),
                                                       key=lambda part: part[0].uscc)
    hidden = {needle: where for local in locals_ if local.extra for needle, where in local.extra[1]}
    support = [entry for local in locals_ if local.extra for entry in local.extra[2]]
    return SiteInput(registry, [e for e, _ in parts], {f"enterprises/{e.uscc}.md": page for e, page in parts}, hidden, support)


def load_input(root: Path, environ: Mapping[str, str]) -> SiteInput:
    """For ``mkdocs build/serve`` run directly: records/ and policy.yml next to mkdocs.yml."""
    from generator.inputs import UsageError, discover, resolve_today

    try:
        today = resolve_today(None, environ)
        policy = load_policy(root / "policy.yml")
        files, notes = discover([str(root / "records")])
    except (UsageError, PolicyError) as exc:
        raise SiteError(str(exc)) from None
    files = [(path, Path(display).relative_to(root).as_posix() if Path(display).is_absolute() else display) for path, display in files]
    return gather(files, policy, today, notes)


def site_content(root: Path, site: SiteInput, list_page_size: int = LIST_PAGE_SIZE, extra: Mapping[str, Any] | None = None,
                 site_url: str = "") -> SiteContent:
    from generator.site.history import last_changes

    versions = [(m, _measures_text(root, m.text or "texts/measures.txt")) for m in site.registry.policy.measures]
    measures = versions[-1][1] if versions else _measures_text(root, "texts/measures.txt")
    schema = json.loads((root / "schemas" / "enterprise.schema.json").read_text(encoding="utf-8"))
    changed = last_changes(root, {f"records/{e.uscc}.yaml": e.hidden_since for e in site.items})
    content = build_content(site.items, site.pages, site.registry.today, measures, schema, list_page_size, site.registry.policy,
                            extra=extra or {}, changed=changed, versions=versions, qr_codes=qr.has_address(site_url),
                            support=site.support)
    content.files["data/record-template.yaml"] = render_template(PLACEHOLDER, PLACEHOLDER).encode("utf-8")
    # no /admin/: the form editor is a staff tool (ipreg admin on a clerk's PC, or ipreg admin --export on a staff server)
    content.files.update(published_schemas(root / "schemas", site_url or qr.PLACEHOLDER_SITE))
    return content


def published_schemas(folder: Path, site_url: str) -> dict[str, bytes]:
    """The schemas of the published files, each with the site's own ``$id`` (its address on this site): the record format,
    enterprises.json, each enterprise's enterprise.json (its wrapper around one item of enterprises.json), policy.json,
    verify.json (the verification page's index) and support.json."""
    base = site_url.rstrip("/") + "/"
    record = json.loads((folder / "enterprise.schema.json").read_text(encoding="utf-8"))
    listing = json.loads((folder / "public-enterprises.schema.json").read_text(encoding="utf-8"))
    policy = json.loads((folder / "public-policy.schema.json").read_text(encoding="utf-8"))
    verify = json.loads((folder / "public-verify.schema.json").read_text(encoding="utf-8"))
    support = json.loads((folder / "public-support.schema.json").read_text(encoding="utf-8"))
    policy["properties"]["licence"] = listing["properties"]["licence"]
    support["properties"]["licence"] = listing["properties"]["licence"]
    one = {
        "$schema": listing["$schema"],
        "$id": base + "data/enterprise.schema.json",
        "title": "一家企业的开放数据（enterprises/<统一社会信用代码>/enterprise.json）",
        "description": "企业页面上的数据下载：生成日期、许可和这家企业的公开字段（与 enterprises.json 中的一项相同）。",
        "type": "object",
        "additionalProperties": False,
        "required": ["today", "licence", "enterprise"],
        "properties": {"today": listing["properties"]["today"], "licence": listing["properties"]["licence"],
                       "enterprise": listing["properties"]["enterprises"]["items"]},
    }
    out = {}
    for target, schema in (("data/record.schema.json", record), ("data/enterprises.schema.json", listing),
                           ("data/enterprise.schema.json", one), ("data/policy.schema.json", policy), ("data/verify.schema.json", verify),
                           ("data/support.schema.json", support)):
        schema = {**schema, "$id": base + target}
        out[target] = (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return out


def _measures_text(root: Path, name: str) -> str:
    """The text of one version of the measures (policy.yml ``measures.text``), a file inside the repository."""
    path = root / name
    if Path(name).is_absolute() or ".." in Path(name).parts or not path.is_file():
        raise SiteError(f"policy.yml 的 measures.text 指向 {name}：仓库中没有这个文件（全文应放在 texts/ 中）")
    return path.read_text(encoding="utf-8")


class OpenData:
    """The open data files (OPEN_DATA), made in a forked child process while MkDocs renders the
    pages (the calendar alone takes seconds for a large registry); made here and now when not
    ``background`` (``mkdocs serve`` runs threads, which do not mix with fork) or where fork is not
    available. ``result()`` waits for them; ``stop()`` ends the child if still running."""

    def __init__(self, items: list[PublicEnterprise], today: date, site_url: str, background: bool = True,
                 licence: Mapping[str, str] | None = None, issuer: str = "", synonyms: Sequence[Sequence[str]] = ()) -> None:
        issuer = issuer or default_policy().on(today).issuer
        self._ready: dict[str, bytes] | None = None
        self._process: Any = None
        if not background or sys.platform != "linux":
            self._ready = site_files(items, today, site_url, licence, issuer, synonyms)
            return
        import multiprocessing

        context = multiprocessing.get_context("fork")  # the child inherits the items: nothing is pickled on the way in
        self._conn, child = context.Pipe(duplex=False)
        self._process = context.Process(target=_open_data_child, args=(child, items, today, site_url, licence, issuer, synonyms),
                                             daemon=True)
        self._process.start()
        child.close()

    def result(self) -> dict[str, bytes]:
        """The files (path -> bytes)."""
        if self._ready is None:
            try:
                outcome, payload = self._conn.recv()
            except (EOFError, OSError):
                outcome, payload = "error", "子进程意外退出"
            finally:
                self.stop()
            if outcome != "ok":
                raise SiteError(f"开放数据文件生成失败：{payload}")
            self._ready = payload
        return self._ready

    def stop(self) -> None:
        if self._process is not None:
            self._conn.close()
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None


def _open_data_child(conn: Any, items: list[PublicEnterprise], today: date, site_url: str, licence: Mapping[str, str] | None,
                     issuer: str, synonyms: Sequence[Sequence[str]]) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # stop() ends the child at once; the parent's handler is for the parent
    try:
        conn.send(("ok", site_files(items, today, site_url, licence, issuer, synonyms)))
    except BaseException as exc:  # noqa: BLE001 - reported by the parent, in Chinese, as a failed build
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class _WarningCollector(logging.Handler):
    """Keeps MkDocs' warnings so a strict-mode failure can say what went wrong."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(config_file: Path, site_dir: Path, site: SiteInput, progress: Progress = SILENT) -> None:
    """Build into a marked temporary sibling of ``site_dir`` and swap it in only on success; ``progress`` counts the
    pages MkDocs writes (the plugin's ``on_post_page``).

    ``site_dir`` must have passed ``sitedir.check_target`` (the CLI does it before checking records)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site_dir = Path(os.path.abspath(site_dir))
    try:
        temp = sitedir.temp_for(site_dir)
    except OSError as exc:
        raise SiteError(f"无法在 {site_dir.parent} 中建立临时目录（{exc.strerror or exc}）：请检查目录权限，或换一个 --site-dir") from None
    warnings = _WarningCollector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    try:
        config = load_config(str(config_file), site_dir=str(temp), strict=True)
        plugin = config.plugins.get("ipreg")
        if plugin is None:
            raise SiteError("mkdocs.yml 的 plugins 中没有 ipreg：站点页面由它生成，请按仓库中的 mkdocs.yml 配置")
        plugin.preloaded = site  # what was checked, and the day: pages and sitemap.xml are dated by it, not by the clock
        with progress.stage(BUILDING, None) as plugin.advance:
            build(config)
        sitedir.swap(temp, site_dir)
    except MkDocsException as exc:
        details = "".join(f"\n  {m}" for m in warnings.messages)
        raise SiteError(f"站点生成失败（mkdocs --strict）：{exc}{details}") from None
    finally:
        logger.removeHandler(warnings)
        shutil.rmtree(temp, ignore_errors=True)
