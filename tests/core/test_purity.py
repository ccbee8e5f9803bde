"""The core stays pure: it imports only the standard library and itself, and reads no clock."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "breakd" / "core"
FORBIDDEN_STDLIB = {"time", "os", "socket", "subprocess", "threading", "asyncio", "pathlib", "io"}


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_core_imports_only_the_standard_library_and_itself() -> None:
    files = sorted(CORE.glob("*.py"))
    assert len(files) >= 8
    for path in files:
        for module in imported_modules(path):
            top = module.split(".")[0]
            if module.startswith("breakd."):
                assert module.startswith("breakd.core"), f"{path.name} imports {module}"
                continue
            assert top in sys.stdlib_module_names, f"{path.name} imports {module}"
            assert top not in FORBIDDEN_STDLIB, f"{path.name} imports {module}: I/O or a clock"


def test_core_never_asks_for_the_current_time() -> None:
    for path in CORE.glob("*.py"):
        source = path.read_text()
        for call in ("datetime.now(", ".now()", "date.today(", "utcnow("):
            assert call not in source, f"{path.name} reads the clock with {call}"
