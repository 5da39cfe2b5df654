"""Post the check summary as a pull-request comment on Gitea (which shows neither line annotations nor job summaries).

Run by deploy/gitea/workflows/check.yml as ``python -m generator.checking.gitea SUMMARY.md``. It reads what Gitea Actions
provides: the server (GITHUB_SERVER_URL / GITEA_SERVER_URL), the repository (GITHUB_REPOSITORY), the pull request
number (from the event file GITHUB_EVENT_PATH) and the job token (GITEA_TOKEN or GITHUB_TOKEN). One comment per pull
request: it begins with a hidden marker and is written by the token's own user, and a later run edits that comment
instead of adding another (a reviewer's comment that quotes the marker is never touched).

The token goes to the configured server only: a redirect is never followed (it could lead elsewhere, and a POST
answered with 301/302 would silently become a GET); any answer but a 2xx with JSON is a Chinese error and exit 1.

Gitea API endpoints used (Gitea 1.20+, /api/v1):
  GET   /user                                                (the token's user)
  GET   /repos/{owner}/{repo}/issues/{index}/comments
  POST  /repos/{owner}/{repo}/issues/{index}/comments        {"body": ...}
  PATCH /repos/{owner}/{repo}/issues/comments/{id}           {"body": ...}
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.errors import IpregError

MARKER = "<!-- ipreg-check-summary -->"
MAX_BODY = 60_000  # characters; Gitea accepts more, but a longer comment is unreadable anyway


class GiteaError(IpregError):
    """A Chinese message for the job log."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        raise GiteaError(f"Gitea 接口 {req.get_method()} {req.full_url} 返回 {code}，要求转到 {newurl}：没有跟随（令牌只发给配置的"
                         "服务器）。请把 GITEA_SERVER_URL 设为 Gitea 的实际地址（含 https:// 和子路径）")


_OPENER = urllib.request.build_opener(_NoRedirect())


def _request(method: str, url: str, token: str, payload: dict[str, Any] | None = None) -> Any:
    data = json.dumps(payload).encode("utf-8") if payload is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"token {token}", "Accept": "application/json", "Content-Type": "application/json"})
    try:
        with _OPENER.open(request, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        raise GiteaError(f"Gitea 接口 {method} {url} 返回 {exc.code}：请确认作业令牌有写评论的权限（见 deploy/gitea/README.md）") from None
    except (urllib.error.URLError, OSError) as exc:
        raise GiteaError(f"无法连接 Gitea（{url}）：{getattr(exc, 'reason', exc)}") from None
    if not 200 <= status < 300:
        raise GiteaError(f"Gitea 接口 {method} {url} 返回 {status}，不是成功的答复：评论没有发表")
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except ValueError:
        raise GiteaError(f"Gitea 接口 {method} {url} 的答复不是 JSON（可能是登录页或代理的错误页）：请确认 GITEA_SERVER_URL "
                         "指向 Gitea 本身") from None


def pull_request_number(environ: Mapping[str, str]) -> int:
    path = environ.get("GITHUB_EVENT_PATH")
    if not path or not Path(path).is_file():
        raise GiteaError("没有找到事件文件（GITHUB_EVENT_PATH）：这个步骤只在合并请求的检查中运行")
    event = json.loads(Path(path).read_text(encoding="utf-8"))
    number = (event.get("pull_request") or {}).get("number") or event.get("number")
    if not isinstance(number, int):
        raise GiteaError("事件中没有合并请求编号：这个步骤只在 pull_request 触发的检查中运行")
    return number


def body_of(summary: str) -> str:
    text = summary.strip() or "（没有输出）"
    if len(text) > MAX_BODY:
        text = text[:MAX_BODY] + "\n\n……（内容过长，已截断；完整结果见作业日志）"
    return f"{MARKER}\n{text}\n"


def post_summary(summary: str, environ: Mapping[str, str]) -> str:
    """Create or update the pull request's summary comment; returns "created" or "updated"."""
    server = (environ.get("GITEA_SERVER_URL") or environ.get("GITHUB_SERVER_URL") or "").rstrip("/")
    repository = environ.get("GITHUB_REPOSITORY", "")
    token = environ.get("GITEA_TOKEN") or environ.get("GITHUB_TOKEN") or ""
    if not server or "/" not in repository:
        raise GiteaError("缺少 GITHUB_SERVER_URL 或 GITHUB_REPOSITORY：请在 Gitea Actions 中运行")
    if not token:
        raise GiteaError("缺少令牌：在工作流中设置 env: GITEA_TOKEN: ${{ secrets.GITHUB_TOKEN }}（或专用令牌）")
    number = pull_request_number(environ)
    api = f"{server}/api/v1/repos/{repository}"
    body = body_of(summary)
    me = _request("GET", f"{server}/api/v1/user", token)
    login = me.get("login") if isinstance(me, dict) else None
    if not isinstance(login, str) or not login:
        raise GiteaError("Gitea 没有说明令牌属于哪个用户（GET /api/v1/user）：请确认令牌有效")
    comments = _request("GET", f"{api}/issues/{number}/comments", token) or []
    if not isinstance(comments, list):
        raise GiteaError("Gitea 返回的评论列表格式不对：评论没有发表")
    mine = [c for c in comments if isinstance(c, dict) and str(c.get("body", "")).startswith(MARKER)
            and isinstance(c.get("user"), dict) and c["user"].get("login") == login and isinstance(c.get("id"), int)]
    if mine:
        _request("PATCH", f"{api}/issues/comments/{mine[-1]['id']}", token, {"body": body})
        return "updated"
    _request("POST", f"{api}/issues/{number}/comments", token, {"body": body})
    return "created"


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("用法：python -m generator.checking.gitea 摘要文件.md", file=sys.stderr)
        return 2
    try:
        summary = Path(args[0]).read_text(encoding="utf-8")
    except OSError as exc:
        print(f"无法读取 {args[0]}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        done = post_summary(summary, os.environ if environ is None else environ)
    except GiteaError as exc:
        print(f"未能发表评论：{exc}", file=sys.stderr)
        return 1
    print("已发表检查摘要评论" if done == "created" else "已更新检查摘要评论")
    return 0


if __name__ == "__main__":
    sys.exit(main())
