"""The Gitea comment step against a local stub that speaks the Gitea API endpoints it uses; the rsync publisher."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from generator.checking import gitea
from tests.helpers import ROOT, required, tool


class _Gitea(BaseHTTPRequestHandler):
    """GET/POST /api/v1/repos/{o}/{r}/issues/{n}/comments and PATCH /api/v1/repos/{o}/{r}/issues/comments/{id}."""

    comments: list[dict[str, Any]]
    calls: list[tuple[str, str, str | None]]
    token = "s3cret"
    login = "ipreg-bot"  # the token's user
    quirk: tuple[str, int, str] | None = None  # (method, status, Location or body): a misconfigured server or proxy

    def log_message(self, *args: Any) -> None:
        pass

    def _reply(self, code: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else None
        self.calls.append((method, self.path, body))
        if self.headers.get("Authorization") != f"token {self.token}":
            return self._reply(401, {"message": "token is required"})
        if self.quirk and self.quirk[0] == method:
            status, extra = self.quirk[1:]
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", extra)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            data = extra.encode()
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return None
        parts = self.path.split("/")
        if method == "GET" and self.path == "/api/v1/user":
            return self._reply(200, {"id": 3, "login": self.login})
        if method == "GET" and self.path == "/api/v1/repos/amr/registry/issues/7/comments":
            return self._reply(200, self.comments)
        if method == "POST" and self.path == "/api/v1/repos/amr/registry/issues/7/comments":
            comment = {"id": 100 + len(self.comments), "body": json.loads(body or "{}")["body"], "user": {"login": self.login}}
            self.comments.append(comment)
            return self._reply(201, comment)
        if method == "PATCH" and parts[:7] == ["", "api", "v1", "repos", "amr", "registry", "issues"] and parts[7] == "comments":
            for comment in self.comments:
                if comment["id"] == int(parts[8]):
                    comment["body"] = json.loads(body or "{}")["body"]
                    return self._reply(200, comment)
        return self._reply(404, {"message": "not found"})

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")


@pytest.fixture()
def server() -> Iterator[tuple[str, type[_Gitea]]]:
    handler = type(
        "Handler", (_Gitea,), {"comments": [{"id": 1, "body": "另一位审核人的评论", "user": {"login": "reviewer"}}], "calls": []}
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    httpd.shutdown()
    httpd.server_close()


def _environ(tmp_path: Path, url: str, token: str = "s3cret") -> dict[str, str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "synchronized", "number": 7, "pull_request": {"number": 7}}), encoding="utf-8")
    return {"GITHUB_SERVER_URL": url, "GITHUB_REPOSITORY": "amr/registry", "GITHUB_EVENT_PATH": str(event), "GITEA_TOKEN": token}


def test_comment_is_created_then_updated(tmp_path: Path, server: tuple[str, type[_Gitea]]) -> None:
    url, handler = server
    summary = tmp_path / "summary.md"
    summary.write_text("## 登记簿检查结果\n\n**1 个错误**\n", encoding="utf-8")
    assert gitea.main([str(summary)], _environ(tmp_path, url)) == 0
    assert [c["id"] for c in handler.comments] == [1, 101] and gitea.MARKER in handler.comments[1]["body"]
    assert "**1 个错误**" in handler.comments[1]["body"]
    summary.write_text("## 登记簿检查结果\n\n**0 个错误**\n", encoding="utf-8")
    assert gitea.main([str(summary)], _environ(tmp_path, url)) == 0
    assert len(handler.comments) == 2 and "**0 个错误**" in handler.comments[1]["body"]  # the same comment, edited
    assert handler.comments[0]["body"] == "另一位审核人的评论"
    assert [c[0] for c in handler.calls] == ["GET", "GET", "POST", "GET", "GET", "PATCH"]


def test_a_quote_of_the_marker_by_someone_else_is_never_edited(tmp_path: Path, server: tuple[str, type[_Gitea]]) -> None:
    url, handler = server
    quote = {"id": 2, "body": f"> {gitea.MARKER}\n> 上次的检查结果\n\n我有不同意见", "user": {"login": "reviewer"}}
    forged = {"id": 3, "body": f"{gitea.MARKER}\n别人写的", "user": {"login": "reviewer"}}
    handler.comments += [quote, forged]
    summary = tmp_path / "summary.md"
    summary.write_text("**0 个错误**", encoding="utf-8")
    assert gitea.main([str(summary)], _environ(tmp_path, url)) == 0
    assert [c[0] for c in handler.calls][-1] == "POST" and handler.comments[1] == quote and handler.comments[2] == forged


class _Elsewhere(BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.seen.append(str(self.headers.get("Authorization")))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"[]")

    do_POST = do_GET


@pytest.mark.parametrize(
    "quirk,words",
    [
        (("GET", 301, "ELSEWHERE"), "没有跟随"),
        (("POST", 302, "ELSEWHERE"), "没有跟随"),
        (("GET", 200, "<html><body>请登录</body></html>"), "不是 JSON"),
        (("POST", 200, "<html>代理错误</html>"), "不是 JSON"),
        (("POST", 300, "x"), "返回 300"),
    ],
)
def test_redirects_and_answers_that_are_not_json_fail_in_chinese(
    tmp_path: Path, server: tuple[str, type[_Gitea]], quirk: tuple[str, int, str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The token never goes to another origin; a POST turned into a GET never reads as posted; HTML is not an answer."""
    url, handler = server
    other = ThreadingHTTPServer(("127.0.0.1", 0), _Elsewhere)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        elsewhere = f"http://127.0.0.1:{other.server_address[1]}/api/v1/repos/amr/registry/issues/7/comments"
        handler.quirk = (quirk[0], quirk[1], quirk[2].replace("ELSEWHERE", elsewhere))
        summary = tmp_path / "summary.md"
        summary.write_text("x", encoding="utf-8")
        assert gitea.main([str(summary)], _environ(tmp_path, url)) == 1
        captured = capsys.readouterr()
        assert words in captured.err and "已发表" not in captured.out and "Traceback" not in captured.err
        assert _Elsewhere.seen == []  # nothing, and no token, reached the other server
    finally:
        other.shutdown()
        other.server_close()


