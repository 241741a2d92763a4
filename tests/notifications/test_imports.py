"""notifications is a leaf, and its modules import one way: outbox → tasks → delivery."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "notifications"
PROJECT_PACKAGES = {
    path.parent.name
    for path in ROOT.glob("*/__init__.py")
    if path.parent.name not in {"notifications", "tests"}
}
# Module → the sibling modules it must never import (directly).
FORBIDDEN = {
    "delivery": {"tasks", "outbox", "inbox", "views"},
    "inbox": {"tasks", "outbox", "delivery", "views"},
    "tasks": {"outbox", "inbox", "views"},
    "kinds": {"models", "outbox", "tasks", "delivery", "inbox", "rendering"},
    "rendering": {"outbox", "tasks", "delivery", "inbox"},
    "models": {"outbox", "tasks", "delivery", "inbox", "views"},
}


def imported(path: Path) -> set[str]:
    """Dotted names `path` imports, siblings as "notifications.<name>", at any depth."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x / from .x import y
                base = "notifications" if not node.module else f"notifications.{node.module}"
                names |= {f"{base}.{alias.name}" for alias in node.names} | {base}
            else:
                names.add(node.module or "")
                names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_notifications_imports_no_other_project_app():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported(path) if name.split(".")[0] in PROJECT_PACKAGES
        )
        for path in APP.rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


@pytest.mark.parametrize("module", sorted(FORBIDDEN))
def test_modules_import_one_way(module):
    siblings = {
        name.split(".")[1]
        for name in imported(APP / f"{module}.py")
        if name.startswith("notifications.") and name.count(".") >= 1
    }
    assert siblings & FORBIDDEN[module] == set()
