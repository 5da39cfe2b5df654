"""The form editor's page: Decap with the editor's own widgets (choices shown by their Chinese names, dates typed as
YYYY-MM-DD) and the list of what stops a save (each finding with its field's Chinese name and where it is, in a
scrollable panel on the page; a link takes the clerk to the field), instead of Decap's one long notice."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from generator.rules.eligibility import required_sections
from generator.schema import ENTERPRISE_SCHEMA, load_schema

INDEX = r"""<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>备案记录表单编辑（本机） · {county}知识产权强企名单</title>
  <link href="config.yml" type="text/yaml" rel="cms-config-url">
  <style>
  /* 平板、手机（宽 360 像素起）：Decap 的编辑页至少 800 像素宽，要左右滑动。窄屏上表单占满宽度、不显示预览，
     顶栏缩紧；Decap 的样式类名带组件名（css-…-EditorContainer），!important 压过它稍后插入的样式 */
  @media (max-width: 799px) {
    [class*="-EditorContainer"], [class*="-ToolbarContainer"] { min-width: 0 !important; width: 100% !important; }
    [class*="-ToolbarContainer"] { box-sizing: border-box; }
    [class*="-ToolbarSectionBackLink"] { flex: 1 1 auto !important; min-width: 0 !important; padding: 0 8px !important; }
    [class*="-ToolbarSectionBackLink"] > div { min-width: 0; }
    [class*="-BackCollection"] { font-size: 13px !important; white-space: normal !important; }
    [class*="-BackArrow"] { margin-right: 8px !important; }
    [class*="-ToolbarSectionMain"] { flex: 0 0 auto !important; padding: 0 4px !important; }
    [class*="-ToolbarSubSectionLast"] { display: none !important; }
    [class*="-ToolbarSectionMeta"] { padding: 0 4px !important; }
    .SplitPane > .Pane1 { width: 100% !important; flex: 1 1 auto !important; }
    .SplitPane > .Resizer, .SplitPane > .Pane2 { display: none !important; }
    [class*="-ViewControls"] { display: none !important; }  /* 预览和同步滚动的按钮：窄屏上没有预览 */
    [class*="-ControlPaneContainer"] { max-width: 100% !important; box-sizing: border-box; }
  }
  </style>
