"""``ipreg admin``: the form editor on a clerk's PC, with nothing but Python: no Node, no package registry, no internet.

One local HTTP server (127.0.0.1 only) serves the vendored Decap CMS (``tools/admin/decap/``), its configuration
generated from the schema (``admin.admin_config`` with Decap's ``proxy`` backend pointing back here, so it never
falls back to a hosted login), and the part of Decap's local-backend API that a simple publish needs: list, read and
save entries of the ``records`` folder. A save is checked first, with the whole registry, exactly as ``ipreg check``
does: an entry with an error is not written, and Decap shows the Chinese findings; one that passes is written under
the registry lock through the journal (``journal.commit``), like ``ipreg decide``. Nothing is ever deleted or
renamed, and no file outside ``records/<USCC>.yaml`` is written. Requests from other web pages are refused (the Host
and Origin must be this server, and a save needs a JSON body, which a foreign page cannot send without asking).
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator.findings import Finding
from generator.journal import JournalError, Write, commit, registry_lock
from generator.loader import load_bytes
from generator.policy import Policy
from generator.registry import build_registry

DECAP = Path("tools") / "admin" / "decap"
RECORD_PATH = re.compile(r"records/[0-9A-Z]{18}\.yaml")
MAX_BODY = 2 * 1024 * 1024
Reader = Callable[[], tuple[dict[str, bytes], list[Finding]]]  # the registry as ``ipreg check`` reads it: name -> bytes, notes

INDEX = r"""<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>备案记录表单编辑（本机） · 西平县知识产权强企名单</title>
  <link href="config.yml" type="text/yaml" rel="cms-config-url">
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
            autoComplete: "off", style: {flex: "1", border: 0, outline: 0, font: "inherit", background: "transparent"},
            onChange: function (e) { props.onChange(e.target.value.trim()); },
            onFocus: props.setActiveStyle, onBlur: props.setInactiveStyle}),
          h("input", {type: "date", tabIndex: -1, "aria-hidden": "true", value: DAY.test(value) ? value : "",
            ref: function (element) { self.picker = element; },
            style: {position: "absolute", opacity: 0, width: "1px", height: "1px", pointerEvents: "none"},
            onChange: function (e) { if (e.target.value) props.onChange(e.target.value); }}),
          h("button", {type: "button", "data-ipreg-pick": "",
            style: {font: "inherit", padding: "4px 12px", border: "1px solid #767676", borderRadius: "4px", background: "#fff",
                    color: "#1a1a1a"},
            onClick: function () { var p = self.picker; if (p && p.showPicker) p.showPicker(); else if (p) p.focus(); }}, "选日历"));
      }
    });
    function Preview(props) { return h("div", {}, props.value || ""); }
    CMS.registerWidget("ipreg-date", Control, Preview);
  })();
  </script>
