"""The form editor: Decap CMS's config generated from the schema (no second schema); ``ipreg admin`` serves the real
editor and its local backend with Python alone (driven in headless Chromium: create, edit, a save refused with the
Chinese findings, requests from other pages refused); the public site has no /admin/; ``--export`` refuses a set-up
that would log in through an outside demo service."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.editor.config import admin_config
from generator.schema import ENTERPRISE_SCHEMA
from tests.helpers import CLI, ROOT, browser_path, git, required, scratch_checkout, tool
from tests.sitekit import build, ipreg, make_uscc

SCHEMA = json.loads(Path(ENTERPRISE_SCHEMA).read_text(encoding="utf-8"))
DECAP = ROOT / "tools" / "admin" / "decap"


def _walk_schema(spec: dict[str, Any], path: str = "", optional: bool = False) -> dict[str, tuple[bool, dict[str, Any]]]:
    """Every property of the schema by dotted path -> (required in the form, resolved spec). Inside an optional object
    nothing is required in the form (Decap would demand the fields of an object the clerk left empty); a list item
    that exists is checked as the schema says."""
    defs = SCHEMA["$defs"]
    out = {}
    required = set(spec.get("required", [])) | set(spec.get("then", {}).get("required", []))  # the top level: then.required
    for name, prop in spec.get("properties", {}).items():
        resolved = {**defs.get(prop.get("$ref", "").rsplit("/", 1)[-1], {}), **prop}
        key = f"{path}{name}"
        out[key] = (name in required and not optional, resolved)
        if resolved.get("type") == "object":
            out.update(_walk_schema(resolved, key + ".", optional or name not in required))
        elif resolved.get("type") == "array" and resolved.get("items", {}).get("type") == "object":
            out.update(_walk_schema(resolved["items"], key + "[]."))
    return out


def _walk_fields(fields: list[dict[str, Any]], path: str = "") -> dict[str, dict[str, Any]]:
    out = {}
    for field in fields:
        key = f"{path}{field['name']}"
        out[key] = field
        if field.get("widget") == "object":
            out.update(_walk_fields(field["fields"], key + "."))
        elif field.get("widget") == "list" and "fields" in field:
            out.update(_walk_fields(field["fields"], key + "[]."))
    return out


def test_generated_config_agrees_with_the_schema() -> None:
    config = admin_config(SCHEMA)
    [collection] = config["collections"]
    assert (collection["folder"], collection["extension"], collection["format"], collection["identifier_field"], collection["slug"]) == (
        "records", "yaml", "yaml", "uscc", "{{uscc}}")
    assert config["locale"] == "zh_Hans" and config["publish_mode"] == "editorial_workflow" and collection["delete"] is False
    schema, fields = _walk_schema(SCHEMA), _walk_fields(collection["fields"])
    assert set(schema) == set(fields)  # every property is a field, and no field the schema does not have
    for key, (needed, spec) in schema.items():
        field = fields[key]
        assert field["label"] == spec.get("title", key.rsplit(".", 1)[-1]), key
        assert field["required"] is needed, key
        if spec.get("format") == "date":
            assert (field["widget"], field["pattern"][0]) == ("ipreg-date", r"^\d{4}-\d{2}-\d{2}$"), key
        elif "enum" in spec:
            assert field["widget"] == "select" and [o["value"] for o in field["options"]] == spec["enum"], key
            assert all(re.search(r"[\u4e00-\u9fff]", o["label"]) for o in field["options"]), key  # Chinese labels
        elif spec.get("type") == "integer":
            assert (field["widget"], field["value_type"]) == ("number", "int"), key
        elif spec.get("type") == "boolean":
            assert field["widget"] == "boolean" and "default" not in field, key
        if spec.get("pattern") and spec.get("type") == "string" and "enum" not in spec and spec.get("format") != "date":
            assert field["pattern"][0] == spec["pattern"], key
    top = [f["name"] for f in collection["fields"]]
    assert top[:6] == ["uscc", "name", "established", "legal_person", "industry", "main_products"] and top[-1] == "events"
    assert top.index("copyrights") == top.index("trademarks") + 1  # where records write it
    events = next(f for f in collection["fields"] if f["name"] == "events")
    assert "ipreg decide" in events["hint"] and "证书编号" in events["hint"]  # decisions are numbered by ipreg decide


def _vendor_script() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("vendor_decap", ROOT / "tools" / "admin" / "vendor-decap.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vendored_decap_is_the_release_plus_its_patch() -> None:
    """tools/admin/decap.patch holds ipreg's changes to decap-cms.js: undone, the file is byte for byte the release
    (its SHA-256 is in the patch); tools/admin/vendor-decap.py makes it again from package.json's version."""
    import hashlib

    vendor = _vendor_script()
    meta, pairs = vendor.read_patch()
    text = (DECAP / "decap-cms.js").read_text(encoding="utf-8")
    assert len(pairs) == 5 and all(text.count(new) == 1 and old not in text for old, new in pairs)
    original = vendor.undo(text, pairs)
    assert hashlib.sha256(original.encode("utf-8")).hexdigest() == meta["original sha256"]
    assert vendor.apply(original, pairs) == text
    assert json.loads((ROOT / "tools" / "admin" / "package.json").read_text(encoding="utf-8"))["vendored"]["decap-cms"] == meta["version"]


def test_vendored_decap_keeps_the_uscc_case_of_new_files() -> None:
    """The patch's effect: new entries' slugs are not lowercased."""
    text = (DECAP / "decap-cms.js").read_text(encoding="utf-8")
    assert "function Kl(e){return e.trim().replace(" in text and "function Kl(e){return e.trim().toLocaleLowerCase()" not in text


