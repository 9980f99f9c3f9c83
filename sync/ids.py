"""UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits; monotonic within one process."""

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_last_counter = 0


def uuid7(ms: int | None = None) -> uuid.UUID:
    """A new UUIDv7; ids made in the same millisecond by this process still sort in creation order."""
    global _last_ms, _last_counter
    with _lock:
        now = time.time_ns() // 1_000_000 if ms is None else ms
        if now <= _last_ms:
            now = _last_ms
            _last_counter += 1
            if _last_counter > 0xFFF:  # 4096 ids in one millisecond: borrow the next millisecond
                now += 1
                _last_counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
        else:
            _last_counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
        _last_ms = now
        counter = _last_counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (now & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | rand_b
    return uuid.UUID(int=value)


def uuid7_time_ms(value: uuid.UUID) -> int:
    """The Unix millisecond timestamp stored in a UUIDv7."""
    return value.int >> 80