def test_comment_errors_are_chinese_and_not_tracebacks(
    tmp_path: Path, server: tuple[str, type[_Gitea]], capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = server
    summary = tmp_path / "summary.md"
    summary.write_text("x", encoding="utf-8")
    assert gitea.main([str(summary)], _environ(tmp_path, url, token="wrong")) == 1
    assert "返回 401" in capsys.readouterr().err
    assert gitea.main([str(summary)], {**_environ(tmp_path, url), "GITEA_TOKEN": ""}) == 1
    assert "缺少令牌" in capsys.readouterr().err
    assert gitea.main([str(summary)], _environ(tmp_path, "http://127.0.0.1:9")) == 1
    assert "无法连接 Gitea" in capsys.readouterr().err
    assert gitea.main([str(tmp_path / "missing.md")], _environ(tmp_path, url)) == 2
    assert gitea.body_of("x" * (gitea.MAX_BODY + 10)).endswith("完整结果见作业日志）\n")


@pytest.mark.slow
def test_publish_rsync_only_replaces_its_own_site(tmp_path: Path) -> None:
    required("rsync", tool("rsync"))
    script = ROOT / "tools" / "publish-rsync"
    site = tmp_path / "site"
    (site / "list").mkdir(parents=True)
    (site / ".ipreg-site").write_text("", encoding="utf-8")
    (site / "index.html").write_text("new", encoding="utf-8")
    (site / "list" / "index.html").write_text("list", encoding="utf-8")
    web = tmp_path / "www" / "ipreg"

    def run(*a: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(script), *map(str, a)], capture_output=True, text=True, timeout=60, check=False)

    assert run(site, web).returncode == 0 and (web / "list" / "index.html").read_text(encoding="utf-8") == "list"
    (web / "old.html").write_text("gone", encoding="utf-8")  # a page the new site no longer has
    assert run(site, web).returncode == 0 and not (web / "old.html").exists()
    other = tmp_path / "www" / "intranet"
    other.mkdir()
    (other / "index.html").write_text("the bureau's other site", encoding="utf-8")
    refused = run(site, other)
    assert refused.returncode == 1 and "已有别的内容" in refused.stderr
    assert [p.name for p in other.iterdir()] == ["index.html"]
    (site / ".ipreg-site").unlink()
    assert run(site, web).returncode == 2


