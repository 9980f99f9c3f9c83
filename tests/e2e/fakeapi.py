"""The server side of the browser tests, isolated here so it can be swapped for the real backend (uvicorn).

* ``StaticServer`` serves ``pwa/dist`` on 127.0.0.1 (index.html fallback, ``sw.js`` with ``no-cache``) and
  counts every request it receives.
* ``FakeApi`` answers ``/api/v1/...`` through ``BrowserContext.route`` (which also sees requests a service
  worker would make): auth, devices, users/me, checklists, establishments, inspections — and sync push/pull
  and blobs through the real pure engine in ``sync/`` over its in-memory reference store, so the wire format
  is exactly the one in ``sync/PROTOCOL.md``.
"""

import base64
import hashlib
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml
from playwright.sync_api import BrowserContext, Route

from sync.engine import Engine, parse_pull, parse_push
from sync.errors import SyncError
from sync.memory import MemoryStore
from sync.memory_handlers import memory_registry
from sync.store import Actor

ROOT = Path(__file__).resolve().parents[2]
API = "/api/v1"
EMAIL = "amina@example.org"
PASSWORD = "correct horse battery"
USER_ID = "0193a5e0-0000-7000-8000-0000000000a1"
COLLEAGUES = [  # GET /users/colleagues: the district's other staff, by name
    {"id": "0193a5e0-0000-7000-8000-0000000000b2", "name": "Zhou Min", "role": "inspector"},
    {"id": "0193a5e0-0000-7000-8000-0000000000c3", "name": "Wang Lei", "role": "supervisor"},
]
DISTRICT = "0193a5e0-0000-7000-8000-0000000000d1"
HARBOUR = "0193a5e0-0000-7000-8000-00000000e001"


# --- static files --------------------------------------------------------------------------------------
class _Handler(SimpleHTTPRequestHandler):
    server: "StaticServer"

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def end_headers(self) -> None:
        path = urlsplit(self.path).path
        immutable = path.startswith("/assets/")
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache")
        super().end_headers()

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        if self.server.down:
            self.send_error(503, "server down (test)")
            return
        path = urlsplit(self.path).path
        if path.startswith("/api/"):
            self.send_error(404, "the API is answered by FakeApi through context.route")
            return
        if path.endswith(".webmanifest"):
            self.extensions_map[".webmanifest"] = "application/manifest+json"
        if not (Path(self.directory) / path.lstrip("/")).is_file():
            self.path = "/index.html"
        super().do_GET()

    do_HEAD = do_GET


class StaticServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, directory: Path) -> None:
        super().__init__(("127.0.0.1", 0), partial(_Handler, directory=str(directory)))
        self.requests: list[str] = []
        self.down = False
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


