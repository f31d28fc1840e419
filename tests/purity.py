"""The import check behind the purity tests of tender.rules and forms."""
from __future__ import annotations

import ast
import sys


def forbidden_imports(source: str, *, allowed: set[str], inner: str, parent_relative_ok: bool) -> list[str]:
    """The imports in ``source`` (those inside functions too) that are neither the standard
    library, nor ``allowed`` third-party packages, nor ``tender.rules`` or ``inner`` itself.
    Relative imports stay inside the package; ``..`` ones count as forbidden unless allowed."""
    bad: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level > 0:
                if node.level > 1 and not parent_relative_ok:
                    bad.append("." * node.level + (node.module or ""))
                continue
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if name == "tender.rules" or name.startswith("tender.rules."):
                continue
            if top == inner or top in allowed or (top in sys.stdlib_module_names and top != "tender"):
                continue
            bad.append(name)
    return bad
