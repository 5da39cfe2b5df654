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


FAMILIES = ("rules", "checking", "writing", "editor", "staff", "documents", "site", "importing")
EDGE = ("generator.cli", "generator.__main__", "generator.commands")
MAY_IMPORT = {  # family -> the other families it may import, besides the core and rules/ (ARCHITECTURE.md section 1)
    "core": set(),
    "rules": set(),
    "checking": set(),
    "writing": {"checking"},  # a writer checks the whole registry after its change as ipreg check does, in workers
    "editor": {"writing"},  # the form editor writes through the same journal as ipreg decide
    "staff": set(),
    "documents": set(),
    "site": {"checking", "staff"},  # the site checks in workers and publishes the staff's tables and statistics
    "importing": {"writing"},  # ipreg import appends events as ipreg decide does (writing/decisions.py)
}


def _family(module: str) -> str:
    """core, a family, or edge (cli, __main__, commands/): the layer a module belongs to."""
    if module == EDGE[0] or module.startswith(EDGE):
        return "edge"
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in FAMILIES) else "core"


def test_no_layer_imports_a_higher_one() -> None:
    """The layering, stated once: the core imports the core and rules/; a family the core, rules/, itself and what
    MAY_IMPORT names; only the edge imports everything. The catalogue (rules/__init__) imports only findings."""
    graph = _imports()
    assert graph["generator.rules"] <= {"generator.findings"}  # the catalogue knows nothing of the policy
    wrong = []
    for module, targets in graph.items():
        family = _family(module)
        if family == "edge":
            continue
        allowed = {"core", "rules", family} | MAY_IMPORT[family]
        wrong += [f"{module} -> {t}" for t in sorted(targets) if _family(t) not in allowed]
    assert wrong == []


def test_the_top_level_holds_the_pipeline() -> None:
    """generator/ itself holds the core and the edge (at most 25 modules); everything else is in a family."""
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 25, top
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()} == {*FAMILIES, "commands"}


def test_architecture_names_every_module() -> None:
    """ARCHITECTURE.md section 1 names every module by its path under generator/ (commands/<name>.py as the pattern)."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    shape = text[text.index("## 1. Shape"):text.index("## 2. ")]
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name.startswith("commands/") and name != "commands/__init__.py" or name.endswith("/__init__.py") and name != "rules/__init__.py":
            continue
        if not re.search(rf"(?<![\w/]){re.escape(name)}\b", shape):
            missing.append(name)
    assert missing == []


def test_environment_and_clock_are_read_at_the_edges() -> None:
    """os.environ only in the CLI, MkDocs' plugin and the Gitea step's own entry point, never changed during a build
    (the day a site is built for reaches MkDocs through the plugin); the clock only in inputs.resolve_today."""
    edges = {"generator/cli.py", "generator/site/plugin.py", "generator/checking/gitea.py"}
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
