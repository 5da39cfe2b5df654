"""MkDocs hook (listed in mkdocs.yml): asks generator.site.content for pages and data files.

Thin on purpose: it resolves ``today`` and the paths once, reuses the Registry that
``ipreg build`` already checked when there is one, and turns the generated content into MkDocs
files. Hand-written pages in docs/ get generated blocks where they write ``<!-- ipreg:NAME -->``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from generator.rules import ARTICLE_ANCHORS, CATALOGUE
from generator.site import build as site_build
from generator.site.content import SiteContent

_MARKER = re.compile(r"<!--\s*ipreg:([a-z-]+)\s*-->")
_RULE_CODE = re.compile(r"(?<![`\[])`(" + "|".join(re.escape(r) for r in CATALOGUE) + r")`(?!`)")
_state: dict[str, SiteContent] = {}


def on_config(config: Any) -> Any:
    root = Path(config.config_file_path).resolve().parent
    try:
        registry = site_build.PRELOADED or site_build.load_registry(root, os.environ)
    except site_build.SiteError as exc:
        raise PluginError(str(exc)) from None
    if registry.errors:
        raise PluginError(f"记录有 {registry.errors} 个错误，站点未生成：请先运行 ipreg check 并修改")
    _state["content"] = site_build.site_content(root, registry, config.site_url or "")
    return config


def on_files(files: Files, config: Any) -> Files:
    content = _state["content"]
    for path, text in sorted(content.pages.items()):
        files.append(File.generated(config, path, content=text))
    for path, data in sorted(content.files.items()):
        files.append(File.generated(config, path, content=data))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    fragments = _state["content"].fragments

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            raise PluginError(f"{page.file.src_uri}：未知的生成区块 ipreg:{name}")
        return fragments[name]

    return link_rule_ids(_MARKER.sub(fill, markdown), page.file.src_uri)


def link_rule_ids(markdown: str, src_uri: str) -> str:
    """Every rule id written as `code` in a hand-written page becomes a link to its article."""
    policy = "../" * src_uri.count("/") + "policy.md"

    def link(match: re.Match[str]) -> str:
        anchor = ARTICLE_ANCHORS.get(CATALOGUE[match.group(1)].article or "")
        return f"[`{match.group(1)}`]({policy}#{anchor})" if anchor else match.group(0)

    return _RULE_CODE.sub(link, markdown)
