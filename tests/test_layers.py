"""The code shows its layers: no app imports one above it, and no module imports itself
through others (docs/architecture.md, "Layers").

The import graph is read from the source with ``ast``: every ``import`` and ``from ...
import`` in every module of the project's packages, at module level or inside a function,
a method or an ``if TYPE_CHECKING`` block alike. So an import moved into a function does
not hide an upward import or a cycle; a dependency that must point the other way is
passed in or looked up at start-up (members.ports, connected by home.apps; a service's
Celery task on its AppConfig, set in ready()).

``from a.b import c`` is an edge to module ``a.b.c`` when that is a module, else to
``a.b``. Importing a module does not add an edge to its parent packages (as in
import-linter), so a package's ``__init__`` may re-export its submodules.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A module may import modules of its own layer and of the layers below.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # Infrastructure any app may use: settings, the Celery app, mail, PDF rendering.
    ("infrastructure", ("panelhub",)),
    ("panels", ("panels",)),
    ("members", ("members",)),
    ("meetings", ("meetings",)),
    ("scrutiny", ("scrutiny",)),
    ("notices", ("notices",)),
    ("reports", ("reports",)),
    # Data protection: history timelines and subject access read every app's rows.
    ("privacy", ("privacy",)),
    # The site layer: pages that gather from several apps, and the URLconf that joins them.
    ("site", ("home", "panelhub.urls")),
]
PACKAGES = (
    "panelhub",
    "panels",
    "members",
    "meetings",
    "scrutiny",
    "notices",
    "reports",
    "privacy",
    "home",
)
# Services, selectors and rules are split by concept well before this (docs/architecture.md).
MAX_LINES = 800


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}  ({self.path}:{self.line})"


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _resolve(name: str, modules) -> str | None:
    """The longest prefix of a dotted name that is a project module."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str, path: Path, modules) -> list[Edge]:
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    rel = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    edges = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        for target in targets:
            resolved = _resolve(target, modules)
            if resolved is not None and resolved != name:
                edges.append(Edge(name, resolved, rel, node.lineno))
    return edges


def import_graph(modules) -> dict[str, dict[str, Edge]]:
    graph: dict[str, dict[str, Edge]] = {name: {} for name in modules}
    for name, path in modules.items():
        for edge in imports_of(name, path, modules):
            graph[name].setdefault(edge.target, edge)
    return graph


def layer_of(module: str) -> int:
    """The index of the module's layer; the most specific prefix wins (panelhub.urls is in
    the site layer, the rest of panelhub is infrastructure)."""
    best, best_length = None, -1
    for index, (_label, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = index, len(prefix)
    if best is None:
        raise AssertionError(f"{module} is in no layer: add its package to LAYERS")
    return best


def upward_imports(graph) -> list[Edge]:
    return sorted(
        (
            edge
            for targets in graph.values()
            for edge in targets.values()
            if layer_of(edge.target) > layer_of(edge.source)
        ),
        key=str,
    )


def cycles(graph) -> list[list[Edge]]:
    """One cycle (as its edges) for each strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [_a_cycle_in(group, graph) for group in groups]


def _a_cycle_in(group: set[str], graph) -> list[Edge]:
    """The shortest way from the group's first module back to itself, as edges."""
    start = min(group)
    paths = {start: []}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target, edge in sorted(graph[node].items()):
                if target not in group:
                    continue
                if target == start:
                    return [*paths[node], edge]
                if target not in paths:
                    paths[target] = [*paths[node], edge]
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle found in {sorted(group)}")


def _describe_cycle(edges: list[Edge]) -> str:
    return "\n".join(["  cycle:", *(f"    {edge}" for edge in edges)])


# --- The project -------------------------------------------------------------------------


def test_the_graph_is_read():
    """The reader sees the project (so the tests below cannot pass on an empty graph)."""
    graph = import_graph(project_modules())
    assert len(graph) > 150
    assert "members.selectors" in graph["meetings.services.register"]
    assert "reports.services" in graph["reports.tasks"]  # an import inside a function


def test_no_app_imports_a_layer_above_it():
    upward = upward_imports(import_graph(project_modules()))
    order = " < ".join("+".join(prefixes) for _label, prefixes in LAYERS)
    assert not upward, (
        f"Upward imports (layers, lowest first: {order}). Move the code up, or pass the "
        "lower module a function, or look it up at start-up (docs/architecture.md):\n"
        + "\n".join(f"  {edge}" for edge in upward)
    )


def test_no_module_imports_itself_through_others():
    found = cycles(import_graph(project_modules()))
    assert not found, (
        "Import cycles (an import inside a function counts too). Move what both sides share "
        "into a module that imports neither (e.g. a package's _common.py or views/common.py), "
        "or pass a function in:\n" + "\n".join(_describe_cycle(c) for c in found)
    )


def test_services_selectors_and_rules_modules_stay_short():
    """Past about 600 lines a services, selectors or rules module becomes a package by
    concept; none may pass the hard ceiling."""
    long = []
    for name, path in project_modules().items():
        parts = set(name.split("."))
        if parts & {"services", "selectors", "rules"}:
            lines = len(path.read_text().splitlines())
            if lines > MAX_LINES:
                long.append(f"  {path.relative_to(ROOT)}: {lines} lines")
    assert not long, f"Split these by concept (ceiling {MAX_LINES} lines):\n" + "\n".join(long)


# --- The checker itself ------------------------------------------------------------------


def _graph(*pairs: tuple[str, str]) -> dict[str, dict[str, Edge]]:
    graph: dict[str, dict[str, Edge]] = {}
    for source, target in pairs:
        graph.setdefault(source, {})[target] = Edge(source, target, f"{source}.py", 1)
        graph.setdefault(target, {})
    return graph


def test_checker_finds_an_upward_import():
    graph = _graph(("panels.health", "notices.selectors"), ("notices.selectors", "panels.models"))
    assert [str(e) for e in upward_imports(graph)] == [
        "panels.health -> notices.selectors  (panels.health.py:1)"
    ]
    assert upward_imports(_graph(("panelhub.urls", "home.views"))) == []
    assert upward_imports(_graph(("panelhub.pdf", "home.views")))


def test_checker_finds_a_cycle_and_names_its_edges():
    graph = _graph(
        ("notices.services", "notices.tasks"),
        ("notices.tasks", "notices.daily"),
        ("notices.daily", "notices.services"),
        ("notices.daily", "panels.models"),
    )
    (cycle,) = cycles(graph)
    assert [(e.source, e.target) for e in cycle] == [
        ("notices.daily", "notices.services"),
        ("notices.services", "notices.tasks"),
        ("notices.tasks", "notices.daily"),
    ]
    assert "notices.tasks -> notices.daily" in _describe_cycle(cycle)
    assert cycles(_graph(("a.x", "a.y"), ("a.y", "a.z"))) == []


def test_checker_reads_imports_inside_functions_and_relative_imports(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from . import low\n")
    (package / "low.py").write_text("def f():\n    from pkg.high import g\n")
    (package / "high.py").write_text("from .low import f\n")
    modules = {
        "pkg": package / "__init__.py",
        "pkg.low": package / "low.py",
        "pkg.high": package / "high.py",
    }
    graph = {name: {} for name in modules}
    for name, path in modules.items():
        for edge in imports_of(name, path, modules):
            graph[name][edge.target] = edge
    assert set(graph["pkg"]) == {"pkg.low"}
    assert set(graph["pkg.low"]) == {"pkg.high"}
    assert set(graph["pkg.high"]) == {"pkg.low"}
    assert len(cycles(graph)) == 1
