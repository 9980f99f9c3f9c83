"""The modules that register job kinds; the worker imports each before it starts. Areas add their module here."""

import importlib

MODULES: list[str] = [
    # one line per area, e.g. "backend.enforcement.jobs",
]


def load(extra: list[str] | None = None) -> None:
    for name in [*MODULES, *(extra or [])]:
        importlib.import_module(name)
