"""Runs the sync state machine against the in-memory reference store (profile via SYNC_HYPOTHESIS_PROFILE)."""

import os
from uuid import UUID

from hypothesis import settings
from sync_machine import Harness, make_machine

from sync.errors import SyncError
from sync.memory import MemoryStore
from sync.memory_handlers import memory_registry
from sync.registry import Registry


def memory_factory() -> tuple[Harness, Registry]:
    return MemoryStore(), memory_registry()


MemoryMachine = make_machine(memory_factory)
TestMemoryStoreSync = MemoryMachine.TestCase
TestMemoryStoreSync.settings = settings.get_profile(os.environ.get("SYNC_HYPOTHESIS_PROFILE", "sync-fast"))


def test_machine_detects_a_broken_store() -> None:
    """The machine must be able to fail: a store that forgets to advance last_seq is caught."""

    class Forgetful(MemoryStore):
        def advance_last_seq(self, device_id: UUID, seq: int) -> None:
            if seq < 3:
                super().advance_last_seq(device_id, seq)

    machine = make_machine(lambda: (Forgetful(), memory_registry()))()
    for _ in range(4):
        machine.note(0, 0, "a.1")
    try:
        machine.push(0, 8, "none")
        machine.nothing_lost_and_order_kept()
    except (AssertionError, RuntimeError, SyncError):
        return
    raise AssertionError("the forgetful store went unnoticed")
