"""The modules that register job kinds; the worker imports each before it starts. Areas add their module here."""

import importlib

MODULES: list[str] = [
    # one line per area
    "backend.jobkinds",  # enforcement: enforcement.overdue_sweep (01:00), enforcement.follow_up_scheduling (01:30)
]


def load(extra: list[str] | None = None) -> None:
    for name in [*MODULES, *(extra or [])]:
        importlib.import_module(name)