def test_every_vendored_decap_file_is_in_the_manifest_with_its_hash() -> None:
    """tools/admin/decap/SHA256SUMS lists every file ipreg serves, each as it is (the chunks with the release's
    SHA-256, written by vendor-decap.py from the verified npm tarball), and names the release decap.patch undoes to."""
    from generator.editor.vendored import INTEGRITY, RELEASE, read_manifest, verify

    assert verify(DECAP) == []
    entries, problems = read_manifest(DECAP)
    assert problems == [] and set(entries) == {p.name for p in DECAP.glob("*.js")} and "decap-cms.js" in entries
    assert len([n for n in entries if n.endswith(".decap-cms.js")]) == 94  # the release's lazily loaded chunks
    text = (DECAP / "SHA256SUMS").read_text(encoding="utf-8")
    version = json.loads((ROOT / "tools" / "admin" / "package.json").read_text(encoding="utf-8"))["vendored"]["decap-cms"]
    integrity, release = INTEGRITY.search(text), RELEASE.search(text)
    assert integrity and integrity.group(1) == f"decap-cms-{version}.tgz" and len(integrity.group(2)) == len("sha512-") + 88
    patch = (ROOT / "tools" / "admin" / "decap.patch").read_text(encoding="utf-8")
    assert release and f"# original sha256: {release.group(1)}" in patch.splitlines()
    assert [line for line in text.splitlines() if not line.startswith("#")] == sorted(
        (line for line in text.splitlines() if not line.startswith("#")), key=lambda line: line.split("  ", 1)[1])


def _tamper(folder: Path, how: str) -> str:
    """Change a copy of the vendored folder one way; the file name the check must name."""
    if how == "chunk":
        data = bytearray((folder / "103.decap-cms.js").read_bytes())
        data[len(data) // 2] ^= 1  # one bit of one byte
        (folder / "103.decap-cms.js").write_bytes(bytes(data))
        return "103.decap-cms.js"
    if how == "main":
        (folder / "decap-cms.js").write_bytes((folder / "decap-cms.js").read_bytes() + b";fetch('/api/v1')")
        return "decap-cms.js"
    if how == "extra":
        (folder / "9999.decap-cms.js").write_text("fetch('/api/v1')", encoding="utf-8")
        return "9999.decap-cms.js"
    if how == "missing":
        (folder / "977.decap-cms.js").unlink()
        return "977.decap-cms.js"
    text = (folder / "SHA256SUMS").read_text(encoding="utf-8")  # "manifest": a line whose hash is not 64 hex digits
    (folder / "SHA256SUMS").write_text(text.replace("  117.decap-cms.js", "0  117.decap-cms.js"), encoding="utf-8")
    return "第 "


@pytest.mark.parametrize("how", ["chunk", "main", "extra", "missing", "manifest"])
def test_a_tampered_vendored_file_is_found_not_served_not_exported(tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from generator.editor.config import export
    from generator.editor.vendored import asset, verify

    root = tmp_path / "repo"
    folder = root / "tools" / "admin" / "decap"
    shutil.copytree(DECAP, folder)
    (root / "schemas").symlink_to(ROOT / "schemas")
    assert verify(folder) == [] and asset(folder, "2031.decap-cms.js") == (DECAP / "2031.decap-cms.js").read_bytes()
    name = _tamper(folder, how)
    problems = verify(folder)
    assert problems and name in problems[0] and all(re.search(r"[\u4e00-\u9fff]", p) for p in problems), problems
    assert len(problems) == (2 if how == "manifest" else 1), problems  # a malformed line: its file is then unlisted too
    if how != "manifest":
        assert asset(folder, name) is None  # a changed, unlisted or missing file is not served
    assert asset(folder, "2031.decap-cms.js") == (DECAP / "2031.decap-cms.js").read_bytes()  # the others still are
    backend = {"name": "gitea", "repo": "b/ipreg", "app_id": "x", "base_url": "https://git.example.local", "api_root": "https://git.example.local/api/v1"}
    assert export(tmp_path / "admin", root, {"backend": backend}, "西平县") == 2
    err = capsys.readouterr().err
    assert "没有写入任何文件" in err and name in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]  # nothing written


def test_asset_serves_only_listed_files_as_they_are(tmp_path: Path) -> None:
    from generator.editor.vendored import asset

    assert asset(DECAP, "decap-cms.js") == (DECAP / "decap-cms.js").read_bytes()
    for name in ("README.txt", "SHA256SUMS", "../decap.patch", "nothing.js", ""):
        assert asset(DECAP, name) is None, name
    assert asset(tmp_path, "decap-cms.js") is None  # no manifest, nothing served


@pytest.mark.slow
def test_the_public_site_has_no_back_office(tmp_path: Path) -> None:
    from tests.sitekit import fixtures, scratch_repo

    repo = scratch_repo(tmp_path / "repo", {"machine": fixtures()["machine"]})
    assert build(repo).returncode == 0
    site = repo / "site"
    assert not (site / "admin").exists()
    everything = b"".join(p.read_bytes() for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".js"))
    for word in (b"decap", b"netlify", b"demo.decapcms", b"xiping-amr/ipreg"):
        assert word not in everything.lower(), word