</head>
<body>
  <noscript>表单编辑器需要浏览器启用 JavaScript。</noscript>
  <script src="decap-cms.js"></script>
  <script>
  // 预览中的选项显示中文名称（如“知识产权优势企业（advantage）”），与表单中的选项一致，不只显示代码
  (function () {
    var select = window.CMS && CMS.getWidget("select");
    if (!select || !window.h) return;
    function label(options, value) {
      var found = options && options.find(function (o) { return (o.get ? o.get("value") : o.value) === value; });
      return found ? (found.get ? found.get("label") : found.label) : value;
    }
    function Preview(props) {
      var options = props.field.get("options"), value = props.value;
      var shown = value && value.toJS ? value.toJS() : value;
      var text = Array.isArray(shown) ? shown.map(function (v) { return label(options, v); }).join("、")
        : shown == null ? "" : label(options, shown);
      return h("div", {"data-ipreg-select": ""}, text);
    }
    CMS.registerWidget("select", select.control, Preview, select.schema);
  })();
  // 日期：按 YYYY-MM-DD 输入和显示（不随浏览器语言变成 03/12/2009），旁边的“选日历”按钮打开日历；没有时间，也没有时区
  (function () {
    if (!window.CMS || !window.createClass) return;
    var DAY = /^\d{4}-\d{2}-\d{2}$/;
    var Control = createClass({
      render: function () {
        var self = this, props = this.props, value = props.value || "";
        return h("div", {className: props.classNameWrapper, style: {display: "flex", alignItems: "center", gap: "12px"}},
          h("input", {id: props.forID, type: "text", inputMode: "numeric", placeholder: "YYYY-MM-DD", maxLength: 10, value: value,
            autoComplete: "off", style: {flex: "1", minWidth: 0, border: 0, outline: 0, font: "inherit", background: "transparent"},
            onChange: function (e) { props.onChange(e.target.value.trim()); },
            onFocus: props.setActiveStyle, onBlur: props.setInactiveStyle}),
          h("input", {type: "date", tabIndex: -1, "aria-hidden": "true", value: DAY.test(value) ? value : "",
            ref: function (element) { self.picker = element; },
            style: {position: "absolute", opacity: 0, width: "1px", height: "1px", pointerEvents: "none"},
            onChange: function (e) { if (e.target.value) props.onChange(e.target.value); }}),
          h("button", {type: "button", "data-ipreg-pick": "",
            style: {font: "inherit", padding: "4px 12px", whiteSpace: "nowrap", flexShrink: 0, border: "1px solid #767676",
                    borderRadius: "4px", background: "#fff",
                    color: "#1a1a1a"},
            onClick: function () { var p = self.picker; if (p && p.showPicker) p.showPicker(); else if (p) p.focus(); }}, "选日历"));
      }
    });
    function Preview(props) { return h("div", {}, props.value || ""); }
    CMS.registerWidget("ipreg-date", Control, Preview);
  })();
  // 各部分按备案类别标明是否必填：第五条、第六条要用的部分写“必填（第五条第X项）”，不写 Decap 的“(可选)”；条款来自规则目录
  (function () {
    var NEEDS = {needs};
    function category() {
      var label = Array.prototype.slice.call(document.querySelectorAll("label")).find(function (l) {
        return l.textContent.trim().indexOf(NEEDS.label) === 0;
      });
      var box = label && label.parentElement;  // the label sits in the field's top bar: up to the box that holds the choice
      while (box && box.textContent.trim() === label.textContent.trim()) box = box.parentElement;
      var match = box && /（([a-z_]+)）/.exec(box.textContent);
      return match && NEEDS.categories[match[1]] ? match[1] : NEEDS.fallback;  // 新建记录未选类别时按优势企业标注
    }
    function mark() {
      var needs = NEEDS.categories[category()] || {};
      document.querySelectorAll("label > span").forEach(function (span) {
        var label = span.parentElement, title = label.firstChild && label.firstChild.nodeType === 3 ? label.firstChild.nodeValue : "";
        if (!span.hasAttribute("data-ipreg-optional")) span.setAttribute("data-ipreg-optional", span.textContent);
        var need = Object.prototype.hasOwnProperty.call(needs, title) ? needs[title] : null;
        var text = need ? " 必填（" + need + "）" : span.getAttribute("data-ipreg-optional");
        if (span.textContent !== text) span.textContent = text;
        if (need) label.setAttribute("data-ipreg-required", need); else label.removeAttribute("data-ipreg-required");
      });
    }
    new MutationObserver(mark).observe(document.documentElement, {childList: true, subtree: true, characterData: true});
  })();
  // 没有保存的原因：服务器列出的每个问题（字段的中文名称、所在位置、说明）显示在页面右下角可滚动的面板中，点字段名跳到该字段；
  // 新建的空白表单在第一次保存之前不显示“修改已保存”
  (function () {
    var panel = null, saved = false;
    function close() { if (panel) { panel.remove(); panel = null; } }
    // 点字段名：按问题的路径（如 ["patents", 2, "granted"]）在表单中逐层找——顶层部分、列表的第 n 项、项中的字段（Decap 的
    // 标签 for="<字段名>-field-<序号>"，找不到时按中文名称），收起的部分和项先展开，再把字段滚到屏幕中间（不被这个面板挡住）
    // 并把光标放进输入框；表单结构找不到时按字段名称找第一个同名标签
    function depth(e, scope) {
      for (var n = 0; e && e !== scope; e = e.parentElement) if (/-ControlContainer/.test(e.className)) n++;
      return n;
    }
    function fieldIn(scope, name, title) {  // the label of the field ``name`` of this part or item, not of one nested deeper
      var labels = Array.prototype.slice.call(scope.querySelectorAll("label[for]"));
      function titled(l) { return l.firstChild && l.firstChild.nodeType === 3 && l.firstChild.nodeValue.trim() === title; }
      var found = labels.filter(function (l) { return l.htmlFor.replace(/-field-\d+$/, "") === name; });
      if (!found.length && title) found = labels.filter(titled);
      found.sort(function (a, b) { return depth(a, scope) - depth(b, scope); });
      return found[0] || null;
    }
    function itemsOf(list) {  // the items of this list, not those of lists inside its items
      return Array.prototype.filter.call(list.querySelectorAll("[class*='SortableListItem']"), function (item) {
        var outer = item.parentElement.closest("[class*='SortableListItem']");
        return !outer || !list.contains(outer);
      });
    }
    function walk(path, titles) {
      var scope = document.querySelector("[class*='-ControlPaneContainer']"), label = null, t = 0;
      for (var i = 0; scope && i < path.length; i++) {
        if (typeof path[i] === "number") {
          scope = itemsOf(scope)[path[i]];
          label = scope ? scope.querySelector("label[for]") : null;
        } else {
          label = fieldIn(scope, path[i], titles[t++]);
          scope = label && (document.getElementById(label.htmlFor) || label.parentElement);
        }
      }
      return scope && label;
    }
    function toggle(hidden) {  // what opens a collapsed part or item: the expand button in the bar before it
      for (var bar = hidden.previousElementSibling; bar; bar = bar.previousElementSibling) {
        var expand = bar.querySelector("[data-testid='expand-button']");
        if (expand) return expand;
        var first = bar.firstElementChild;  // a list item's bar: open/close, drag, remove -- never the last (remove)
        if (/ListItemTopBar/.test(bar.className) && first && first.tagName === "BUTTON" && first !== bar.lastElementChild) return first;
      }
      return null;
    }
    function open(label, then, rounds) {
      var hidden = null;
      for (var e = label; e; e = e.parentElement) if (getComputedStyle(e).display === "none") hidden = e;
      var button = hidden && rounds > 0 && toggle(hidden);
      if (!button) return then();
      button.click();
      requestAnimationFrame(function () { open(label, then, rounds - 1); });
    }
    function reveal(label) {
      var box = label.closest("[class*='-ControlContainer']") || label;
      box.scrollIntoView({block: "center"});
      var covered = panel && panel.getBoundingClientRect(), at = box.getBoundingClientRect();
      var under = covered && at.bottom > covered.top && at.top < covered.bottom && at.right > covered.left && at.left < covered.right;
      if (under) {  // under the list (a narrow screen): into the space above it
        var free = Math.max(0, covered.top - 8), shift = at.top + at.height / 2 - free / 2;
        for (var s = box.parentElement; s && shift; s = s.parentElement) {
          if (s.scrollHeight > s.clientHeight && /auto|scroll/.test(getComputedStyle(s).overflowY)) { s.scrollTop += shift; shift = 0; }
        }
        if (shift) window.scrollBy(0, shift);
      }
      var target = label.htmlFor && document.getElementById(label.htmlFor);
      if (target && target.focus) target.focus({preventScroll: true});
    }
    function jump(finding) {
      var label = finding.path && finding.path.length ? walk(finding.path, finding.titles || []) : null;
      if (!label) {
        label = Array.prototype.slice.call(document.querySelectorAll("label")).find(function (l) {
          return l.textContent.trim().indexOf(finding.field) === 0;
        });
      }
      if (label) open(label, function () { reveal(label); }, 8);
    }
    function show(answer) {
      close();
      panel = document.createElement("aside");
      panel.setAttribute("role", "alert");
      panel.setAttribute("aria-label", "没有保存的原因");
      panel.setAttribute("data-ipreg-findings", "");
      panel.style.cssText = "position:fixed;z-index:10000;right:12px;bottom:12px;width:min(460px,calc(100vw - 24px));" +
        "max-height:min(60vh,560px);overflow:auto;background:#fff;color:#1a1a1a;border:2px solid #b3261e;border-radius:6px;" +
        "box-shadow:0 4px 16px rgba(0,0,0,.25);padding:12px 16px;font:15px/1.6 system-ui,sans-serif;box-sizing:border-box";
      var head = document.createElement("div");
      head.style.cssText = "display:flex;justify-content:space-between;align-items:flex-start;gap:8px;font-weight:bold;color:#b3261e";
      var title = document.createElement("span");
      title.textContent = answer && answer.error ? answer.error : "没有保存";
      var shut = document.createElement("button");
      shut.type = "button";
      shut.textContent = "关闭";
      shut.style.cssText = "font:inherit;font-weight:normal;padding:2px 10px;border:1px solid #767676;border-radius:4px;" +
        "background:#fff;color:#1a1a1a;white-space:nowrap;flex-shrink:0";
      shut.onclick = close;
      head.append(title, shut);
      panel.append(head);
      var list = document.createElement("ol");
      list.style.cssText = "margin:8px 0 0;padding-left:1.6em";
      ((answer && answer.findings) || []).forEach(function (f) {
        var item = document.createElement("li"), link = document.createElement("a");
        item.style.margin = "6px 0";
        link.href = "#";
        link.textContent = f.field;
        link.style.cssText = "font-weight:bold;color:#0b57d0";
        link.onclick = function (e) { e.preventDefault(); jump(f); };
        item.append(link, (f.where ? "（" + f.where + "）" : "") + "：" + f.message);
        list.append(item);
      });
      panel.append(list);
      document.body.append(panel);
    }
    var plain = window.fetch;
    window.fetch = function (input, init) {
      var saving = init && typeof init.body === "string" && init.body.indexOf('"action":"persistEntry"') >= 0;
      return plain.apply(this, arguments).then(function (response) {
        if (saving && response.ok) { saved = true; close(); hideSaved(); }
        else if (saving) response.clone().json().then(show, function () { show(null); });
        return response;
      });
    };
    function hideSaved() {
      var blank = !saved && /\/new(\?|$)/.test(location.hash);
      var found = document.evaluate('//*[text()="修改已保存"]', document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
      for (var i = 0; i < found.snapshotLength; i++) found.snapshotItem(i).style.visibility = blank ? "hidden" : "";
    }
    window.addEventListener("hashchange", function () { saved = false; close(); hideSaved(); });
    new MutationObserver(hideSaved).observe(document.documentElement, {childList: true, subtree: true});
  })();
  </script>
</body>
</html>
"""


def section_needs(schema: Mapping[str, Any]) -> dict[str, Any]:
    """What the page labels 必填: per category (the schema's enum), each section's title with the articles that need it
    (``eligibility.required_sections``); the category's own field by its title; the category a blank form is labelled
    for (the first of the enum, 知识产权优势企业)."""
    properties = schema["properties"]
    categories = properties["category"]["enum"]
    return {
        "label": properties["category"]["title"],
        "fallback": categories[0],
        "categories": {
            c: {properties[name]["title"]: articles for name, articles in required_sections(c).items()} for c in categories
        },
    }


def index_page(county: str, schema: Mapping[str, Any] | None = None) -> str:
    """The editor's page, its title naming the county of policy.yml's ``documents``."""
    if schema is None:
        schema = load_schema(ENTERPRISE_SCHEMA)
    needs = json.dumps(section_needs(schema), ensure_ascii=False).replace("</", "<\\/")
    return INDEX.replace("{county}", county).replace("{needs}", needs)


