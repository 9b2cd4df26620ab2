"""Layers of Agora's code, checked: `python -m agora.devtools.layers`.

Each app sits on a layer; a module may import its own app, lower layers and,
among components, only another component's `api.py`. Imports written inside
functions count as much as those at the top (they hide the graph, they do not
change it). Tests and migrations are left out: they may reach anything they
exercise.

Cycles are reported too: two apps that import each other, and modules that
import each other in a ring (each ring once, by its modules).

Imports go at the top of the module. An import of an agora module inside a
function is refused unless a comment says why it must stay there, on the
import's line or on the comment lines just above it (shared by a group of
imports): `# local: <why>`. A cycle is not a reason (mend the cycle: see
docs/architecture.md, "Layers, checked"); reasons that hold are a module slow
to import that one rare path needs, or a dependency only tests install. Exempt:
`AppConfig.ready` in `apps.py` (where an app registers into the registries of
lower apps: the models are not loaded when `apps.py` is imported), and test
files (`tests/`, `test_*.py`, `conftest.py`), which import what each test needs.

What the code does today that breaks these rules is listed in
`layers_known.txt` (one line per import, to be removed as each is mended);
the check fails on any other breach, and on a listed one that no longer
exists, so that the list only shrinks.

    python -m agora.devtools.layers            # report new breaches, exit 1 if any
    python -m agora.devtools.layers --write    # rewrite layers_known.txt (reviewers: read the diff)
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the agora package
KNOWN = Path(__file__).with_name("layers_known.txt")

# Lower number: lower layer. An app not listed is refused until it is placed.
LAYERS = {
    # The ground: settings readers, the tenant, the permission engine, the audit log, e-mails.
    "agora.env": 0,
    "agora.db_options": 0,
    "agora.core": 0,
    "agora.permissions": 0,
    "agora.actionlog": 0,
    "agora.outbox": 0,
    "agora.visitor": 0,
    # People and places.
    "agora.accounts": 1,
    "agora.taxonomy": 1,
    "agora.spaces": 1,
    # The component frame and the cross-cutting layers every component uses.
    "agora.components": 2,
    "agora.follows": 2,
    "agora.notifications": 2,
    "agora.comments": 2,
    "agora.moderation": 2,
    "agora.conversations": 2,
    "agora.verifications": 2,
    "agora.desk": 2,
    "agora.tally": 2,
    "agora.sortition": 2,
    "agora.web": 2,
    "agora.questionnaires": 2,
    "agora.statistics": 2,
    "agora.newsletters": 2,
    # The public API's frame (kit, core endpoints, tokens); components bring their routers.
    "agora.api": 2,
    "agora.opendata": 2,
    "agora.privacy": 2,
    # Components.
    "agora.components.pages": 3,
    "agora.components.news": 3,
    "agora.components.proposals": 3,
    "agora.components.proposals.evaluation": 3,
    "agora.components.budgets": 3,
    "agora.components.accountability": 3,
    "agora.components.surveys": 3,
    "agora.components.debates": 3,
    "agora.components.sortitions": 3,
    "agora.components.opinions": 3,
    "agora.components.meetings": 3,
    "agora.components.initiatives": 3,
    "agora.components.votations": 3,
    # What assembles everything.
    "agora.backoffice": 4,
    "agora.devtools": 4,
    "agora.testing": 4,
    "agora.e2e": 4,
    "agora.demo": 4,
    "agora.urls": 4,
    "agora.settings": 4,
    "agora.wsgi": 4,
}
COMPONENT_LAYER = 3
# An app's screens (views, admin views and their URLs) and its start-up wiring (apps.py,
# which registers the app's back-office targets) may use the web layer whatever the
# app's own layer: the e-mails of the ground layer have a back-office screen too.
SCREEN_MODULES = {"views", "admin_views", "urls", "admin_urls", "apps"}
HEADER = (
    "# Imports that break the layers of agora/devtools/layers.py today: debts to mend, never\n"
    "# to add to. `python -m agora.devtools.layers` fails on any other, and on a line here\n"
    "# that no longer holds (remove it).\n"
)
SKIPPED_PARTS = {"tests", "migrations", "conftest.py"}
REASON = "# local:"


def app_of(module: str) -> str | None:
    """The longest listed app that `module` belongs to."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        if name in LAYERS:
            return name
    return None