@pytest.mark.parametrize(
    "backend,ok",
    [
        ({"name": "github", "repo": "bureau/ipreg", "branch": "main"}, False),  # would log in through Netlify's demo service
        ({"name": "github", "repo": "bureau/ipreg", "branch": "main", "base_url": "https://auth.example.gov.cn"}, True),
        (
            {
                "name": "gitea",
                "repo": "bureau/ipreg",
                "app_id": "x",
                "base_url": "https://git.example.local",
                "api_root": "https://git.example.local/api/v1",
            },
            True,
        ),
        ({"name": "gitea", "repo": "bureau/ipreg"}, False),
    ],
)
def test_export_for_a_staff_server(tmp_path: Path, backend: dict[str, str], ok: bool) -> None:
    from generator.editor.config import export

    target = tmp_path / "admin"
    code = export(target, ROOT, {"backend": backend}, "某县")
    assert (code == 0) is ok and target.exists() is ok
    if ok:
        assert "<title>备案记录表单编辑（本机） · 某县知识产权强企名单</title>" in (target / "index.html").read_text(encoding="utf-8")
        config = yaml.safe_load((target / "config.yml").read_text(encoding="utf-8"))
        assert config["backend"] == backend and "local_backend" not in config and (target / "decap-cms.js").is_file()
        from generator.editor.vendored import asset, read_manifest

        entries = read_manifest(target)[0]  # the manifest goes along: sha256sum -c SHA256SUMS on the staff server
        assert set(entries) == {p.name for p in target.glob("*.js")} == {p.name for p in DECAP.glob("*.js")}
        assert all(asset(target, name) == (DECAP / name).read_bytes() for name in entries)


# --- the real editor, served by ipreg admin ----------------------------------------------------------------------


