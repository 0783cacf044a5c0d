"""The import graph of symgame/ and proofs/, read from the source with ast: no cycle, the library never
imports proofs, and no module imports another module's private names."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("symgame", "proofs")


def module_name(path, root=ROOT):
    """``symgame/flows/network.py`` -> ``symgame.flows.network``; a package's ``__init__`` is the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def read_modules(root=ROOT, packages=PACKAGES):
    """Module name -> (source path, is a package) for every ``.py`` file under ``packages``."""
    modules = {}
    for pkg in packages:
        for path in sorted((root / pkg).rglob("*.py")):
            modules[module_name(path, root)] = (path, path.name == "__init__.py")
    return modules


def imports(name, is_package, tree):
    """Every import of a module: ``(target module, imported names, line, at module level)``.

    Relative imports are resolved against ``name``; ``from X import y`` names the module ``X``
    and the names ``y``.  An import inside a function or class body is not at module level.
    """
    found = []
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        at_top = id(node) in top
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((alias.name, (), node.lineno, at_top))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.append((target, tuple(a.name for a in node.names), node.lineno, at_top))
    return found


def import_graph(modules):
    """Module-level import edges between the given modules, and every import record."""
    edges = {m: set() for m in modules}
    records = {}
    for name, (path, is_package) in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        records[name] = imports(name, is_package, tree)
        for target, names, _line, at_top in records[name]:
            if not at_top:
                continue
            hits = [f"{target}.{n}" for n in names if f"{target}.{n}" in modules]
            if target in modules and len(hits) < len(names or [None]):
                hits.append(target)
            edges[name].update(h for h in hits if h != name)
    return edges, records


def cycles(edges):
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def proofs_imports(records):
    """``(module, line, target)`` for every import of ``proofs`` by a ``symgame`` module (any depth)."""
    return [(m, line, target) for m, recs in records.items() if m.split(".")[0] == "symgame"
            for target, _names, line, _top in recs if target.split(".")[0] == "proofs"]


def proofs_names(modules):
    """``(module, line, text)`` for every string in ``symgame`` code (docstrings aside) naming a ``proofs``
    module, as a list for ``importlib.import_module`` would."""
    found = []
    for name, (path, _pkg) in modules.items():
        if name.split(".")[0] != "symgame":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(node.body[0].value) for node in ast.walk(tree)
                if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
                    and (node.value == "proofs" or node.value.startswith("proofs."))):
                found.append((name, node.lineno, node.value))
    return found


def private_imports(records, modules):
    """``(module, line, what)`` for every import of a private name (``_x``, not ``__x__``) of another module."""
    bad = []

    def private(part):
        return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))

    for m, recs in records.items():
        for target, names, line, _top in recs:
            if target.split(".")[0] not in PACKAGES:
                continue
            if any(private(p) for p in target.split(".")):
                bad.append((m, line, target))
            bad += [(m, line, f"{target}.{n}") for n in names if private(n) and target != m]
    return bad


def test_the_import_graph_has_no_cycle():
    edges, _ = import_graph(read_modules())
    assert cycles(edges) == []


def test_the_library_never_imports_proofs():
    modules = read_modules()
    _, records = import_graph(modules)
    assert proofs_imports(records) == []
    assert proofs_names(modules) == []


def test_no_module_imports_another_modules_private_names():
    modules = read_modules()
    _, records = import_graph(modules)
    assert private_imports(records, modules) == []


def test_every_module_opens_with_a_one_line_docstring_and_has_all():
    for name, (path, _pkg) in read_modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree, clean=False)
        assert doc, f"{name} has no module docstring"
        lines = doc.split("\n")
        assert lines[0].strip() and (len(lines) == 1 or not lines[1].strip()), (
            f"{name}: the docstring must open with one line saying the module's job, got {lines[:2]!r}")
        assert any(isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in n.targets)
                   for n in tree.body), f"{name} has no __all__"


# ---------------------------------------------------------------------- the checker catches what it should
def _fake_tree(tmp_path, files):
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return read_modules(tmp_path, ("symgame", "proofs"))


def test_the_checker_finds_a_cycle_a_proofs_import_and_a_private_import(tmp_path):
    modules = _fake_tree(tmp_path, {
        "symgame/__init__.py": "",
        "symgame/a.py": "from .b import f\n",
        "symgame/b.py": "from . import a\n\ndef f():\n    from proofs.x import g\n    from .c import _hidden\n",
        "symgame/c.py": "_hidden = 1\n",
        "symgame/d.py": "def later():\n    from .a import f\n",
        "symgame/e.py": '"""Loads proofs.x."""\nMODULES = ("proofs.x",)\n',
        "proofs/__init__.py": "",
        "proofs/x.py": "from symgame.c import _hidden\n",
    })
    edges, records = import_graph(modules)
    assert cycles(edges) == [["symgame.a", "symgame.b"]]
    assert proofs_imports(records) == [("symgame.b", 4, "proofs.x")]
    assert proofs_names(modules) == [("symgame.e", 2, "proofs.x")]
    assert sorted(private_imports(records, modules)) == [
        ("proofs.x", 1, "symgame.c._hidden"), ("symgame.b", 5, "symgame.c._hidden")]
    assert "symgame.a" not in edges["symgame.d"]  # an import inside a function is not a module-level edge