def _module_name(path: Path, root: Path = ROOT) -> str:
    relative = path.relative_to(root.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package_of(path: Path, module: str) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _imported(node: ast.Import | ast.ImportFrom, package: str, modules: set[str]):
    """The module names an import statement reaches."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    base = node.module or ""
    if node.level:
        anchor = package.split(".")
        anchor = anchor[: len(anchor) - node.level + 1]
        base = ".".join(anchor + ([base] if base else []))
    for alias in node.names:
        # "from agora.components.budgets import api" imports the module api.
        yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base


def _imports(path: Path, module: str, modules: set[str]):
    tree = ast.parse(path.read_text(), filename=str(path))
    package = _package_of(path, module)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for name in _imported(node, package, modules):
                yield node.lineno, name


def _is_test_file(path: Path, root: Path) -> bool:
    return bool(SKIPPED_PARTS & set(path.relative_to(root).parts)) or path.name.startswith("test_")


def local_imports(root: Path = ROOT) -> set[str]:
    """Imports of agora modules inside functions without a `# local:` reason,
    as 'local module.function -> imported' (see the module's docstring)."""
    modules = {_module_name(path, root) for path in root.rglob("*.py")}
    found: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        if _is_test_file(path, root):
            continue
        module = _module_name(path, root)
        package = _package_of(path, module)
        lines = path.read_text().splitlines()
        tree = ast.parse("\n".join(lines), filename=str(path))
        in_functions: list[tuple[str, ast.Import | ast.ImportFrom]] = []

        def visit(node, qualname: str, in_function: bool) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    name = f"{qualname}.{child.name}" if qualname else child.name
                    if not (path.name == "apps.py" and child.name == "ready"):
                        visit(child, name, True)
                elif isinstance(child, ast.ClassDef):
                    visit(child, f"{qualname}.{child.name}" if qualname else child.name, in_function)
                elif isinstance(child, (ast.Import, ast.ImportFrom)):
                    if in_function:
                        in_functions.append((qualname, child))
                else:
                    visit(child, qualname, in_function)

        visit(tree, "", False)
        import_lines = {
            line for _name, node in in_functions for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)
        }
        for function, node in in_functions:
            names = [name for name in _imported(node, package, modules) if name.split(".")[0] == "agora"]
            if not names or _has_reason(lines, node, import_lines):
                continue
            found.update(f"local {module}.{function} -> {name}" for name in names)
    return found


def _has_reason(lines: list[str], node: ast.Import | ast.ImportFrom, import_lines: set[int]) -> bool:
    """A `# local:` comment on the import's lines, or on the comment and import
    lines just above it."""
    end = node.end_lineno or node.lineno
    if any(REASON in lines[number - 1] for number in range(node.lineno, end + 1)):
        return True
    number = node.lineno - 1
    while number >= 1 and (lines[number - 1].strip().startswith("#") or number in import_lines):
        if REASON in lines[number - 1]:
            return True
        number -= 1
    return False


def breaches(root: Path = ROOT) -> tuple[set[str], list[str]]:
    """(breaches as 'importer -> imported', problems such as unplaced apps)."""
    modules = {_module_name(path, root) for path in root.rglob("*.py")}
    found: set[str] = set()
    problems: list[str] = []
    edges: dict[str, set[str]] = defaultdict(set)
    module_edges: dict[str, set[str]] = defaultdict(set)
    for path in sorted(root.rglob("*.py")):
        if SKIPPED_PARTS & set(path.relative_to(root).parts):
            continue
        module = _module_name(path, root)
        if module == "agora":
            continue
        importer = app_of(module)
        if importer is None:
            problems.append(f"{module}: its app has no layer in agora/devtools/layers.py")
            continue
        for _line, imported_module in _imports(path, module, modules):
            if not imported_module.startswith("agora"):
                continue
            module_edges[module].add(imported_module)
            imported = app_of(imported_module)
            if imported is None or imported == importer:
                continue
            edges[importer].add(imported)
            upward = LAYERS[imported] > LAYERS[importer] and not (
                imported == "agora.web" and SCREEN_MODULES & set(module.split(".")[2:])
            )
            # Components talk to each other only through api.py.
            sideways = (
                LAYERS[importer] == LAYERS[imported] == COMPONENT_LAYER
                and not importer.startswith(imported + ".")
                and not imported.startswith(importer + ".")
                and not imported_module.endswith(".api")
            )
            if upward or sideways:
                found.add(f"{module} -> {imported_module}")
    for first, targets in edges.items():
        for second in targets:
            if first < second and first in edges.get(second, ()):
                found.add(f"cycle {first} <-> {second}")
    for ring in _rings(module_edges):
        found.add("ring " + " ".join(sorted(ring)))
    return found, problems


def _rings(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    rings: list[set[str]] = []
    counter = 0
    for root in list(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue  # a name imported from a module (not a module of ours)
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                ring = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    ring.add(member)
                    if member == node:
                        break
                if len(ring) > 1:
                    rings.append(ring)
    return rings


def main(argv: list[str]) -> int:
    found, problems = breaches()
    found |= local_imports()
    if "--write" in argv:
        KNOWN.write_text(HEADER + "".join(f"{line}\n" for line in sorted(found)))
        print(f"{len(found)} known breaches written to {KNOWN}")
        return 0
    known = {line.strip() for line in KNOWN.read_text().splitlines() if line.strip() and not line.startswith("#")}
    new, mended = sorted(found - known), sorted(known - found)
    for line in problems:
        print(f"unplaced: {line}")
    for line in new:
        print(f"new breach: {line}")
    for line in mended:
        print(f"mended (remove it from {KNOWN.name}): {line}")
    print(f"{len(found)} breaches, {len(known & found)} of them known; {len(new)} new, {len(mended)} mended")
    return 1 if new or mended or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