@pytest.fixture()
def editor(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A clone of the samples under git and ``ipreg admin`` on it, with no Node on the PATH."""
    required("Chromium or Chrome", browser_path())
    repo = scratch_checkout(tmp_path / "repo")
    (repo / "tools").mkdir()
    (repo / "tools" / "admin").symlink_to(ROOT / "tools" / "admin")
    for args in (["init", "-q"], ["add", "records", "policy.yml"], ["commit", "-qm", "samples"]):
        git(repo, *args)
    bin_dir = tmp_path / "bin"  # only python and git: an office PC without Node
    bin_dir.mkdir()
    for name, target in (("python3", sys.executable), ("git", tool("git"))):
        assert target is not None
        (bin_dir / name).symlink_to(target)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "IPREG_TODAY": "2026-11-25", "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [*CLI, "admin", "--no-browser", "--port", "0"],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/admin/", line)
    if not match:
        server.kill()
        raise AssertionError((line, server.communicate(timeout=10)))
    try:
        yield repo, match.group(0)
    finally:
        server.terminate()
        server.communicate(timeout=10)


def _open(browser: Any, url: str) -> tuple[Any, float]:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    start = time.perf_counter()
    page.goto(url)
    page.get_by_role("button").first.wait_for(timeout=15_000)
    loaded = time.perf_counter() - start
    page.get_by_role("button").first.click()  # 登录 (the local backend)
    page.get_by_text("企业备案记录").first.wait_for(timeout=15_000)
    return page, loaded


def _field(page: Any, label: str) -> Any:
    target = page.locator("label", has_text=re.compile("^" + re.escape(label))).last.get_attribute("for")
    return page.locator(f"[id='{target}']")


def _select(page: Any, label: str, option: str) -> None:
    _field(page, label).click(force=True)
    page.keyboard.type(option)
    page.keyboard.press("Enter")


def _publish(page: Any) -> None:
    page.get_by_text("发布", exact=True).first.click()
    page.get_by_text("立即发布").first.click()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.get_by_text("含未保存的修改").wait_for(state="hidden", timeout=15_000)
    except PlaywrightTimeout:
        errors = page.locator("[class*='ControlErrorsList'] li, [class*='error']").all_inner_texts()
        page.screenshot(path=str(Path(os.environ.get("TMPDIR", "/tmp")) / "ipreg-admin-failed.png"), full_page=True)
        raise AssertionError(f"Decap did not save: {errors[:10]}") from None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    chromium = required("Chromium or Chrome", browser_path())
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield instance
        instance.close()


@pytest.mark.browser
def test_edit_a_record_in_the_form_adds_the_event_and_keeps_the_data(editor: tuple[Path, str], browser: Any) -> None:
    repo, url = editor
    target = repo / "records" / "91411721MA45A0038J.yaml"
    before = yaml.safe_load(target.read_text(encoding="utf-8"))
    page, loaded = _open(browser, url)
    print(f"the editor's first screen in {loaded:.2f} s")  # measured, not asserted: wall-clock limits live in benchmarks/ (HACKING.md)
    page.goto(url + "#/collections/records/entries/91411721MA45A0038J")
    page.locator("button", has_text="新增备案事件").click()
    _field(page, "日期").fill("2026-11-20")
    _select(page, "事件类型", "复核未通过")
    _field(page, "文号").fill("西市监〔2026〕40号")
    _publish(page)
    page.close()
    after = yaml.safe_load(target.read_text(encoding="utf-8"))
    added = after["events"].pop()
    assert added == {"date": __import__("datetime").date(2026, 11, 20), "type": "review_failed", "document": "西市监〔2026〕40号"}
    assert after == before  # nothing else in the data changed (comments and flow lists are rewritten, the values are not)
    numstat = subprocess.run(
        ["git", "diff", "--numstat", "--", "records/91411721MA45A0038J.yaml"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split()
    added, deleted = int(numstat[0]), int(numstat[1])
    print(f"form round trip of a sample record: {added} lines added (3 of them the event), {deleted} deleted")
    assert added - 3 <= 6 and deleted <= 6, (added, deleted)  # comments, quotes and flow lists only
    check = ipreg(repo, "check", "--today", "2026-11-25", "records/91411721MA45A0038J.yaml")
    assert check.returncode == 0, check.stdout
    status = json.loads(ipreg(repo, "status", "--format", "json", "--today", "2026-11-25").stdout)
    assert {r["uscc"]: r["status"] for r in status["enterprises"]}["91411721MA45A0038J"] == "conditional"


@pytest.mark.browser
def test_create_an_enterprise_in_the_form_passes_the_check(editor: tuple[Path, str], browser: Any) -> None:
    repo, url = editor
    code = make_uscc("MA0FRM01")
    page, _ = _open(browser, url)
    page.goto(url + "#/collections/records/new")
    page.get_by_text("含未保存的修改").or_(page.locator("label", has_text="统一社会信用代码")).first.wait_for(timeout=15_000)
    assert not page.get_by_text("修改已保存", exact=True).is_visible()  # nothing was saved yet
    _field(page, "统一社会信用代码").fill(code)
    _field(page, "企业名称").fill("西平县表单示例农机有限公司")
    _field(page, "成立日期").fill("2015-03-01")
    _field(page, "具有独立法人资格").click()
    _field(page, "行业大类代码").fill("C35")
    _field(page, "行业大类名称").fill("专用设备制造业")
    page.locator("button", has_text="新增主营产品（服务）").click()
    _field(page, "主营产品（服务）").fill("玉米脱粒机")
    _select(page, "备案类别", "储备企业")
    _field(page, "推荐理由").fill("县内农机行业专利转化成效显著")
    _field(page, "符合产业政策").click()
    _field(page, "符合环保要求").click()
    page.locator("button", has_text="新增专利").click()
    _field(page, "专利申请号").fill("202010566088.9")
    _select(page, "专利类型", "发明")
    _field(page, "专利名称").fill("一种脱粒滚筒")
    _field(page, "授权公告日").fill("2022-04-12")
    page.locator("button", has_text="新增备案事件").click()
    _field(page, "日期").fill("2026-11-20")
    _select(page, "事件类型", "申报")
    _publish(page)
    page.close()
    created = repo / "records" / f"{code}.yaml"
    assert created.is_file()
    data = yaml.safe_load(created.read_text(encoding="utf-8"))
    assert (
        data["uscc"] == code
        and data["patents"][0]["number"] == "202010566088.9"
        and isinstance(data["established"], type(data["events"][0]["date"]))
    )
    check = ipreg(repo, "check", "--today", "2026-11-25", f"records/{code}.yaml")
    assert check.returncode == 0, check.stdout


def _api(url: str, payload: Any, origin: str | None = None, kind: str = "application/json") -> tuple[int, Any]:
    import urllib.error
    import urllib.request

    api = url.replace("/admin/", "/api/v1")
    headers = {"Content-Type": kind, **({"Origin": origin} if origin else {})}
    request = urllib.request.Request(api, data=json.dumps(payload).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


@pytest.mark.slow
def test_a_save_with_errors_is_refused_with_the_chinese_findings(editor: tuple[Path, str]) -> None:
    repo, url = editor
    path = "records/91411721MA45A0038J.yaml"
    before = (repo / path).read_bytes()
    opened = _api(url, {"action": "getEntry", "params": {"path": path}})[1]
    broken = before.decode("utf-8").replace("legal_person: true", "legal_person: false")
    code, answer = _persist(url, path, broken, opened["file"]["id"])
    assert code == 422 and "没有保存" in answer["error"] and "art4" not in answer["error"], answer
    assert {"field": "具有独立法人资格", "where": ""} in [{k: f[k] for k in ("field", "where")} for f in answer["findings"]], answer
    assert (repo / path).read_bytes() == before
    good = before.decode("utf-8").replace("address:", "address:", 1)
    code, answer = _persist(url, path, good, opened["file"]["id"])
    assert code == 200 and answer["ids"] == {path: opened["file"]["id"]}, answer


@pytest.mark.slow
@pytest.mark.parametrize(
    "payload,origin,kind,status",
    [
        (
            {"action": "persistEntry", "params": {"dataFiles": [{"path": "records/../policy.yml", "raw": "x"}], "assets": []}},
            None,
            "application/json",
            422,
        ),
        (
            {"action": "persistEntry", "params": {"dataFiles": [{"path": "mkdocs.yml", "raw": "x"}], "assets": []}},
            None,
            "application/json",
            422,
        ),
        ({"action": "deleteFile", "params": {"path": "records/91411721MA45A0038J.yaml"}}, None, "application/json", 422),
        ({"action": "info"}, "http://evil.example", "application/json", 403),  # another web page in the clerk's browser
        ({"action": "info"}, None, "text/plain", 415),  # a form post from another page (no preflight)
    ],
)
def test_the_local_backend_writes_records_only_and_only_for_its_own_page(
    editor: tuple[Path, str], payload: Any, origin: str | None, kind: str, status: int
) -> None:
    repo, url = editor
    before = {p: p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file() and ".git" not in p.parts}
    code, answer = _api(url, payload, origin, kind)
    assert code == status and re.search(r"[\u4e00-\u9fff]", str(answer)), answer
    assert {p: p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file() and ".git" not in p.parts} == before


def _on_screen(notice: Any) -> None:
    """Wait for a notice of the form and assert it is on the screen, where the clerk looks (1366 × 900)."""
    notice.wait_for(state="visible", timeout=15_000)
    notice.evaluate("""e => new Promise(done => { const t0 = performance.now(); (function look() {
        const r = e.getBoundingClientRect();  // the notice slides in from the right: wait until it is on the screen
        if ((r.left >= 0 && r.right <= innerWidth && r.top >= 0) || performance.now() - t0 > 5000) done(); else requestAnimationFrame(look);
    })(); })""")
    box = notice.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1366 and 0 <= box["y"] < 900, box


@pytest.mark.browser
def test_the_form_shows_why_a_save_was_refused(editor: tuple[Path, str], browser: Any) -> None:
    repo, url = editor
    page, _ = _open(browser, url)
    page.goto(url + "#/collections/records/entries/91411721MA45A0038J")
    page.locator("button", has_text="新增备案事件").click()
    _field(page, "日期").fill("2020-01-01")  # before the record's first event: out of order
    _select(page, "事件类型", "取消资格")
    _field(page, "文号").fill("西市监〔2020〕1号")
    page.get_by_text("发布", exact=True).first.click()
    page.get_by_text("立即发布").first.click()
    panel = page.locator("[data-ipreg-findings]")
    _on_screen(panel)
    if os.environ.get("IPREG_SHOTS"):
        page.screenshot(path=str(Path(os.environ["IPREG_SHOTS"]) / "admin-refused.png"))
    shown = panel.inner_text()
    assert "没有保存" in shown and "记录有" in shown and "备案事件" in shown and "[events" not in shown, shown[:2000]
    page.wait_for_timeout(500)
    assert "API_ERROR" not in page.locator("body").inner_text() and "保存内容失败" not in page.locator("body").inner_text()
    panel.locator("a").first.click()  # the field's name takes the clerk to the field
    assert panel.evaluate("e => e.scrollHeight <= e.clientHeight || getComputedStyle(e).overflowY === 'auto'")
    page.set_viewport_size({"width": 360, "height": 740})  # a tablet held upright: the list fits the screen
    box = panel.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["y"] >= 0 and box["y"] + box["height"] <= 740, box
    if os.environ.get("IPREG_SHOTS"):
        page.screenshot(path=str(Path(os.environ["IPREG_SHOTS"]) / "admin-refused-360.png"))
    page.close()
    assert subprocess.run(["git", "diff", "--quiet"], cwd=repo, check=False).returncode == 0  # nothing written


FOCUSED = """() => {  // the focused input, the list item it is in (its list and number) and whether the clerk sees it
    const e = document.activeElement, item = e.closest("[class*='SortableListItem']"), r = e.getBoundingClientRect();
    const list = item && item.parentElement.closest("[id*='-field-']");
    const top = document.elementFromPoint(r.left + 8, r.top + r.height / 2);  // what is drawn there: the input, not the list
    return {id: e.id, value: e.value, list: list && list.id.replace(/-field-\\d+$/, ""),
            item: item && [...item.parentElement.children].indexOf(item), box: [r.left, r.top, r.right, r.bottom],
            seen: !!top && (top === e || e.contains(top) || e.parentElement.contains(top))};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(1366, 900), (360, 740)])
