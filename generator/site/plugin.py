"""The MkDocs plugin ``ipreg`` (mkdocs.yml ``plugins: - ipreg``): asks generator.site.content for pages and data files.

A ``BasePlugin`` with a typed config (as mkdocs-redirects and Material's blog plugin are): each build's state lives on
the plugin instance, never in module globals. ``ipreg build`` hands over what it already checked by setting
``preloaded`` on the instance before building; ``mkdocs build/serve`` run directly check records/ themselves. The open
data files are made on the side (``OpenData``) while MkDocs renders the pages, and filled in just before MkDocs copies
the static files. Hand-written pages in docs/ get generated blocks where they write ``<!-- ipreg:NAME -->``. After the
search plugin has written its index, enterprise pages are taken out of it: they have their own sharded index
(``generator.site.search``), which the search worker fetches a few kilobytes at a time.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator import words
from generator.qr import has_address
from generator.rules import ARTICLE_ANCHORS, CATALOGUE
from generator.rules.eligibility import RULES
from generator.site import builder as site_build
from generator.site.compress import precompress
from generator.site.content import LIST_PAGE_SIZE, SiteContent
from generator.site.notfound import relocatable
from generator.site.opendata import site_file_names
from generator.site.privacy import find
from generator.site.search import SYNONYMS, read_synonyms
from generator.site.typography import join_lines, keep_tokens_whole

_MARKER = re.compile(r"<!--\s*ipreg:([a-z-]+)\s*-->")
_SNIPPET = re.compile(r"^[ \t]*-{1,}8<-{1,}", re.MULTILINE)  # pymdownx.snippets' include syntax
_RULE_CODE = re.compile(r"(?<![`\[])`(" + "|".join(re.escape(r.id) for r in RULES) + r")`(?!`)")


class _PositiveInt(base.BaseConfigOption[int]):
    def __init__(self, default: int) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise base.ValidationError(f"ipreg 插件的 list_page_size 应为正整数（名单每页行数），现在是 {value!r}")
        return value


class IpregConfig(base.Config):  # type: ignore[no-untyped-call]
    list_page_size = _PositiveInt(default=LIST_PAGE_SIZE)


def _nothing(count: int) -> None:
    del count


class IpregPlugin(BasePlugin[IpregConfig]):  # type: ignore[no-untyped-call]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.preloaded: site_build.SiteInput | None = None  # set by ``ipreg build`` before it builds
        self.content: SiteContent | None = None
        self.secrets: dict[str, str] = {}
        self.data: site_build.OpenData | None = None
        self.file_names: list[str] = []
        self.build_day: date | None = None  # ``ipreg build``: the day it builds for dates MkDocs' pages (sitemap.xml)
        self._frozen = False
        self.advance: Callable[[int], None] = _nothing  # ``ipreg build``'s progress: one more page written

    def on_config(self, config: Any) -> Any:
        self._stop()
        environ = dict(os.environ)  # MkDocs' edge reads the environment here, once, and passes it down
        words.configure(environ)
        root = Path(config.config_file_path).resolve().parent
        preloaded, self.preloaded = self.preloaded, None
        self.build_day = preloaded.registry.today if preloaded is not None else None
        if not has_address(config.site_url):
            print(f"ipreg：未设置站点地址（IPREG_SITE_URL 或 mkdocs.yml 的 site_url，现在是 {config.site_url or '空'}），"
                  "站点内的链接都是相对地址，照常可用；企业页不放“本页二维码”（它会指向不存在的地址），"
                  "日历、订阅和 sitemap 中的绝对地址用的是占位地址，部署在子路径下时 404 页面要靠 JavaScript 找到样式。"
                  "发布前请设置 IPREG_SITE_URL=https://实际地址/", file=sys.stderr)
        try:
            site = preloaded or site_build.load_input(root, environ)
            if site.registry.errors:
                raise PluginError(f"记录有 {site.registry.errors} 个错误，站点未生成：请先运行 ipreg check 并修改")
            self.content = site_build.site_content(root, site, self.config.list_page_size, config.extra, config.site_url or "")
            self.secrets = site.secrets
            self.file_names = site_file_names(site.items, config.site_url or "")
            synonyms = read_synonyms(root / SYNONYMS)
            self.data = site_build.OpenData(site.items, site.registry.today, config.site_url or "", background=preloaded is not None,
                                            licence=config.extra.get("ipreg_licence"),
                                            issuer=site.registry.policy.on(site.registry.today).issuer, synonyms=synonyms)
        except site_build.SiteError as exc:
            raise PluginError(str(exc)) from None
        except ValueError as exc:  # the synonyms file
            raise PluginError(f"{SYNONYMS}：{exc}") from None
        config.extra["ipreg_data_date"] = site.registry.today.isoformat()  # shown on every page (overrides/main.html)
        if preloaded is not None:  # a one-off ``ipreg build``: what exists now lives to the end, keep it out of MkDocs' collections
            gc.collect()
            gc.freeze()
            self._frozen = True
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        assert self.content is not None
        for path, text in sorted(self.content.pages.items()):
            files.append(File.generated(config, path, content=text))
        for path, data in sorted(self.content.files.items()):
            files.append(File.generated(config, path, content=data))
        for path in self.file_names:
            files.append(File.generated(config, path, content=b""))  # filled in by on_env
        return files

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        assert self.data is not None
        try:
            data = self.data.result()
        except site_build.SiteError as exc:
            raise PluginError(str(exc)) from None
        for path, payload in data.items():
            file = files.get_file_from_path(path)
            assert file is not None
            file.content_bytes = payload
        return env

    def on_pre_page(self, page: Any, config: Any, files: Files) -> Any:
        if self.build_day is not None:  # not the clock (MkDocs reads SOURCE_DATE_EPOCH; ipreg sets no environment)
            page.update_date = self.build_day.isoformat()
        return page

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        if page.file.generated_by is not None:
            return join_lines(markdown)  # generated pages link their rule ids themselves and have no blocks to fill
        assert self.content is not None
        fragments = self.content.fragments
        if _SNIPPET.search(markdown):
            raise PluginError(
                f"{page.file.src_uri}：含有文件包含语法“--8<--”。本站不允许页面包含其他文件（它可能把记录中的非公开信息发布出去）；"
                "需要的内容请直接写在页面中，或由程序以 <!-- ipreg:名称 --> 生成"
            )

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in fragments:
                raise PluginError(f"{page.file.src_uri}：未知的生成区块 ipreg:{name}")
            return fragments[name]

        leaks = find(markdown, self.secrets)  # the page's own text; generated fragments show public fields only
        if leaks:
            where = "；".join(f"“{needle}”（{origin}）" for needle, origin in leaks[:5])
            raise PluginError(
                f"{page.file.src_uri}：手写页面含有记录中的非公开信息或申报中的企业，站点未生成：{where}。"
                "公开站点只能显示公开字段（见开放数据页），请从页面中删除这些内容"
            )
        return join_lines(link_rule_ids(_MARKER.sub(fill, markdown), page.file.src_uri))

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        self.advance(1)
        return _zh_cn(keep_tokens_whole(output))

    def on_post_template(self, output_content: str, template_name: str, config: Any) -> str:
        if template_name == "404.html" and not has_address(config.site_url) and self.content is not None:
            docs = Path(config.docs_dir)
            sections = {path.split("/")[0].removesuffix(".md") for path in self.content.pages}
            sections |= {p.stem if p.is_file() else p.name for p in docs.iterdir()} | {"assets", "data", "search"}
            output_content = relocatable(output_content, sections - {"index"})
        return _zh_cn(output_content)  # 404.html and sitemap.xml are rendered from templates, not pages

    def on_post_build(self, config: Any) -> None:
        from generator.site.search import strip_enterprises

        strip_enterprises(Path(config.site_dir) / "search" / "search_index.json")
        precompress(Path(config.site_dir))  # last: every file is final
        self._stop()

    def on_build_error(self, error: Exception) -> None:
        self._stop()

    def on_shutdown(self) -> None:
        self._stop()

    def _stop(self) -> None:
        if self.data is not None:
            self.data.stop()
            self.data = None
        if self._frozen:
            gc.unfreeze()
            self._frozen = False


def _zh_cn(html: str) -> str:
    """Material writes ``<html lang="zh">`` for ``language: zh``; a page in simplified Chinese for the mainland says
    zh-CN (screen readers and government site checks read it)."""
    return html.replace('<html lang="zh" ', '<html lang="zh-CN" ', 1)


def link_rule_ids(markdown: str, src_uri: str) -> str:
    """Every rule id written as `code` in a hand-written page becomes a link to its article."""
    policy = "../" * src_uri.count("/") + "policy.md"

    def link(match: re.Match[str]) -> str:
        anchor = ARTICLE_ANCHORS.get(CATALOGUE[match.group(1)].article or "")
        return f"[`{match.group(1)}`]({policy}#{anchor})" if anchor else match.group(0)

    return _RULE_CODE.sub(link, markdown)
