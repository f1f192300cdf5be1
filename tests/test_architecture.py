"""The folders show the architecture: compute and site are two halves joined only by the
results table; no module imports a name another module merely re-exports; one jinja2
environment; each sub-package says in two lines what it is for."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "jobmonitor"
# What either half may import from the package's shared modules: the contracts between them,
# and utilities that carry no data of their own (a forked worker process, the XLSX writer).
SHARED = {"jobmonitor.config", "jobmonitor.errors", "jobmonitor.codebook", "jobmonitor.results", "jobmonitor.background",
          "jobmonitor.workbook"}


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found[name] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def imports(tree: ast.Module) -> list[tuple[str, str]]:
    """(module, name) of every `from jobmonitor… import name`, also inside functions."""
    return [(node.module, alias.name) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jobmonitor")
            for alias in node.names]


def defined_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_no_module_imports_a_re_exported_name():
    trees = modules()
    offenders = []
    for name, tree in trees.items():
        for module, imported in imports(tree):
            if module in trees and imported not in defined_names(trees[module]) and f"{module}.{imported}" not in trees:
                offenders.append(f"{name}: `{imported}` from {module}, which only re-exports it")
    assert offenders == []


@pytest.mark.parametrize("half, other", [("jobmonitor.compute", "jobmonitor.site"),
                                         ("jobmonitor.site", "jobmonitor.compute")])
def test_the_two_halves_meet_only_in_the_shared_contracts(half, other):
    offenders = [f"{name} imports {module}" for name, tree in modules().items() if name.startswith(half)
                 for module, _ in imports(tree) if module.startswith(other)]
    assert offenders == []
    shared = {module for name, tree in modules().items() if name.startswith(half) for module, _ in imports(tree)
              if not module.startswith(half)}
    assert shared <= SHARED, shared - SHARED


def test_one_jinja_environment():
    calls = [name for name, tree in modules().items() for node in ast.walk(tree)
             if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Environment"]
    assert calls == ["jobmonitor.site.render"]


@pytest.mark.parametrize("package", ["compute", "site"])
def test_sub_package_says_what_it_is_for_in_two_lines(package):
    docstring = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
    assert docstring and len(docstring.splitlines()) == 2


def test_modules_stay_small():
    """STYLE.md: modules under about 500 lines (the demo's invented question texts excepted)."""
    long = {p.name: n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500 and p.name != "demo_texts.py"}
    assert long == {}