def test_a_finding_takes_the_clerk_to_its_field_in_its_list_item(editor: tuple[Path, str], browser: Any, width: int, height: int) -> None:
    """Issue 40: the field's name in the list of findings opens the 3rd patent (not the first one with a 授权公告日), the
    1st event's 审核意见 (its 审核日期, not the event's own 日期) or the 2nd event (not the first 日期 of the form), puts the
    cursor in the date and shows it on the screen, above the list. (The assessment is on the filing: design section 10
    allows it on applied and filed events only.)"""
    repo, url = editor
    record = repo / "records" / "91411721MA45A0046D.yaml"
    sample = record.read_text(encoding="utf-8")
    broken = sample.replace("granted: 2020-01-12", "granted: 2020-02-30").replace("date: 2026-03-20", "date: 2026-03-32").replace(
        "西市监〔2022〕15号\n", "西市监〔2022〕15号\n    assessment:\n      by: 科员\n      opinion: 同意\n      date: 2022-02-31\n")
    record.write_text(broken, encoding="utf-8")
    page, _ = _open(browser, url)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url + "#/collections/records/entries/91411721MA45A0046D")
    _field(page, "企业地址").fill("西平县示例路 1 号")  # a change, so that 发布 saves
    page.get_by_text("发布", exact=True).first.click()
    page.get_by_text("立即发布").first.click()
    panel = page.locator("[data-ipreg-findings]")
    panel.wait_for(timeout=15_000)
    links = panel.locator("a")
    assert links.all_inner_texts() == ["授权公告日", "审核日期", "日期"], panel.inner_text()
    assert not _field(page, "授权公告日").is_visible()  # the patents are collapsed until a link opens one
    wanted = [("patents", 2, "granted", "2020-02-30"), ("events", 0, "date", "2022-02-31"), ("events", 1, "date", "2026-03-32")]
    for n, (wanted_list, item, field, value) in enumerate(wanted):
        links.nth(n).click()
        page.wait_for_function(f"() => (document.activeElement.id || '').startsWith('{field}-field-')", timeout=5_000)
        page.wait_for_timeout(300)  # the scroll has settled
        at = page.evaluate(FOCUSED)
        if os.environ.get("IPREG_SHOTS"):
            page.screenshot(path=str(Path(os.environ["IPREG_SHOTS"]) / f"admin-jump-{field}-{width}.png"))
        left, top, right, bottom = at["box"]
        assert (at["list"], at["item"], at["value"]) == (wanted_list, item, value), at
        assert left >= 0 and top >= 0 and right <= width and bottom <= height and at["seen"], at
    page.close()
    assert record.read_text(encoding="utf-8") == broken  # refused: nothing written


@pytest.mark.slow
def test_the_editor_answers_as_localhost_too(editor: tuple[Path, str]) -> None:
    """A clerk may type localhost instead of 127.0.0.1: same server, same page (Decap's API address is relative)."""
    _, url = editor
    code, answer = _api(
        url.replace("127.0.0.1", "localhost"), {"action": "info"}, origin=url.replace("127.0.0.1", "localhost").rsplit("/admin/", 1)[0]
    )
    assert code == 200 and answer["publish_modes"] == ["simple"]
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:
        assert "<title>备案记录表单编辑（本机） · 西平县知识产权强企名单</title>" in response.read().decode("utf-8")  # policy.yml's county
    with urllib.request.urlopen(url + "config.yml", timeout=30) as response:
        config = yaml.safe_load(response.read())
    assert config["backend"] == {"name": "proxy", "proxy_url": "/api/v1", "branch": "main"} and config["publish_mode"] == "simple"