# --- test data -------------------------------------------------------------------------------------------
def _text(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


def _item(item_id: str, n: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": item_id,
        "text": _text(f"Question {n}: is requirement {n} met?", f"问题{n}：是否符合第{n}项要求？"),
        "guidance": _text(f"Check the records for requirement {n}.", f"核查第{n}项要求的记录。"),
        "legal_basis": [{"instrument": "C81", "article": "12"}],
        "verification": ["documents"],
        "severity": ["critical", "major", "minor"][n % 3],
        "answer_type": "compliance",
        "choices": [],
        "unit": None,
        "evidence_required": n % 5 == 0,
        "applies_if": None,
        "measure": {"type": "advice", "deadline_days": None},
        **extra,
    }


SERVED_EXTRAS: dict[str, Any] = {
    "legal_basis": [{"instrument": "CN-WSL", "article": "36"}, {"instrument": "C81", "article": "3"}],
    "authority": "work_safety",
    "citations": [
        {"instrument": "CN-WSL", "article": "36", "benchmark": False,
         "text": _text("Work Safety Law of the PRC, Art. 36", "《中华人民共和国安全生产法》第三十六条"),
         "line": _text("Work Safety Law of the PRC, Art. 36", "《中华人民共和国安全生产法》第三十六条")},
        {"instrument": "C81", "article": "3", "benchmark": True,
         "text": _text("ILO Convention No. 81, Art. 3", "第81号公约第三条"),
         "line": _text("ILO Convention No. 81, Art. 3 (benchmark)", "第81号公约第三条（参照标准）")},
    ],
    "offered_measure": {
        "type": "referral", "deadline_days": None, "usual": "stop_work", "authority": "work_safety",
        "referral_to": _text(
            "Referral to the competent authority (emergency management (work safety supervision))",
            "移送有管辖权的部门（应急管理（安全生产监督管理））",
        ),
    },
}  # fmt: skip


def basic_checklist() -> dict[str, Any]:
    items = [_item(f"basic.{i:02d}", i) for i in range(1, 6)]
    items[1] = _item("basic.02", 2, answer_type="number", unit="hours")
    # As the real server serves it (backend/checklists/present.py): official citations and the offered measure.
    items[2] = _item("basic.03", 3, **SERVED_EXTRAS)
    items.append(_item("basic.young", 6, applies_if={"employs_under_18": True}))  # hidden at Harbour Garments
    return {
        "key": "e2e-basic",
        "version": 1,
        "title": _text("E2E basic checklist", "端到端基础检查表"),
        "description": _text("A small checklist for the browser tests.", "浏览器测试用的小检查表。"),
        "applies_if": None,
        "sections": [
            {"id": "basic.a", "title": _text("Records", "记录"), "items": items[:3]},
            {"id": "basic.b", "title": _text("Workplace", "工作场所"), "items": items[3:]},
        ],
    }


def large_checklist(n: int = 300, sections: int = 10) -> dict[str, Any]:
    per = n // sections
    return {
        "key": "e2e-large",
        "version": 1,
        "title": _text("E2E large checklist (300 items)", "端到端大型检查表（300项）"),
        "description": _text("Performance fixture.", "性能测试用。"),
        "applies_if": {"sectors": ["C"]},
        "sections": [
            {
                "id": f"large.s{s:02d}",
                "title": _text(f"Section {s + 1}", f"第{s + 1}节"),
                "items": [_item(f"large.{s * per + i:03d}", s * per + i + 1) for i in range(per)],
            }
            for s in range(sections)
        ],
    }


def library_checklists() -> list[dict[str, Any]]:
    """The project's own checklist files, for realistic screens; a file being edited is skipped."""
    out = []
    for path in sorted((ROOT / "checklists").glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, OSError):
            continue
        if isinstance(data, dict) and data.get("sections") and data.get("key") and data.get("version"):
            out.append(data)
    return out


def establishments(count: int = 120) -> list[dict[str, Any]]:
    sectors = [
        ("1410", 250, 180, 0),
        ("4100", 120, 10, 2),
        ("5610", 25, 12, 3),
        ("0510", 300, 5, 0),
        ("8610", 350, 260, 0),
    ]
    names = ["Golden", "Evergreen", "Sunrise", "Riverside", "Unity", "Pearl", "Mountain", "Jade", "Eastern", "Harbour"]
    rows = [
        {
            "id": HARBOUR,
            "name": "Harbour Garments Ltd",
            "registration_number": "91350102MA2XYZ0001",
            "registration_type": "uscc",
            "address": "12 Harbour Road, Gulou District",
            "district_id": DISTRICT,
            "latitude": 26.08,
            "longitude": 119.30,
            "isic": "1410",
            "workers_total": 250,
            "workers_women": 180,
            "workers_under_18": 0,
            "contact_name": "Li Wei",
            "contact_phone": "+86 591 0000 0001",
        }
    ]
    for i in range(1, count):
        isic, total, women, young = sectors[i % len(sectors)]
        rows.append(
            {
                "id": f"0193a5e0-0000-7000-8000-{i:012x}",
                "name": f"{names[i % len(names)]} Works {i:03d}",
                "registration_number": f"9135010{i:011d}",
                "registration_type": "uscc",
                "address": f"{i} Industrial Road",
                "district_id": DISTRICT,
                "latitude": 26.0,
                "longitude": 119.3,
                "isic": isic,
                "workers_total": total + i,
                "workers_women": women,
                "workers_under_18": young,
                "contact_name": None,
                "contact_phone": None,
            }
        )
    return rows


# --- the API ----------------------------------------------------------------------------------------------
@dataclass
class FakeApi:
    offline: bool = False
    checklists: list[dict[str, Any]] = field(default_factory=list)
    establishments: list[dict[str, Any]] = field(default_factory=list)
    store: MemoryStore = field(default_factory=MemoryStore)
    engine: Engine = field(default_factory=lambda: Engine(memory_registry()))
    devices: dict[str, Actor] = field(default_factory=dict)  # token -> actor
    blobs: dict[str, bytearray] = field(default_factory=dict)
    blob_sizes: dict[str, int] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    pushed: list[dict[str, Any]] = field(default_factory=list)  # every mutation received
    evidence_downloads: list[str] = field(default_factory=list)  # hashes served by the evidence route
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def default(cls) -> "FakeApi":
        return cls(
            checklists=[basic_checklist(), large_checklist(), *library_checklists()],
            establishments=establishments(),
        )

    offline_contexts: set[int] = field(default_factory=set)
    lose_push_acks: int = 0  # commit the next N pushes, then drop the connection before the response

    def install(self, context: BrowserContext) -> None:
        context.route(re.compile(r"^https?://[^/]+/api/"), partial(self._handle, id(context)))

    def set_offline(self, context: BrowserContext, offline: bool) -> None:
        """Cut one tablet off (the API aborts its requests as a lost network would)."""
        (self.offline_contexts.add if offline else self.offline_contexts.discard)(id(context))

    # ----------------------------------------------------------------------------------------------------
    def _handle(self, context_id: int, route: Route) -> None:
        request = route.request
        if self.offline or context_id in self.offline_contexts:
            route.abort("internetdisconnected")
            return
        url = urlsplit(request.url)
        path = url.path.removeprefix(API)
        with self.lock:
            self.calls.append(f"{request.method} {path}")
            try:
                status, body, headers = self._dispatch(request.method, path, parse_qs(url.query), request)
            except SyncError as error:
                status, body, headers = (
                    error.status,
                    _problem(error.status, error.code, error.detail, **error.context),
                    {},
                )
        if path == "/sync/push" and status == 200 and self.lose_push_acks > 0:
            self.lose_push_acks -= 1
            route.abort("connectionreset")
            return
        if isinstance(body, bytes | type(None)):
            route.fulfill(status=status, headers=headers, body=body or b"")
        else:
            media = "application/problem+json" if status >= 400 else "application/json"
            route.fulfill(status=status, headers={"Content-Type": media, **headers}, body=json.dumps(body))

    def _actor(self, request: Any) -> Actor:
        token = (request.headers.get("authorization") or "").removeprefix("Bearer ")
        actor = self.devices.get(token)
        if actor is None:
            raise SyncError(401, "auth.invalid_token", "the token is not valid")
        return actor

    def _dispatch(self, method: str, path: str, query: dict[str, list[str]], request: Any) -> tuple[int, Any, dict]:
        if method == "POST" and path == "/auth/token":
            form = parse_qs(request.post_data or "")
            if form.get("username") == [EMAIL] and form.get("password") == [PASSWORD]:
                return 200, {"access_token": "access-1", "token_type": "bearer", "expires_in": 1800}, {}
            return 401, _problem(401, "auth.invalid_credentials", "wrong e-mail or password"), {}
        if method == "GET" and path == "/users/me":
            return 200, _me(), {}
        if method == "POST" and path == "/auth/sign-out":  # hardening (issue 21): the device token revoked
            self._actor(request)
            self.devices.pop((request.headers.get("authorization") or "").removeprefix("Bearer "), None)
            return 204, None, {}
        if method == "GET" and path == "/users/colleagues":
            self._actor(request)
            return 200, COLLEAGUES, {}
        if method == "POST" and path == "/devices":
            body = json.loads(request.post_data or "{}")
            device_id = uuid.uuid4()
            token = f"device-{device_id}"
            self.devices[token] = self.store.register_device(device_id, USER_ID, "inspector")
            return (
                201,
                {"id": str(device_id), "name": body["name"], "token": token, "created_at": "2026-03-02T08:00:00Z"},
                {},
            )
        if method == "GET" and path == "/checklists":
            summaries = [
                {
                    "key": c["key"],
                    "version": c["version"],
                    "title": c["title"],
                    "sha256": _sha(c),
                    "published_at": "2026-01-01T00:00:00Z",
                }
                for c in self.checklists
            ]
            return 200, summaries, {}
        match = re.fullmatch(r"/checklists/([a-z0-9-]+)/(\d+)", path)
        if method == "GET" and match:
            for c in self.checklists:
                if c["key"] == match[1] and str(c["version"]) == match[2]:
                    return (
                        200,
                        {
                            "key": c["key"],
                            "version": c["version"],
                            "sha256": _sha(c),
                            "published_at": "2026-01-01T00:00:00Z",
                            "definition": c,
                        },
                        {},
                    )
            return 404, _problem(404, "checklist.not_found", "no such checklist"), {}
        if method == "GET" and path == "/establishments":
            limit = int(query.get("limit", ["50"])[0])
            offset = int(query.get("offset", ["0"])[0])
            items = self.establishments[offset : offset + limit]
            return 200, {"items": items, "total": len(self.establishments), "limit": limit, "offset": offset}, {}
        if method == "GET" and path == "/inspections":
            return 200, {"items": [], "total": 0, "limit": 20, "offset": 0}, {}
        if method == "POST" and path == "/sync/push":
            actor = self._actor(request)
            body = json.loads(request.post_data or "{}")
            parsed = parse_push(body)
            with self.store.transaction():
                response = self.engine.push(self.store, actor, parsed)
            self.pushed.extend(body["mutations"])
            return 200, response.model_dump(mode="json", exclude_none=True), {}
        if method == "POST" and path == "/sync/pull":
            actor = self._actor(request)
            parsed = parse_pull(json.loads(request.post_data or "{}"))
            with self.store.transaction():
                response = self.engine.pull(self.store, actor, parsed)
            return 200, response.model_dump(mode="json", exclude_none=True), {}
        match = re.fullmatch(r"/inspections/([0-9a-f-]{36})/evidence/([0-9a-f]{64})", path)
        if method == "GET" and match:
            # As the backend's route: only a photo that documents one of the inspection's items (or its preview),
            # verified.
            self._actor(request)
            cited = any(
                p["inspection_id"] == match[1]
                and match[2] in (p["sha256"], (p.get("preview") or {}).get("sha256"))
                and p.get("item_id")
                for p in self.store.rows("photo").values()
                if not p.get("detached")
            )
            if not cited or not self.store.blob_verified(match[2]):
                return 404, _problem(404, "blob.not_found", "This inspection cites no such file."), {}
            self.evidence_downloads.append(match[2])
            return 200, bytes(self.blobs[match[2]]), {"Content-Type": "application/octet-stream"}
        match = re.fullmatch(r"/blobs/([0-9a-f]{64})", path)
        if match:
            self._actor(request)
            return self._blob(method, match[1], request)
        return 404, _problem(404, "not_found", f"{method} {path} is not faked"), {}

    def _blob(self, method: str, sha: str, request: Any) -> tuple[int, Any, dict]:
        verified = self.store.blob_verified(sha)
        if method == "HEAD":
            if sha not in self.blob_sizes:
                return 404, None, {}
            offset = len(self.blobs[sha])
            return (
                200,
                None,
                {
                    "Upload-Offset": str(offset),
                    "Upload-Length": str(self.blob_sizes[sha]),
                    "Blob-Verified": str(verified).lower(),
                },
            )
        if method == "POST":
            body = json.loads(request.post_data or "{}")
            existed = sha in self.blob_sizes
            self.blob_sizes.setdefault(sha, int(body["bytes"]))
            self.blobs.setdefault(sha, bytearray())
            status = {
                "offset": len(self.blobs[sha]),
                "bytes": self.blob_sizes[sha],
                "verified": verified,
                "chunk_max": 256 * 1024,
            }
            return (200 if existed else 201), status, {}
        if method == "PATCH":
            if sha not in self.blob_sizes:
                return 404, _problem(404, "blob.not_found", "POST first"), {}
            chunk = request.post_data_buffer or b""
            offset = int(request.headers.get("upload-offset", "-1"))
            if offset != len(self.blobs[sha]):
                return 409, _problem(409, "blob.offset_mismatch", "wrong offset", offset=len(self.blobs[sha])), {}
            checksum = request.headers.get("upload-checksum", "")
            if checksum != "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode():
                return 422, _problem(422, "blob.chunk_checksum", "chunk checksum mismatch"), {}
            self.blobs[sha].extend(chunk)
            done = len(self.blobs[sha]) >= self.blob_sizes[sha]
            if not done:
                return 204, None, {"Upload-Offset": str(len(self.blobs[sha]))}
            if hashlib.sha256(bytes(self.blobs[sha])).hexdigest() != sha:
                del self.blobs[sha], self.blob_sizes[sha]
                return 422, _problem(422, "blob.hash_mismatch", "bytes do not hash to the id"), {}
            self.store.verify_blob(sha)
            status = {
                "offset": len(self.blobs[sha]),
                "bytes": self.blob_sizes[sha],
                "verified": True,
                "chunk_max": 256 * 1024,
            }
            return 200, status, {}
        return 405, _problem(405, "method_not_allowed", method), {}

    # --- what tests look at ---------------------------------------------------------------------------
    def server_rows(self, entity: str) -> dict[str, dict[str, Any]]:
        return self.store.rows(entity)


def _me() -> dict[str, Any]:
    return {
        "id": USER_ID,
        "email": EMAIL,
        "name": "Amina Chen",
        "sex": "female",
        "role": "inspector",
        "org_unit_ids": [DISTRICT],
        "active": True,
    }


def _sha(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def _problem(status: int, code: str, detail: str, **context: Any) -> dict[str, Any]:
    return {
        "type": f"https://labour-inspection.example/problems/{code}",
        "title": detail,
        "status": status,
        "code": code,
        "detail": detail,
        **context,
    }
