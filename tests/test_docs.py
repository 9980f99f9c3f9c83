"""Docs stay honest: every problem code raised in backend/ is in ARCHITECTURE.md's catalogue."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = {"Problem", "Invalid", "NotFound", "Conflict", "Forbidden", "Unauthorized", "TooLarge"}


def raised_codes() -> set[str]:
    codes: set[str] = set()
    for path in (ROOT / "backend").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in PROBLEMS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                codes.add(node.args[0].value)
    return codes


def test_every_problem_code_is_documented():
    catalogue = (ROOT / "ARCHITECTURE.md").read_text("utf-8")
    codes = raised_codes()
    assert len(codes) > 30
    missing = sorted(c for c in codes if f"`{c}`" not in catalogue)
    assert missing == [], f"add these codes to ARCHITECTURE.md: {missing}"


def test_readme_starts_with_the_two_commands():
    head = (ROOT / "README.md").read_text("utf-8").split("\n## ")[0]
    assert "make run" in head and "make test" in head