@pytest.mark.browser
def test_the_preview_shows_choices_by_their_chinese_names(editor: tuple[Path, str], browser: Any) -> None:
    """Issue 26: the preview beside the form says 知识产权优势企业 and 发明, not advantage and invention."""
    _, url = editor
    page, _ = _open(browser, url)
    page.goto(url + "#/collections/records/entries/91411721MA45A0038J")
    preview = page.frame_locator("iframe").first
    shown = preview.locator("[data-ipreg-select]")
    shown.first.wait_for(timeout=15_000)
    texts = shown.all_inner_texts()
    page.close()
    assert "知识产权优势企业（advantage）" in texts, texts
    assert "发明（invention）" in texts, texts
    assert "advantage" not in texts and "invention" not in texts


@pytest.mark.browser
def test_dates_are_shown_and_typed_as_yyyy_mm_dd_without_a_time_zone(editor: tuple[Path, str], browser: Any) -> None:
    """Issue 26: an English or Chinese browser alike shows 2009-03-12 (not 03/12/2009), with no "UTC" and no time."""
    _, url = editor
    page, _ = _open(browser, url)
    page.goto(url + "#/collections/records/entries/91411721MA45A0038J")
    field = _field(page, "成立日期")
    field.wait_for(timeout=15_000)
    shown = field.input_value()
    form = page.locator("form, [class*='ControlPane'], main").first.inner_text()
    pickers = page.locator("[data-ipreg-pick]").count()
    page.close()
    assert shown == "2009-03-12"
    assert "UTC" not in form and "现在" not in form
    assert pickers >= 1  # a calendar button beside each date


# --- two people, one record (issue 35): a save never erases what changed since the form opened the record ---------------

SAMPLE = "records/91411721MA45A0038J.yaml"
REVOKE = ("decide", "--type", "revoked", "--date", "2026-11-24", "--document", "西市监〔2026〕60号", "--today", "2026-11-25",
          "91411721MA45A0038J")


def _statuses(repo: Path) -> dict[str, str]:
    answer = json.loads(ipreg(repo, "status", "--format", "json", "--today", "2026-11-25").stdout)
    return {r["uscc"]: r["status"] for r in answer["enterprises"]}


def _persist(url: str, path: str, raw: str, known: str | None) -> tuple[int, Any]:
    return _api(url, {"action": "persistEntry", "params": {"dataFiles": [{"path": path, "raw": raw, "ipregId": known}], "assets": []}})


def _record_facts(repo: Path) -> None:
    """The facts a revocation needs (design section 3 v4), recorded before the form opens the sample."""
    record = repo / SAMPLE
    facts = ("  violations:\n    - date: 2026-10-09\n      authority: 西平县消防救援大队\n"
             "      document: 西消行罚决字〔2026〕9号\n      summary: 罚款\n")
    record.write_text(record.read_text(encoding="utf-8").replace("  dishonesty: []\n", "  dishonesty: []\n" + facts, 1), encoding="utf-8")


@pytest.mark.slow
def test_a_save_from_a_form_opened_before_a_decision_is_refused_and_the_decision_stays(editor: tuple[Path, str]) -> None:
    """The reproduction of issue 35, item 1, through the API: open, ``ipreg decide --type revoked``, save an unrelated
    change. Was: 200 entry persisted, the revocation gone, the enterprise 有效 and listed again."""
    repo, url = editor
    _record_facts(repo)
    opened = _api(url, {"action": "getEntry", "params": {"path": SAMPLE}})[1]
    decided = ipreg(repo, *REVOKE)
    assert decided.returncode == 0, decided.stderr
    revoked = (repo / SAMPLE).read_bytes()
    stale = opened["data"].replace("established:", "address: 西平县产业集聚区示例路 1 号\nestablished:", 1)
    code, answer = _persist(url, SAMPLE, stale, opened["file"]["id"])
    assert code == 409, answer
    assert "在您打开之后已被修改（新增了一个取消资格决定（2026-11-24，西市监〔2026〕60号））" in answer["error"], answer
    assert "请重新打开再改" in answer["error"]
    assert (repo / SAMPLE).read_bytes() == revoked and _statuses(repo)["91411721MA45A0038J"] == "revoked"
    again = _api(url, {"action": "getEntry", "params": {"path": SAMPLE}})[1]  # reopened: the form shows the decision
    fresh = again["data"].replace("established:", "address: 西平县产业集聚区示例路 1 号\nestablished:", 1)
    code, answer = _persist(url, SAMPLE, fresh, again["file"]["id"])
    assert code == 200, answer
    kept = yaml.safe_load((repo / SAMPLE).read_text(encoding="utf-8"))
    assert kept["address"] == "西平县产业集聚区示例路 1 号" and kept["events"][-1]["type"] == "revoked"
    # the same form saves again with the id the first save answered (not refused by its own save)
    code, answer = _persist(url, SAMPLE, fresh.replace("示例路 1 号", "示例路 2 号"), answer["ids"][SAMPLE])
    assert code == 200, answer
    assert yaml.safe_load((repo / SAMPLE).read_text(encoding="utf-8"))["events"][-1]["type"] == "revoked"


@pytest.mark.slow
@pytest.mark.parametrize("known", [None, "0" * 64])
def test_a_save_that_would_overwrite_a_record_it_did_not_open_is_refused(editor: tuple[Path, str], known: str | None) -> None:
    """A new form for a USCC whose record exists (created meanwhile), or a form with another file's id: 409, nothing written."""
    repo, url = editor
    before = (repo / SAMPLE).read_bytes()
    code, answer = _persist(url, SAMPLE, before.decode("utf-8"), known)
    assert code == 409 and "没有保存" in answer["error"], answer
    assert ("已经有这家企业的记录" if known is None else "在您打开之后已被修改") in answer["error"]
    assert (repo / SAMPLE).read_bytes() == before


