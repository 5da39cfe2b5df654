"""The house rules of ARCHITECTURE.md section 1 hold: no import circle, no layer importing a higher one, the environment
and the clock read at the edges only, and every "ARCHITECTURE.md section N" reference lands on a section."""

from __future__ import annotations

import ast
import builtins
import re
from pathlib import Path

from tests.helpers import ROOT

PACKAGE = ROOT / "generator"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def _imports() -> dict[str, set[str]]:
    """Module -> the generator modules it imports anywhere (top level or inside a function)."""
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([node.module] if node.module else []))
                names = [base] + [f"{base}.{a.name}" for a in node.names]
            for name in names:
                while name and name not in modules:
                    name = name.rpartition(".")[0]
                if name and name != module:
                    graph[module].add(name)
    return graph


def test_no_import_circle() -> None:
    graph = _imports()
    seen: dict[str, int] = {}  # 1: on the current path, 2: done
    circles = []

    def visit(module: str, path: list[str]) -> None:
        seen[module] = 1
        for target in sorted(graph[module]):
            if seen.get(target) == 1:
                circles.append(path[path.index(target):] + [target])
            elif target not in seen:
                visit(target, [*path, target])
        seen[module] = 2

    for module in sorted(graph):
        if module not in seen:
            visit(module, [module])
    assert circles == []


def test_no_layer_imports_a_higher_one() -> None:
    graph = _imports()
    assert graph["generator.rules"] <= {"generator.findings"}  # the catalogue knows nothing of the policy
    for module, targets in graph.items():
        if module.startswith("generator.site"):
            assert not {t for t in targets if t.startswith(("generator.cli", "generator.commands"))}, module
        if not module.startswith(("generator.cli", "generator.commands", "generator.__main__")):
            assert "generator.cli" not in targets, module
    for lower in ("generator.lifecycle", "generator.registry", "generator.loader", "generator.schema", "generator.model"):
        assert not {t for t in graph[lower] if t.startswith(("generator.site", "generator.commands", "generator.cli"))}, lower


def test_environment_and_clock_are_read_at_the_edges() -> None:
    """os.environ only in the CLI, MkDocs' plugin and the Gitea step's own entry point, never changed during a build
    (the day a site is built for reaches MkDocs through the plugin); the clock only in inputs.resolve_today."""
    edges = {"generator/cli.py", "generator/site/plugin.py", "generator/gitea.py"}
    for path in PACKAGE.rglob("*.py"):
        name = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or not isinstance(node.value, ast.Name):
                continue
            where = f"{name}:{node.lineno}"
            if node.value.id == "os" and node.attr in ("environ", "getenv", "putenv", "unsetenv"):
                assert name in edges, where
            if (node.value.id, node.attr) in (("datetime", "now"), ("date", "today"), ("time", "time")):
                assert name in ("generator/inputs.py", "generator/site/sitedir.py"), where  # sitedir: the age of a leftover folder


def test_one_base_error_class() -> None:
    """Every exception class of the package derives from generator.errors.IpregError (its message and exit code), so
    the CLI maps one class; only IpregError itself and the CLI's SIGTERM unwinding derive from Python's own."""
    builtin = {name for name in dir(builtins) if isinstance(getattr(builtins, name), type)
               and issubclass(getattr(builtins, name), BaseException)}
    found = []
    for path in PACKAGE.rglob("*.py"):
        name = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and {b.id for b in node.bases if isinstance(b, ast.Name)} & builtin:
                found.append(f"{name}:{node.name}")
    assert sorted(found) == ["generator/cli.py:Terminated", "generator/errors.py:IpregError"]


def test_every_architecture_reference_resolves() -> None:
    sections = {int(n) for n in re.findall(r"^## (\d+)\. ", (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"), re.MULTILINE)}
    assert sections == set(range(1, 10))
    found = 0
    for path in [*ROOT.glob("*.md"), *ROOT.glob("*.yml"), *(ROOT / "generator").rglob("*.py"), *(ROOT / "tests").glob("*.py"),
                 *(ROOT / "docs").glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        # the repository's own document, not a file it lacks
        assert "design.md" not in text or path.name in ("CHANGELOG.md", "test_structure.py"), path
        for first, last in re.findall(r"ARCHITECTURE\.md (?:sections? |第 )(\d+)(?:-(\d+))?", text):
            found += 1
            assert int(first) in sections and (not last or int(last) in sections), (path, first, last)
    assert found >= 15


MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 60
LONGER = {  # functions allowed past MAX_FUNCTION_LINES, and why
    "generator/cli.py:build_parser": "the argparse builder: one statement per option, in the order --help shows them",
}


def test_modules_and_functions_stay_small() -> None:
    """Modules under 400 lines, functions under 60 (ARCHITECTURE.md section 1): a longer one says why in LONGER."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES:
            found.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES and f"{name}:{node.name}" not in LONGER:
                    found.append(f"{name}:{node.name}: {length} lines")
    assert found == []
    assert all(why for why in LONGER.values())
