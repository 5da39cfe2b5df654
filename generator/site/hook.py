"""MkDocs hook (listed in mkdocs.yml): asks generator.site.content for pages and data files.

Thin on purpose: it resolves ``today`` and the paths once, takes over what ``ipreg build``
already checked when there is one, and turns the generated content into MkDocs files. The open
data files are made on the side (``OpenData``) while MkDocs renders the pages, and filled in just
before MkDocs copies the static files. Hand-written pages in docs/ get generated blocks where
they write ``<!-- ipreg:NAME -->``.
"""

from __future__ import annotations

import gc
import os
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from generator.rules import ARTICLE_ANCHORS, CATALOGUE
from generator.site import build as site_build
from generator.site.content import LIST_PAGE_SIZE
from generator.site.exports import OPEN_DATA
from generator.site.privacy import find

_MARKER = re.compile(r"<!--\s*ipreg:([a-z-]+)\s*-->")
HAND_WRITTEN = frozenset({"contributing"})  # fragments that are hand-written text, searched like the pages
_SNIPPET = re.compile(r"^[ \t]*-{1,}8<-{1,}", re.MULTILINE)  # pymdownx.snippets' include syntax
_RULE_CODE = re.compile(r"(?<![`\[])`(" + "|".join(re.escape(r) for r in CATALOGUE) + r")`(?!`)")
_state: dict[str, Any] = {}


def on_config(config: Any) -> Any:
    _stop()
    _quiet_jieba(os.environ)
    root = Path(config.config_file_path).resolve().parent
    preloaded = site_build.take_preloaded()
    try:
        site = preloaded or site_build.load_input(root, os.environ)
        if site.registry.errors:
            raise PluginError(f"记录有 {site.registry.errors} 个错误，站点未生成：请先运行 ipreg check 并修改")
        _state["content"] = site_build.site_content(root, site, _list_page_size(config))
        _state["secrets"] = site.secrets
        config.extra["ipreg_data_date"] = site.registry.today.isoformat()  # shown on every page (overrides/main.html)
        _state["data"] = site_build.OpenData(site.items, site.registry.today, config.site_url or "", background=preloaded is not None)
    except site_build.SiteError as exc:
        raise PluginError(str(exc)) from None
    if preloaded is not None:  # a one-off ``ipreg build``: what exists now lives to the end, keep it out of MkDocs' collections
        gc.collect()
        gc.freeze()
    return config


def _quiet_jieba(environ: Any) -> None:
    """jieba (the search plugin's Chinese word splitter) keeps its dictionary cache in ipreg's folder of the user's
    cache, not a /tmp/jieba.cache shared by everyone, and prints nothing (it logs four English lines per build)."""
    try:
        import jieba  # type: ignore[import-untyped]
    except ImportError:
        return
    import logging

    from generator.checkcache import user_cache

    jieba.setLogLevel(logging.WARNING)
    folder = Path(environ.get("IPREG_CACHE_DIR") or user_cache(environ)) / "jieba"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = str(folder)
    except OSError:
        pass  # no writable cache folder: jieba builds its dictionary in memory each time


def _list_page_size(config: Any) -> int:
    """``extra.ipreg_list_page_size`` in mkdocs.yml: rows per page of the public list."""
    value = (config.extra or {}).get("ipreg_list_page_size", LIST_PAGE_SIZE)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PluginError(f"mkdocs.yml 中 extra.ipreg_list_page_size 应为正整数（名单每页行数），现在是 {value!r}")
    return value


def on_files(files: Files, config: Any) -> Files:
    content = _state["content"]
    for path, text in sorted(content.pages.items()):
        files.append(File.generated(config, path, content=text))
    for path, data in sorted(content.files.items()):
        files.append(File.generated(config, path, content=data))
    for path in OPEN_DATA:
        files.append(File.generated(config, path, content=b""))  # filled in by on_env
    return files


def on_env(env: Any, config: Any, files: Files) -> Any:
    try:
        data = _state["data"].result()
    except site_build.SiteError as exc:
        raise PluginError(str(exc)) from None
    for path, payload in data.items():
        file = files.get_file_from_path(path)
        assert file is not None
        file.content_bytes = payload
    return env


def on_build_error(error: Exception) -> None:
    _stop()


def on_shutdown() -> None:
    _stop()


def _stop() -> None:
    data = _state.pop("data", None)
    if data is not None:
        data.stop()


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if page.file.generated_by is not None:
        return markdown  # generated pages link their rule ids themselves and have no blocks to fill
    fragments: dict[str, str] = _state["content"].fragments
    if _SNIPPET.search(markdown):
        raise PluginError(f"{page.file.src_uri}：含有文件包含语法“--8<--”。本站不允许页面包含其他文件（它可能把记录中的非公开信息发布出去）；"
                          "需要的内容请直接写在页面中，或由程序以 <!-- ipreg:名称 --> 生成")

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            raise PluginError(f"{page.file.src_uri}：未知的生成区块 ipreg:{name}")
        return fragments[name]

    hand_written = markdown + "".join(fragments[n] for n in _MARKER.findall(markdown) if n in HAND_WRITTEN)
    leaks = find(hand_written, _state["secrets"])
    if leaks:
        where = "；".join(f"“{needle}”（{origin}）" for needle, origin in leaks[:5])
        raise PluginError(f"{page.file.src_uri}：手写页面含有记录中的非公开信息或申报中的企业，站点未生成：{where}。"
                          "公开站点只能显示公开字段（见开放数据页），请从页面中删除这些内容")

    return link_rule_ids(_MARKER.sub(fill, markdown), page.file.src_uri)


def link_rule_ids(markdown: str, src_uri: str) -> str:
    """Every rule id written as `code` in a hand-written page becomes a link to its article."""
    policy = "../" * src_uri.count("/") + "policy.md"

    def link(match: re.Match[str]) -> str:
        anchor = ARTICLE_ANCHORS.get(CATALOGUE[match.group(1)].article or "")
        return f"[`{match.group(1)}`]({policy}#{anchor})" if anchor else match.group(0)

    return _RULE_CODE.sub(link, markdown)