@pytest.mark.browser
def test_the_form_says_the_record_changed_since_it_was_opened(editor: tuple[Path, str], browser: Any) -> None:
    """Item 1 driven through the real Decap bundle: the clerk opens the record, a colleague records a revocation with
    ipreg decide, the clerk saves an address: the form shows why nothing was saved, the revocation stays; reopened,
    the same change saves, and a second save from the same form goes through (the form keeps the new id)."""
    repo, url = editor
    _record_facts(repo)
    page, _ = _open(browser, url)
    page.goto(url + "#/collections/records/entries/91411721MA45A0038J")
    address = _field(page, "企业地址")
    address.wait_for(timeout=15_000)
    decided = ipreg(repo, *REVOKE)
    assert decided.returncode == 0, decided.stderr
    revoked = (repo / SAMPLE).read_bytes()
    address.fill("西平县产业集聚区示例路 1 号")
    page.get_by_text("发布", exact=True).first.click()
    page.get_by_text("立即发布").first.click()
    notice = page.get_by_text("在您打开之后已被修改", exact=False).first
    _on_screen(notice)
    assert "新增了一个取消资格决定" in notice.inner_text()
    if os.environ.get("IPREG_SHOTS"):
        page.screenshot(path=str(Path(os.environ["IPREG_SHOTS"]) / "admin-conflict.png"))
    page.close()
    assert (repo / SAMPLE).read_bytes() == revoked
    page, _ = _open(browser, url)  # reopened: the form now holds the decision
    page.goto(url + "#/collections/records/entries/91411721MA45A0038J")
    _field(page, "企业地址").fill("西平县产业集聚区示例路 1 号")
    _publish(page)
    second = _field(page, "企业地址")
    second.press("Control+a")
    second.press("Delete")
    second.fill("西平县产业集聚区示例路 2 号")
    _publish(page)
    page.close()
    kept = yaml.safe_load((repo / SAMPLE).read_text(encoding="utf-8"))
    assert kept["address"] == "西平县产业集聚区示例路 2 号" and kept["events"][-1]["type"] == "revoked"
    assert _statuses(repo)["91411721MA45A0038J"] == "revoked"


# --- malformed requests (issue 35, item 6): 400 with a Chinese reason, never a traceback on the clerk's terminal -------


def _raw(url: str, head: str, body: bytes) -> tuple[int, str]:
    """Send bytes as they are (what urllib would refuse to send) and read the answer."""
    import socket

    port = int(re.search(r":(\d+)/", url).group(1))  # type: ignore[union-attr]
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode("latin-1") + b"\r\n" + body)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, answer.partition(b"\r\n\r\n")[2].decode("utf-8", "replace")


