"""Bodies are bounded before they are read, and authentication comes first (``backend/body_limit.py``): a body
without a token is refused 401 before a byte of it is read, one over its route's limit 413 ``request.too_large``
from its ``Content-Length`` or, chunked, as soon as it passes the limit — in process and over real HTTP."""

import json
import select
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from syncserver import SyncServer

from backend.main import JSON_MAX
from backend.orgs import importer

BIG = b'{"pad": "' + b"x" * (JSON_MAX + 10) + b'"}'


def _chunks(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


def test_an_oversized_body_without_a_token_is_a_401(anon):
    r = anon.post("/inspections", content=BIG, headers={"Content-Type": "application/json"})
    assert r.status_code == 401 and r.json()["code"] == "auth.not_authenticated", r.text
    assert r.headers["content-type"] == "application/problem+json" and r.headers["www-authenticate"] == "Bearer"
    r = anon.post("/inspections", content=_chunks(BIG), headers={"Content-Type": "application/json"})
    assert r.status_code == 401 and r.json()["code"] == "auth.not_authenticated", r.text


def test_a_json_body_over_the_limit_is_a_413_declared_or_chunked(as_, admin):
    for content in (BIG, _chunks(BIG)):
        r = as_(admin).post("/users", content=content, headers={"Content-Type": "application/json"})
        assert r.status_code == 413, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["code"] == "request.too_large" and r.json()["max_bytes"] == JSON_MAX
    assert as_(admin).post("/users", json={"pad": "x" * 1000}).status_code == 422  # under it: validated as before


def test_a_csv_import_has_a_larger_limit_and_its_own_code_just_above_the_file_limit(as_, supervisor):
    api = as_(supervisor)
    just_over = b"a" * (importer.MAX_BYTES + 1)
    r = api.post("/establishments/import", files={"file": ("e.csv", just_over, "text/csv")})
    assert r.status_code == 413 and r.json()["code"] == "import.too_large", r.text
    r = api.post("/establishments/import", files={"file": ("e.csv", just_over + b"a" * 2 * 1024 * 1024, "text/csv")})
    assert r.status_code == 413 and r.json()["code"] == "request.too_large", r.text


def test_the_sync_push_keeps_its_own_limit_and_code_after_authentication(lead):
    big = {"protocol": 1, "device_id": lead.id, "mutations": [], "pad": "x" * (2 * JSON_MAX)}
    r = lead.api.post("/sync/push", json=big, headers=lead.auth())
    assert r.status_code == 422 and r.json()["code"] == "sync.invalid_request", r.text  # read: under 16 MiB


# --- over real HTTP, to a real uvicorn ---------------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    tmp = tmp_path_factory.mktemp(f"body-limits-{request.param}")
    url = request.getfixturevalue("pg_cluster").create_database("body_limits") if request.param != "sqlite" else None
    srv = SyncServer(tmp, url).start()
    yield srv
    srv.stop()


TOTAL = 256 * 1024 * 1024  # what the client would send: far more than it gets to


def _stream(server: SyncServer, headers: dict[str, str], *, chunked: bool) -> tuple[int, dict[str, Any], int]:
    """POST /inspections with a body of ``TOTAL`` bytes, sent 64 KiB at a time until the server answers:
    (status, problem, bytes sent before the answer came)."""
    framing = {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(TOTAL)}
    lines = [f"{k}: {v}" for k, v in {"Host": "127.0.0.1", "Content-Type": "application/json", **framing,
                                      **headers}.items()]  # fmt: skip
    piece = b"x" * 65536
    frame = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
    sent, answer = 0, b""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(("POST /api/v1/inspections HTTP/1.1\r\n" + "\r\n".join(lines) + "\r\n\r\n").encode())
        deadline = time.monotonic() + 60
        while sent < TOTAL and time.monotonic() < deadline:
            readable, writable, _ = select.select([sock], [sock], [], 1)
            if readable:
                break
            if writable:
                try:
                    sock.sendall(frame)
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent += len(piece)
        sock.settimeout(10)
        while b"\r\n\r\n" not in answer or len(answer.partition(b"\r\n\r\n")[2]) < _length(answer):
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body[: _length(answer)]), sent


def _length(answer: bytes) -> int:
    for line in answer.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 1 << 30


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_over_http_no_token_is_refused_before_the_body_is_read(server, chunked):
    status, problem, sent = _stream(server, {}, chunked=chunked)
    assert status == 401 and problem["code"] == "auth.not_authenticated", problem
    assert sent < 16 * 1024 * 1024, sent  # what the sockets' buffers hold, not the 256 MiB


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_over_http_a_huge_body_with_a_token_is_refused_once_past_the_limit(server, chunked):
    token = server.access_token()
    status, problem, sent = _stream(server, {"Authorization": f"Bearer {token}"}, chunked=chunked)
    assert status == 413 and problem["code"] == "request.too_large", problem
    assert sent < 16 * 1024 * 1024, sent
