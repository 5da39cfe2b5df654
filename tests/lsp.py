"""A minimal Language Server Protocol client: the diagnostics yaml-language-server gives a YAML file under our schema."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.helpers import ROOT

SERVER = ROOT / "tools" / "admin" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"


def _send(proc: subprocess.Popen[bytes], message: dict[str, Any]) -> None:
    body = json.dumps(message).encode("utf-8")
    assert proc.stdin is not None
    proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
    proc.stdin.flush()


def _read(proc: subprocess.Popen[bytes]) -> dict[str, Any]:
    assert proc.stdout is not None
    length = 0
    while True:
        line = proc.stdout.readline()
        if not line:
            raise EOFError("yaml-language-server closed its output")
        if line in (b"\r\n", b"\n"):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return dict(json.loads(proc.stdout.read(length)))


def diagnostics(node: str, text: str, schema: Path, timeout: float = 30.0, settle: float = 3.0) -> list[dict[str, Any]]:
    """The diagnostics yaml-language-server publishes for ``text`` (a file named records/X.yaml) under ``schema``: the
    last list it published once it has been quiet for ``settle`` seconds (an empty list for a valid file)."""
    import queue
    import threading

    proc = subprocess.Popen([node, str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    uri = "file:///registry/records/91411721MA00000154.yaml"
    inbox: queue.Queue[dict[str, Any]] = queue.Queue()

    def pump() -> None:
        try:
            while True:
                inbox.put(_read(proc))
        except (EOFError, ValueError, OSError):
            pass

    threading.Thread(target=pump, daemon=True).start()
    try:
        _send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                     "params": {"processId": None, "rootUri": "file:///registry", "capabilities": {}}})
        while inbox.get(timeout=timeout).get("id") != 1:
            pass
        _send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        settings = {"validate": True, "schemas": {schema.as_uri(): ["records/*.yaml", "*.yaml"]}, "schemaStore": {"enable": False}}
        _send(proc, {"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration", "params": {"settings": {"yaml": settings}}})
        _send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen",
                     "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
        latest: list[dict[str, Any]] | None = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = inbox.get(timeout=settle)
            except queue.Empty:
                if latest is not None:
                    return latest
                continue
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                latest = list(message["params"]["diagnostics"])
            elif "id" in message and "method" in message:  # a request from the server (its configuration): answer it
                items = message.get("params", {}).get("items", [])
                result = [settings if item.get("section") == "yaml" else None for item in items] if items else None
                _send(proc, {"jsonrpc": "2.0", "id": message["id"], "result": result})
        raise TimeoutError("no diagnostics from yaml-language-server")
    finally:
        proc.kill()
        proc.wait(timeout=10)
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()