@pytest.fixture()
def served(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    """``ipreg admin`` on a copy of the samples, its process kept to read what it printed."""
    repo = scratch_checkout(tmp_path / "repo")
    (repo / "tools").mkdir()
    if getattr(request, "param", "") == "copy":  # a checkout whose vendored Decap a test may change
        import shutil

        shutil.copytree(ROOT / "tools" / "admin" / "decap", repo / "tools" / "admin" / "decap")
    else:
        (repo / "tools" / "admin").symlink_to(ROOT / "tools" / "admin")
    env = {**os.environ, "IPREG_TODAY": "2026-11-25", "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([*CLI, "admin", "--no-browser", "--port", "0"], cwd=repo, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert server.stdout is not None
    match = re.search(r"http://127\.0\.0\.1:\d+/admin/", server.stdout.readline())
    assert match, server.communicate(timeout=10)
    try:
        yield repo, match.group(0), server
    finally:
        server.kill()
        server.communicate(timeout=10)


def _post(url: str, body: bytes, kind: str = "application/json", length: str | None = None, origin: str | None = None) -> tuple[int, str]:
    host = url.split("//", 1)[1].split("/", 1)[0]
    head = f"POST /api/v1 HTTP/1.1\nHost: {host}\nContent-Type: {kind}\nContent-Length: {len(body) if length is None else length}\n"
    head += (f"Origin: {origin}\n" if origin else "") + "Connection: close\n"
    return _raw(url, head, body)


def _saving(item: str) -> bytes:
    return ('{"action": "persistEntry", "params": {"dataFiles": [' + item + "]}}").encode()


MALFORMED = [
    ("length abc", b'{"action": "info"}', {"length": "abc"}, 400),
    ("length negative", b'{"action": "info"}', {"length": "-5"}, 400),
    ("body a list", b"[]", {}, 400),
    ("body a number", b"1", {}, 400),
    ("params a list", b'{"action": "persistEntry", "params": [1]}', {}, 400),
    ("action a number", b'{"action": 5}', {}, 400),
    ("not json", b"{action", {}, 400),
    ("not utf-8", b'{"action": "\xff"}', {}, 400),
    ("dataFiles a string", b'{"action": "persistEntry", "params": {"dataFiles": "x"}}', {}, 400),
    ("dataFiles of numbers", b'{"action": "persistEntry", "params": {"dataFiles": [1, 2]}}', {}, 400),
    ("no files", b'{"action": "persistEntry", "params": {"dataFiles": [], "entry": null}}', {}, 400),
    ("files a dict", b'{"action": "entriesByFiles", "params": {"files": {"a": 1}}}', {}, 400),
    ("getEntry without path", b'{"action": "getEntry", "params": {}}', {}, 400),
    ("bad id", _saving(f'{{"path": "{SAMPLE}", "raw": "x", "ipregId": 5}}'), {}, 400),
    ("lone surrogate in raw", _saving(f'{{"path": "{SAMPLE}", "raw": "name: \\ud800", "ipregId": null}}'), {}, 400),
    ("lone surrogate in path", _saving('{"path": "records/\\udc00.yaml", "raw": "x"}'), {}, 422),
    ("a type that only starts like JSON", b'{"action": "info"}', {"kind": "application/json-patch+json"}, 415),
    ("JSON in another charset", b'{"action": "info"}', {"kind": "application/json; charset=gbk"}, 415),
    ("a browser extension with the server's host", b'{"action": "info"}', {"origin": "chrome-extension://127.0.0.1:{port}"}, 403),
    ("https with the server's host", b'{"action": "info"}', {"origin": "https://127.0.0.1:{port}"}, 403),
    ("another port", b'{"action": "info"}', {"origin": "http://127.0.0.1:1"}, 403),
    ("the origin as a prefix", b'{"action": "info"}', {"origin": "http://127.0.0.1:{port}.evil.example"}, 403),
]


@pytest.mark.slow
@pytest.mark.parametrize("name,body,options,status", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_request_gets_a_chinese_answer_and_no_traceback(
    served: tuple[Path, str, subprocess.Popen[str]], name: str, body: bytes, options: dict[str, str], status: int
) -> None:
    repo, url, server = served
    port = url.split(":")[2].split("/")[0]
    before = {p: p.read_bytes() for p in sorted((repo / "records").iterdir())}
    options = {k: v.replace("{port}", port) for k, v in options.items()}
    code, text = _post(url, body, **options)
    assert code == status, (code, text)
    assert re.search(r"[\u4e00-\u9fff]", json.loads(text)["error"]), text
    assert {p: p.read_bytes() for p in sorted((repo / "records").iterdir())} == before
    code, text = _post(url, b'{"action": "info"}', origin=url.rsplit("/admin/", 1)[0])  # still serving
    assert code == 200 and json.loads(text)["publish_modes"] == ["simple"]
    server.kill()
    _, printed = server.communicate(timeout=10)
    assert "Traceback" not in printed and "Error" not in printed, printed


@pytest.mark.slow
@pytest.mark.parametrize("served", ["copy"], indirect=True)
def test_the_editor_serves_no_vendored_file_that_differs_from_the_release(served: tuple[Path, str, subprocess.Popen[str]]) -> None:
    """Issue 35, item 4: a pull request that edits a chunk of Decap does not get it run in the clerk's editor (same
    origin as the write API): the server serves only files whose SHA-256 is their line of SHA256SUMS."""
    import urllib.error
    import urllib.request

    repo, url, _ = served
    folder = repo / "tools" / "admin" / "decap"
    chunks = sorted(folder.glob("*.decap-cms.js"))
    changed, kept = chunks[0], chunks[1]
    changed.write_bytes(changed.read_bytes() + b"\nfetch('/api/v1',{method:'POST'});")
    (folder / "extra.js").write_text("alert(1)", encoding="utf-8")
    with urllib.request.urlopen(url + kept.name, timeout=30) as response:
        assert response.status == 200 and response.read() == kept.read_bytes()
    for name in (changed.name, "extra.js", "SHA256SUMS", "README.txt"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + name, timeout=30)
        refused.value.close()
        assert refused.value.code == 404, name


@pytest.mark.network
def test_vendored_decap_is_the_npm_release(tmp_path: Path) -> None:
    """SHA256SUMS is the release's: the tarball npm serves for the pinned version has the integrity SHA256SUMS records,
    and each of its chunks the SHA-256 of their line (so a pull request that changes a chunk and its line together
    fails here). Needs npm and the npm registry (as .ci/run has); skipped, saying so, when the registry cannot be reached."""
    import tarfile

    from generator.editor.vendored import INTEGRITY, RELEASE, read_manifest, sha256

    npm = required("npm", tool("npm"))
    version = json.loads((ROOT / "tools" / "admin" / "package.json").read_text(encoding="utf-8"))["vendored"]["decap-cms"]
    packed = subprocess.run([npm, "pack", f"decap-cms@{version}", "--json", "--silent"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300, check=False)
    if packed.returncode != 0:
        pytest.skip(f"npm registry not reachable: {packed.stderr.strip()[:300]}")
    [info] = json.loads(packed.stdout)
    text = (DECAP / "SHA256SUMS").read_text(encoding="utf-8")
    recorded = INTEGRITY.search(text)
    assert recorded and recorded.group(2) == info["integrity"], (recorded, info["integrity"])
    with tarfile.open(tmp_path / info["filename"]) as archive:
        archive.extractall(tmp_path, filter="data")
    dist = tmp_path / "package" / "dist"
    entries, problems = read_manifest(DECAP)
    assert problems == []
    release = {p.name: sha256(p.read_bytes()) for p in dist.glob("*.decap-cms.js")}
    assert release == {name: digest for name, digest in entries.items() if name != "decap-cms.js"}
    found = RELEASE.search(text)
    assert found and found.group(1) == sha256((dist / "decap-cms.js").read_bytes())


def test_what_changed_is_said_in_a_clerks_words() -> None:
    """The 409's words (generator/editor/changed.py): decisions by their Chinese names with date and 文号, fields by their titles."""
    from generator.editor.changed import describe_change

    old = (ROOT / "tests" / "samples" / SAMPLE).read_bytes()
    text = old.decode("utf-8")
    decided = text.rstrip("\n") + "\n  - date: 2026-11-24\n    type: revoked\n    document: 西市监〔2026〕60号\n"
    assert describe_change(old, decided.encode()) == "新增了一个取消资格决定（2026-11-24，西市监〔2026〕60号）"
    renamed = text.replace("name: 西平县示例牧原饲料有限公司", "name: 西平县示例牧原饲料股份有限公司")
    assert describe_change(old, renamed.encode()) == "修改了“企业名称”"
    assert describe_change(old, text.replace("# 虚构示例数据", "# 示例").encode()) == "文件的写法有改动（注释、空行或引号），内容未变"
    assert describe_change(old, None) == "这个文件已被删除或改名"
    assert "无法列出具体改动" in describe_change(None, old)
    assert describe_change(old, b"\xff: [") == "文件内容有改动"
