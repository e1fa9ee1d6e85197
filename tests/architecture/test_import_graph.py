"""The packages of `workspace/` depend one way: no cycle between packages, `core` imports no
other package, and the shared mechanisms (auth, communes, networks, search, notifications)
import nothing but core, auth, communes and networks. Imports inside functions count."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "workspace"
PACKAGES = {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists()}
FOUNDATION = {"core", "auth", "communes", "networks"}
MECHANISMS = {"auth", "communes", "networks", "search", "notifications"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[:len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        return [target] + [f"{target}.{alias.name}" for alias in node.names]
    return []


def package_graph() -> dict[str, dict[str, set[str]]]:
    """package -> imported package -> the files that import it (every import statement,
    at module level or inside a function)."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).parts
        if len(relative) < 2:
            continue  # workspace/__init__.py (create_app) and extensions.py gather everything
        package = relative[0]
        module = _module_name(path)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            for name in _imported(node, module, path.name == "__init__.py"):
                parts = name.split(".")
                if len(parts) > 1 and parts[0] == "workspace" and parts[1] in PACKAGES \
                        and parts[1] != package:
                    graph[package][parts[1]].add(str(path.relative_to(ROOT.parent)))
    return graph


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one package (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(PACKAGES):
        if node not in index:
            visit(node)
    return found


def _explain(graph, package: str, allowed: set[str]) -> list[str]:
    return [f"{package} -> {target} ({', '.join(sorted(files))})"
            for target, files in sorted(graph.get(package, {}).items())
            if target not in allowed]


def test_the_graph_sees_function_level_imports():
    graph = package_graph()
    # workspace/forums/__init__.py imports its views inside init_app only
    assert "documents" in graph["forums"]
    assert "core" in graph["forums"]


def test_no_cycle_between_packages():
    graph = package_graph()
    cycles = _cycles(graph)
    details = [line for cycle in cycles for package in cycle
               for line in _explain(graph, package, set(PACKAGES) - set(cycle))]
    assert not cycles, "import cycles between packages:\n" + "\n".join(details)


def test_core_imports_no_other_package():
    problems = _explain(package_graph(), "core", set())
    assert not problems, "\n".join(problems)


def test_shared_mechanisms_import_only_the_foundation():
    graph = package_graph()
    problems = [line for package in sorted(MECHANISMS)
                for line in _explain(graph, package, FOUNDATION)]
    assert not problems, "\n".join(problems)