FAKE_SSH = """#!/bin/sh
# A stand-in for ssh: runs the remote command as the remote login shell would (FAKE_SHELL, e.g. dash), in the remote
# home (FAKE_HOME), with LC_ALL=C; stdin passes through, as with ssh. rsync calls it as "-l USER HOST COMMAND...".
while :; do case "$1" in -l) shift 2 ;; -*) shift ;; *) break ;; esac; done
shift
cd "$FAKE_HOME" || exit 255
exec env HOME="$FAKE_HOME" LC_ALL=C "$FAKE_SHELL" -c "$*"
"""


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "list").mkdir(parents=True)
    (site / ".ipreg-site").write_text("", encoding="utf-8")
    (site / "index.html").write_text("new", encoding="utf-8")
    (site / "list" / "index.html").write_text("list", encoding="utf-8")
    return site


@pytest.mark.slow
@pytest.mark.parametrize("shell", ["bash", "dash"])
@pytest.mark.parametrize(
    "remote,where",
    [
        ("~/realsite", "home/realsite"),
        ("~", None),  # the home itself has other content: refused
        ("www/ipreg", "home/www/ipreg"),  # relative to the remote home
        ("~bob/site", None),  # another user's home: cannot be resolved here, refused
        ('ABS/网站 目录/it\'s "site"', 'abs/网站 目录/it\'s "site"'),  # Chinese, a space and quotes, under LC_ALL=C
        ("ABS/已有内容", None),  # someone else's folder: refused, untouched
        ("ABS/-rf", "abs/-rf"),
    ],
)
def test_publish_rsync_to_a_remote_shell_that_is_not_bash(tmp_path: Path, shell: str, remote: str, where: str | None) -> None:
    """The path is checked and written as the same resolved path, passed without shell quoting: ~ resolved by the remote
    side, Chinese paths under LC_ALL=C with dash, spaces and quotes; nothing outside the target is created or emptied."""
    required("rsync", tool("rsync"))
    required(shell, tool(shell))
    site = _site(tmp_path)
    home, absolute = tmp_path / "home", tmp_path / "abs"
    home.mkdir()
    (home / "realsite").mkdir()
    (home / "realsite" / ".ipreg-site").write_text("", encoding="utf-8")
    (home / "realsite" / "old.html").write_text("an old page", encoding="utf-8")
    (home / "notes.txt").write_text("the deploy user's own file", encoding="utf-8")
    (absolute / "已有内容").mkdir(parents=True)
    (absolute / "已有内容" / "index.html").write_text("the bureau's other site", encoding="utf-8")
    fake = tmp_path / "fake-ssh"
    fake.write_text(FAKE_SSH, encoding="utf-8")
    fake.chmod(0o755)
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    env = {**os.environ, "IPREG_SSH": str(fake), "FAKE_HOME": str(home), "FAKE_SHELL": shutil.which(shell) or shell, "LC_ALL": "C"}
    target = "deploy@web:" + remote.replace("ABS", str(absolute))
    result = subprocess.run(
        [str(ROOT / "tools" / "publish-rsync"), str(site), target],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    after = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert not any(Path(p).name == "~" or "~" in Path(p).parts for p in after)  # no junk folder named ~ anywhere
    assert (home / "notes.txt").read_text(encoding="utf-8") == "the deploy user's own file"
    assert (absolute / "已有内容" / "index.html").read_text(encoding="utf-8") == "the bureau's other site"
    if where is None:
        assert result.returncode == 1 and "没有复制" in result.stderr, result.stderr
        assert after == before
    else:
        assert result.returncode == 0, result.stderr
        published = tmp_path / where
        assert (published / "list" / "index.html").read_text(encoding="utf-8") == "list"
        assert not (published / "old.html").exists() and "已发布到" in result.stdout
        made = {tmp_path / p for p in set(after) - set(before)}
        assert all(p == published or published in p.parents or p in published.parents for p in made), made  # nothing elsewhere


RECORDING_SSH = """#!/bin/sh
# ssh on the PATH: records its argv (NUL-separated, an empty argument ends the call) in SSH_LOG, reads options as ssh
# does (up to -- or the first argument that is not one; -oProxyCommand=CMD runs CMD, as ssh would), then runs the remote
# command in FAKE_HOME like FAKE_SSH.
{ for a in "$@"; do printf '%s\\0' "$a"; done; printf '\\0'; } >> "$SSH_LOG"
while :; do
  case "$1" in
    --) shift; break ;;
    -l|-i|-p|-o) shift 2 ;;
    -oProxyCommand=*) sh -c "${1#-oProxyCommand=}"; shift ;;
    -*) shift ;;
    *) break ;;
  esac
done
shift
cd "$FAKE_HOME" || exit 255
exec env HOME="$FAKE_HOME" LC_ALL=C sh -c "$*"
"""


def _recording_ssh(tmp_path: Path) -> tuple[dict[str, str], Path]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "ssh").write_text(RECORDING_SSH, encoding="utf-8")
    (bin_dir / "ssh").chmod(0o755)
    (tmp_path / "home").mkdir()
    log = tmp_path / "ssh.log"
    env = {k: v for k, v in os.environ.items() if k != "IPREG_SSH"}  # the default: ssh from the PATH
    env.update(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", SSH_LOG=str(log), FAKE_HOME=str(tmp_path / "home"), LC_ALL="C")
    return env, log


@pytest.mark.slow
@pytest.mark.parametrize("login", ["-oProxyCommand=touch MARKER", "deploy@-oProxyCommand=touch MARKER", "-oProxyCommand=touch MARKER@web"])
def test_publish_rsync_refuses_a_host_ssh_would_read_as_an_option(tmp_path: Path, login: str) -> None:
    required("rsync", tool("rsync"))
    site = _site(tmp_path)
    env, log = _recording_ssh(tmp_path)
    marker = tmp_path / "marker"
    target = login.replace("MARKER", str(marker)) + ":/srv/x"
    result = subprocess.run([str(ROOT / "tools" / "publish-rsync"), str(site), target], capture_output=True, text=True, timeout=60,
                            env=env, cwd=tmp_path, check=False)
    assert result.returncode == 2 and "以“-”开头" in result.stderr and "未发布" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not marker.exists() and not log.exists()  # nothing run


@pytest.mark.slow
@pytest.mark.parametrize("login,host", [("deploy@web", "web"), ("web", "web")])
def test_publish_rsync_puts_double_dash_before_the_host(tmp_path: Path, login: str, host: str) -> None:
    """Both ssh calls (the check, and rsync's -e) end the options with -- before the host."""
    required("rsync", tool("rsync"))
    site = _site(tmp_path)
    env, log = _recording_ssh(tmp_path)
    result = subprocess.run([str(ROOT / "tools" / "publish-rsync"), str(site), f"{login}:~/realsite"], capture_output=True, text=True,
                            timeout=60, env=env, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "home" / "realsite" / "list" / "index.html").read_text(encoding="utf-8") == "list"
    calls = [call.split("\0") for call in log.read_text(encoding="utf-8").split("\0\0") if call]
    assert len(calls) == 2, calls
    probe, transfer = calls
    assert probe[:2] == ["--", login] and probe[2].startswith("sh -c ")
    before = transfer[: transfer.index("--")]
    assert transfer[transfer.index("--") + 1] == host and before == (["-l", "deploy"] if "@" in login else []), transfer