</body>
</html>
"""


@dataclass
class Editor:
    """What the server works on: the repository root, how to read the registry, the policy and the day of a check."""

    root: Path
    read: Reader
    policy: Policy
    today: Callable[[], date]
    config: bytes = b""

    def entries(self, paths: list[str]) -> list[dict[str, Any]]:
        out = []
        for path in paths:
            data = self._read(path)
            out.append({"data": None if data is None else data.decode("utf-8", "replace"),
                        "file": {"path": path, "id": None if data is None else hashlib.sha256(data).hexdigest()}})
        return out

    def _read(self, path: str) -> bytes | None:
        if not RECORD_PATH.fullmatch(path):
            return None
        target = self.root / path
        if target.is_symlink() or not target.is_file():
            return None
        return target.read_bytes()

    def folder(self) -> list[str]:
        raws, _ = self.read()
        return sorted(name for name in raws if RECORD_PATH.fullmatch(name))

    def save(self, files: list[Mapping[str, Any]]) -> str | None:
        """Check and write; the Chinese reason when nothing was written, else None."""
        for item in files:
            path, raw = item.get("path"), item.get("raw")
            if not isinstance(path, str) or not RECORD_PATH.fullmatch(path) or not isinstance(raw, str):
                return f"只能保存 records/<统一社会信用代码>.yaml（18 位大写代码），没有保存：{path!r}"
            if item.get("newPath"):
                return "不能在表单中改统一社会信用代码（它是文件名）：请新建一家企业，或在文件中修改并提交合并请求"
        try:
            with registry_lock(self.root / "records"):
                raws, notes = self.read()
                changed = {str(item["path"]): str(item["raw"]).encode("utf-8") for item in files}
                after = {**raws, **changed}
                registry = build_registry([load_bytes(data, name) for name, data in after.items()], self.policy, self.today())
                errors = [f for f in (*notes, *registry.findings) if f.file in changed and f.severity == "error"]
                if errors:
                    lines = "；\n".join(f"[{f.rule}] {f.message}" for f in errors[:20])  # the form has no line numbers
                    more = f"\n另有 {len(errors) - 20} 个问题。" if len(errors) > 20 else ""
                    return f"没有保存：记录有 {len(errors)} 个错误，请修改后再保存。\n{lines}{more}"
                commit(self.root / "records", [Write(self.root / name, raws.get(name), data) for name, data in changed.items()])
        except JournalError as exc:
            return f"没有保存：{exc}"
        return None


class _Handler(BaseHTTPRequestHandler):
    editor: Editor
    origin: str  # http://127.0.0.1:PORT
    server_version = "ipreg-admin"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _ours(self) -> bool:
        """Only this server's own pages may use it (no other web page, no DNS rebinding)."""
        host = self.headers.get("Host", "")
        origin = self.headers.get("Origin")
        allowed = {self.origin.split("//", 1)[1], self.origin.split("//", 1)[1].replace("127.0.0.1", "localhost")}
        return host in allowed and (origin is None or origin.split("//", 1)[-1] in allowed)

    def do_GET(self) -> None:
        if not self._ours():
            return self._send(HTTPStatus.FORBIDDEN, "只接受本机表单编辑器的请求".encode(), "text/plain; charset=utf-8")
        path = self.path.split("?", 1)[0]
        if path in ("/", "/admin"):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", "/admin/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if path == "/admin/":
            return self._send(HTTPStatus.OK, INDEX.encode("utf-8"), "text/html; charset=utf-8")
        if path == "/admin/config.yml":
            return self._send(HTTPStatus.OK, self.editor.config, "text/yaml; charset=utf-8")
        name = path.removeprefix("/admin/")
        if path.startswith("/admin/") and re.fullmatch(r"[0-9A-Za-z._-]+\.js", name):
            asset = self.editor.root / DECAP / name
            if asset.is_file():
                return self._send(HTTPStatus.OK, asset.read_bytes(), mimetypes.guess_type(name)[0] or "text/javascript")
        return self._send(HTTPStatus.NOT_FOUND, "找不到这个页面".encode(), "text/plain; charset=utf-8")

    def do_POST(self) -> None:
        if not self._ours() or self.path.split("?", 1)[0] != "/api/v1":
            return self._json(HTTPStatus.FORBIDDEN, {"error": "只接受本机表单编辑器的请求"})
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            return self._json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "请求应为 JSON"})
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_BODY:
            return self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "请求太大（记录文件最多 1 MB）"})
        try:
            body = json.loads(self.rfile.read(length))
        except ValueError:
            return self._json(HTTPStatus.BAD_REQUEST, {"error": "请求不是 JSON"})
        action, params = body.get("action"), body.get("params") or {}
        editor = self.editor
        if action == "info":
            return self._json(HTTPStatus.OK, {"repo": editor.root.name, "publish_modes": ["simple"], "type": "local_fs"})
        if action == "entriesByFolder":
            return self._json(HTTPStatus.OK, editor.entries(editor.folder()) if params.get("folder") == "records" else [])
        if action == "entriesByFiles":
            return self._json(HTTPStatus.OK, editor.entries([str(f.get("path")) for f in params.get("files") or [] if isinstance(f, dict)]))
        if action == "getEntry":
            return self._json(HTTPStatus.OK, editor.entries([str(params.get("path"))])[0])
        if action == "persistEntry":
            files = params.get("dataFiles") or [params.get("entry")]
            if params.get("assets"):
                return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": "登记簿不保存上传的文件（图片、附件）：没有保存"})
            problem = editor.save([f for f in files if isinstance(f, dict)] if isinstance(files, list) else [])
            if problem:
                return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": problem})
            return self._json(HTTPStatus.OK, {"message": "entry persisted"})
        if action in ("getMedia",):
            return self._json(HTTPStatus.OK, [])
        if action == "getDeployPreview":
            return self._json(HTTPStatus.OK, None)
        if action in ("deleteFile", "deleteFiles", "persistMedia", "getMediaFile"):
            return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": "表单编辑器不删除记录、不保存上传的文件：删除记录请提交合并请求"})
        return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": f"不支持的操作 {action!r}"})


def serve(editor: Editor, config: Callable[[str], bytes], port: int = 8081, ready: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted. ``config(api_url)`` makes Decap's config for this server's API address."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    editor.config = config("/api/v1")  # relative: the page works as http://127.0.0.1:PORT/ and as http://localhost:PORT/
    handler = type("Handler", (_Handler,), {"editor": editor, "origin": origin})
    server.RequestHandlerClass = handler
    if ready is not None:
        ready(f"{origin}/admin/")
    try:
        server.serve_forever()
    finally:
        server.server_close()
