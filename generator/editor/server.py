"""``ipreg admin``: the form editor on a clerk's PC, with nothing but Python: no Node, no package registry, no internet.

One local HTTP server (127.0.0.1 only) serves the vendored Decap CMS (``tools/admin/decap/``), its configuration
generated from the schema (``admin.admin_config`` with Decap's ``proxy`` backend pointing back here, so it never
falls back to a hosted login), and the part of Decap's local-backend API that a simple publish needs: list, read and
save entries of the ``records`` folder. A save is checked first, with the whole registry, exactly as ``ipreg check``
does: an entry with an error is not written, and Decap shows the Chinese findings; one that passes is written under
the registry lock through the journal (``journal.commit``), like ``ipreg decide``. Nothing is ever deleted or
renamed, and no file outside ``records/<USCC>.yaml`` is written. Requests from other web pages are refused (the Host
and the whole Origin -- scheme, host and port -- must be this server's, and a save needs a JSON body, which a foreign
page cannot send without asking). A malformed request gets 400 with a Chinese reason, never a traceback.

Two people, one record: every entry is served with ``file.id``, the SHA-256 of the file as read. The vendored Decap
(``tools/admin/decap.patch``) keeps the id of the entry it opened and sends it back with the save as ``ipregId``
(``null`` for a new entry). Under the registry lock the server re-reads the file: when it changed since the form
loaded it (``ipreg decide``, another tab, a ``git pull``), nothing is written and the answer is 409 with what changed
("新增了一个取消资格决定"), so the clerk reopens the record and loses nobody's work. A successful save answers the new
ids, which the form keeps for its next save.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mimetypes
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator.editor import vendored
from generator.editor.changed import describe_change
from generator.editor.keep import keep
from generator.editor.page import index_page
from generator.editor.where import described
from generator.errors import NothingWritten
from generator.findings import Finding
from generator.loader import load_bytes
from generator.policy import PolicyHistory
from generator.registry import build_registry
from generator.writing.journal import JournalError, Write, commit, registry_lock

DECAP = Path("tools") / "admin" / "decap"
RECORD_PATH = re.compile(r"records/[0-9A-Z]{18}\.yaml")
MAX_BODY = 2 * 1024 * 1024
Reader = Callable[[], tuple[dict[str, bytes], list[Finding]]]  # the registry as ``ipreg check`` reads it: name -> bytes, notes

class Refused(NothingWritten):
    """Nothing was written; ``status`` is the HTTP answer, the message says why in Chinese."""

    def __init__(self, status: int, message: str, findings: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.findings = findings or []  # each: field (its Chinese title), where (section, item), message, path, titles


SERVED_KEPT = 512  # the last entries the forms opened, kept to say what changed since (a record is a few kilobytes)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Editor:
    """What the server works on: the repository root, how to read the registry, the policy and the day of a check."""

    root: Path
    read: Reader
    policy: PolicyHistory
    today: Callable[[], date]
    config: bytes = b""
    served: OrderedDict[str, bytes] = field(default_factory=OrderedDict)  # id -> content a form opened
    lock: threading.Lock = field(default_factory=threading.Lock)

    def entries(self, paths: list[str], opened: bool = False) -> list[dict[str, Any]]:
        """Entries with their ``file.id``; ``opened``: a form is opening them (remember what it saw)."""
        out = []
        for path in paths:
            data = self._read(path)
            if data is not None and opened:
                self._remember(data)
            out.append({"data": None if data is None else data.decode("utf-8", "replace"),
                        "file": {"path": path, "id": None if data is None else _sha(data)}})
        return out

    def _remember(self, data: bytes) -> None:
        with self.lock:
            self.served[_sha(data)] = data
            self.served.move_to_end(_sha(data))
            while len(self.served) > SERVED_KEPT:
                self.served.popitem(last=False)

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

    def save(self, files: list[Mapping[str, Any]]) -> dict[str, str]:
        """Check and write every file or none; the new ``file.id`` of each. Raises Refused with the Chinese reason.

        Each file carries ``ipregId``: the id of the record the form opened, ``None`` for a new one. A file that is not
        what the form opened (changed, created or removed since) is not written: 409, with what changed."""
        if not files:
            raise Refused(HTTPStatus.BAD_REQUEST, "请求中没有要保存的记录，没有保存")
        for item in files:
            path, raw, known = item.get("path"), item.get("raw"), item.get("ipregId")
            if not isinstance(path, str) or not RECORD_PATH.fullmatch(path) or not isinstance(raw, str):
                raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY,
                              f"只能保存 records/<统一社会信用代码>.yaml（18 位大写代码），没有保存：{path!r}")
            if item.get("newPath"):
                raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY,
                              "不能在表单中改统一社会信用代码（它是文件名）：请新建一家企业，或在文件中修改并提交合并请求")
            if known is not None and not (isinstance(known, str) and re.fullmatch(r"[0-9a-f]{64}", known)):
                raise Refused(HTTPStatus.BAD_REQUEST, f"请求中记录 {path} 的版本标识不对，没有保存：请刷新页面（F5）后重新打开这条记录")
        changed: dict[str, bytes] = {}
        for item in files:
            try:
                changed[str(item["path"])] = str(item["raw"]).encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: pasted text the browser could not encode
                raise Refused(HTTPStatus.BAD_REQUEST, f"记录 {item['path']} 中有无法识别的字符（常见于从别处粘贴的文字），没有保存："
                              "请删掉粘贴的内容后重新输入") from None
        try:
            with registry_lock(self.root / "records"):
                raws, notes = self.read()
                for item in files:
                    self._unchanged(str(item["path"]), item.get("ipregId"), raws.get(str(item["path"])))
                changed = {name: keep(raws.get(name), data.decode("utf-8")) for name, data in changed.items()}  # as ipreg new writes
                after = {**raws, **changed}
                registry = build_registry([load_bytes(data, name) for name, data in after.items()], self.policy, self.today())
                errors = [f for f in (*notes, *registry.findings) if f.file in changed and f.severity == "error"]
                if errors:  # the form has no line numbers: each finding names its field and where it is
                    loaded = {name: load_bytes(data, name) for name, data in changed.items()}
                    raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"没有保存：记录有 {len(errors)} 个错误，请按下面的列表逐项修改后再保存",
                                  [described(f, loaded.get(f.file)) for f in errors])
                commit(self.root / "records", [Write(self.root / name, raws.get(name), data) for name, data in changed.items()])
        except JournalError as exc:
            raise Refused(HTTPStatus.CONFLICT, f"没有保存：{exc}") from None
        for data in changed.values():
            self._remember(data)
        return {name: _sha(data) for name, data in changed.items()}

    def _unchanged(self, path: str, known: str | None, current: bytes | None) -> None:
        """Refuse (409) when the file is not the one the form opened."""
        if known is None and current is None:
            return
        if known is None:
            raise Refused(HTTPStatus.CONFLICT, f"没有保存：已经有这家企业的记录（{path}），可能是别人刚建立的。"
                          "请回到企业列表，打开已有的记录再改")
        if current is None:
            raise Refused(HTTPStatus.CONFLICT, f"没有保存：这家企业的记录（{path}）在您打开之后已被删除或改名。请回到企业列表核对")
        if _sha(current) != known:
            with self.lock:
                opened = self.served.get(known)
            raise Refused(HTTPStatus.CONFLICT, f"没有保存：这家企业的记录在您打开之后已被修改（{describe_change(opened, current)}），"
                          "请重新打开再改：刷新页面（F5）后再录入一次您的修改")


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
        """Only this server's own pages may use it (no other web page, no DNS rebinding): the Host is this server, and
        the Origin, when the browser sends one, is this server's whole origin (scheme, host and port)."""
        port = self.origin.rsplit(":", 1)[1]
        hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        origin = self.headers.get("Origin")
        return self.headers.get("Host", "") in hosts and (origin is None or origin in {f"http://{h}" for h in hosts})

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
            return self._send(HTTPStatus.OK, index_page(self.editor.policy.first.documents.county).encode("utf-8"),
                              "text/html; charset=utf-8")
        if path == "/admin/config.yml":
            return self._send(HTTPStatus.OK, self.editor.config, "text/yaml; charset=utf-8")
        name = path.removeprefix("/admin/")
        if path.startswith("/admin/"):
            data = vendored.asset(self.editor.root / DECAP, name)  # only an unchanged file of the release (SHA256SUMS)
            if data is not None:
                return self._send(HTTPStatus.OK, data, mimetypes.guess_type(name)[0] or "text/javascript")
        return self._send(HTTPStatus.NOT_FOUND, "找不到这个页面".encode(), "text/plain; charset=utf-8")

    def do_POST(self) -> None:
        try:
            self._post()
        except Exception:  # noqa: BLE001 - the clerk's terminal gets one line, the page a Chinese answer, never a traceback
            import sys

            print("ipreg admin：处理一个请求时出现内部错误，没有保存（请把出错前的操作告诉维护人员）", file=sys.stderr, flush=True)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self._json(HTTPStatus.INTERNAL_SERVER_ERROR,
                           {"error": "表单编辑器内部错误，没有保存：请刷新页面后再试，仍不行请告诉维护人员"})

    def _body(self) -> dict[str, Any]:
        """The request's JSON object; raises Refused (400, 411, 413, 415) with the Chinese reason."""
        # the headers are an email.message.Message: its own parser reads the media type and the charset parameter
        if self.headers.get_content_type() != "application/json" or self.headers.get_content_charset("utf-8") not in ("utf-8", "utf8"):
            raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "请求应为 UTF-8 编码的 JSON（Content-Type: application/json），没有处理")
        declared = self.headers.get("Content-Length")
        if declared is None or not declared.strip().isdigit():
            self.close_connection = True
            raise Refused(HTTPStatus.LENGTH_REQUIRED if declared is None else HTTPStatus.BAD_REQUEST,
                          "请求没有正确的长度（Content-Length），没有处理")
        length = int(declared)
        if not 0 < length <= MAX_BODY:
            self.close_connection = True
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE if length else HTTPStatus.BAD_REQUEST,
                          "请求太大（记录文件最多 1 MB），没有处理" if length else "请求是空的，没有处理")
        try:
            body = json.loads(self.rfile.read(length).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise Refused(HTTPStatus.BAD_REQUEST, "请求不是 UTF-8 编码的 JSON，没有处理") from None
        if not isinstance(body, dict) or not isinstance(body.get("action"), str):
            raise Refused(HTTPStatus.BAD_REQUEST, "请求应为含 action 的 JSON 对象，没有处理")
        if not isinstance(body.get("params") or {}, dict):
            raise Refused(HTTPStatus.BAD_REQUEST, "请求的 params 应为 JSON 对象，没有处理")
        return body

    def _post(self) -> None:
        if not self._ours() or self.path.split("?", 1)[0] != "/api/v1":
            return self._json(HTTPStatus.FORBIDDEN, {"error": "只接受本机表单编辑器的请求"})
        try:
            body = self._body()
        except Refused as refused:
            return self._json(refused.status, {"error": str(refused)})
        action, params = body["action"], body.get("params") or {}
        editor = self.editor
        if action == "info":
            return self._json(HTTPStatus.OK, {"repo": editor.root.name, "publish_modes": ["simple"], "type": "local_fs"})
        if action == "entriesByFolder":
            return self._json(HTTPStatus.OK, editor.entries(editor.folder()) if params.get("folder") == "records" else [])
        if action == "entriesByFiles":
            files = params.get("files") or []
            if not isinstance(files, list):
                return self._json(HTTPStatus.BAD_REQUEST, {"error": "请求的 files 应为列表，没有处理"})
            return self._json(HTTPStatus.OK, editor.entries([str(f.get("path")) for f in files if isinstance(f, dict)]))
        if action == "getEntry":
            if not isinstance(params.get("path"), str):
                return self._json(HTTPStatus.BAD_REQUEST, {"error": "请求没有写要打开的记录（path），没有处理"})
            return self._json(HTTPStatus.OK, editor.entries([params["path"]], opened=True)[0])
        if action == "persistEntry":
            files = params.get("dataFiles") or [params.get("entry")]
            if params.get("assets"):
                return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": "登记簿不保存上传的文件（图片、附件）：没有保存"})
            if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
                return self._json(HTTPStatus.BAD_REQUEST, {"error": "请求中要保存的记录（dataFiles）格式不对，没有保存"})
            try:
                ids = editor.save(files)
            except Refused as refused:
                return self._json(refused.status, {"error": str(refused), "findings": refused.findings})
            return self._json(HTTPStatus.OK, {"message": "entry persisted", "ids": ids})
        if action in ("getMedia",):
            return self._json(HTTPStatus.OK, [])
        if action == "getDeployPreview":
            return self._json(HTTPStatus.OK, None)
        if action in ("deleteFile", "deleteFiles", "persistMedia", "getMediaFile"):
            return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": "表单编辑器不删除记录、不保存上传的文件：删除记录请提交合并请求"})
        return self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": f"不支持的操作 {action!r}"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A broken connection or a request the handler could not read: one Chinese line, no traceback."""
        import sys

        print("ipreg admin：一个请求未能读完（浏览器关闭了连接或请求格式不对），已忽略", file=sys.stderr, flush=True)


def serve(editor: Editor, config: Callable[[str], bytes], port: int = 8081, ready: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted. ``config(api_url)`` makes Decap's config for this server's API address."""
    server = _Server(("127.0.0.1", port), _Handler)
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
