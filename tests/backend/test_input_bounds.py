"""Input the database cannot hold is refused, never a 500: NUL characters, integers beyond 64 bits, over-long search
text, tokens naming no user; and whatever 500 remains is problem+json (issue 13, items 3-5)."""

import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from devices import create
from fastapi.testclient import TestClient
from pydantic import BaseModel
from world import uscc

import backend.models  # noqa: F401
from backend.config import settings
from backend.fields import Input
from backend.main import app

BIG = 2**63  # one past what a BIGINT holds
NUL = "a\x00b"


def _problem(r: Any, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == code


# --- item 3: NUL characters ------------------------------------------------------------------------------------


def test_a_nul_in_any_mutation_text_is_rejected_and_the_queue_moves_on(lead, world, checklist):
    iid = create(lead, world, checklist)
    item = checklist["definition"]["sections"][0]["items"][0]["id"]
    bad = [
        lead.mutation("inspection.create", inspection_id=str(uuid.uuid4()), establishment_id=str(world.factory.id),
                      checklist=f"{checklist['key']}@{checklist['version']}", header={"summary": NUL}),
        lead.mutation("inspection.update", inspection_id=iid, base_version=0, fields={"summary": NUL}),
        lead.mutation("finding.record", inspection_id=iid, item_id=item, base_version=0,
                      fields={"status": "non_compliant", "remark": NUL}),
        lead.mutation("finding.note", note_id=str(uuid.uuid4()), inspection_id=iid, item_id=item, text=NUL),
        lead.mutation("complaint.create", complaint_id=str(uuid.uuid4()), establishment_id=str(world.factory.id),
                      summary=NUL, received_on="2026-11-01"),
        lead.mutation("action.record", action_id=str(uuid.uuid4()), inspection_id=iid, measure="advice", text=NUL),
        lead.mutation("interview.record", interview_id=str(uuid.uuid4()), inspection_id=iid, men=1, women=0,
                      under_18=0, note=NUL),
        lead.mutation("finding.note", note_id=str(uuid.uuid4()), inspection_id=iid, item_id=item, text="ok",
                      **{"\x00": 1}),  # in a key
    ]  # fmt: skip
    good = lead.mutation("finding.note", note_id=str(uuid.uuid4()), inspection_id=iid, item_id=item, text="fine")
    r = lead.push(*bad, good)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [(x["outcome"], x["reason"]) for x in results] == [("rejected", "invalid")] * len(bad) + [("applied", None)]
    assert "NUL" in results[0]["detail"]
    again = lead.push(*bad, good)  # the same bytes again: recognised, not applied again
    assert [x["outcome"] for x in again.json()["results"]] == ["duplicate"] * (len(bad) + 1)
    pulled = lead.pull_all()
    assert not any("\x00" in str(row) for rows in pulled.values() for row in rows.values())


def test_a_nul_in_a_rest_body_is_a_422_and_nothing_is_written(lead, world, checklist, as_, inspector, supervisor):
    iid = create(lead, world, checklist)
    api = as_(inspector)
    item = checklist["definition"]["sections"][0]["items"][0]["id"]
    cases = [
        ("patch", f"/inspections/{iid}", {"summary": NUL}),
        ("put", f"/inspections/{iid}/findings",
         {"checklist_key": checklist["key"], "item_id": item, "status": "non_compliant", "note": NUL}),
        ("post", f"/inspections/{iid}/interviews", {"men": 1, "note": NUL}),
        ("post", f"/inspections/{iid}/actions", {"measure": "advice", "text": NUL}),
        ("post", "/complaints",
         {"establishment_id": str(world.factory.id), "summary": NUL, "received_on": "2026-11-01"}),
        ("post", "/devices", {"name": NUL}),
    ]  # fmt: skip
    for method, url, body in cases:
        _problem(getattr(api, method)(url, json=body), 422, "request.invalid")
    created = {"name": "Nul Works", "registration_number": uscc(901), "district_id": str(world.district.id),
               "isic": "1311", "address": NUL}  # fmt: skip
    _problem(as_(supervisor).post("/establishments", json=created), 422, "request.invalid")
    _problem(as_(supervisor).patch(f"/establishments/{world.factory.id}", json={"contact_name": NUL}), 422,
             "request.invalid")  # fmt: skip
    detail = api.get(f"/inspections/{iid}").json()
    assert "\x00" not in str(detail) and api.get(f"/inspections/{iid}/interviews").json() == []
    assert api.get("/complaints").json()["total"] == 0


def test_a_nul_in_a_query_path_or_sign_in_is_refused_not_a_500(as_, inspector, admin, anon):
    _problem(as_(inspector).get("/establishments", params={"q": NUL}), 422, "request.invalid")
    _problem(as_(inspector).get("/establishments", params={"registration_number": NUL}), 422, "request.invalid")
    _problem(as_(inspector).get("/checklists/a%00b/1"), 422, "request.invalid")
    _problem(as_(admin).get("/audit/events", params={"subject_id": NUL}), 422, "request.invalid")
    r = anon.post("/auth/token", data={"username": "inspector@test.example\x00", "password": "x" * 12})
    _problem(r, 401, "auth.invalid_credentials")


def _body_models() -> list[str]:
    """The component names of every REST request body (the sync push and pull bodies are the engine's)."""
    doc = app.openapi()
    schemas, names = doc["components"]["schemas"], set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                name = node["$ref"].rsplit("/", 1)[-1]
                if name not in names:
                    names.add(name)
                    walk(schemas.get(name))
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path, ops in doc["paths"].items():
        for op in ops.values():
            if not path.startswith("/api/v1/sync/"):
                walk(op.get("requestBody"))
    return sorted(n for n in names if schemas[n].get("type") == "object" and not n.startswith("Body_"))


def _backend_models() -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    todo: list[type[BaseModel]] = [BaseModel]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("backend."):
            found.setdefault(cls.__name__, cls)
    return found


def test_an_evidence_download_names_a_sha256_not_any_text(lead, world, checklist, as_, inspector):
    iid = create(lead, world, checklist)
    for name in ("ab%00cd", "a" * 63 + "%00", "not-a-hash", "A" * 64):
        _problem(as_(inspector).get(f"/inspections/{iid}/evidence/{name}"), 422, "request.invalid")
    _problem(as_(inspector).get(f"/inspections/{iid}/evidence/{'a' * 64}"), 404, "blob.not_found")


def test_every_request_body_model_refuses_nul():
    models, names = _backend_models(), _body_models()
    assert len(names) >= 15, names
    missing = [n for n in names if not issubclass(models[n], Input)]
    assert missing == [], f"request models that let a NUL character through: {missing}"


# --- item 4: integers beyond 64 bits --------------------------------------------------------------------------


def test_every_integer_parameter_and_body_field_has_a_maximum():
    doc = app.openapi()
    schemas, unbounded = doc["components"]["schemas"], []

    def walk(node: Any, where: str, seen: frozenset[str]) -> None:
        if not isinstance(node, dict):
            return
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(schemas.get(name) or node.get("$defs", {}).get(name), name, seen | {name})
            return
        if node.get("type") == "integer" and not {"maximum", "exclusiveMaximum", "const", "enum"} & node.keys():
            unbounded.append(where)
        for key in ("properties", "$defs"):
            for name, sub in (node.get(key) or {}).items():
                defs = node.get("$defs", {})
                walk(defs.get(sub["$ref"].rsplit("/", 1)[-1]) if "$ref" in sub and sub["$ref"].startswith("#/$defs/")
                     else sub, f"{where}.{name}", seen)  # fmt: skip
        for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
            for sub in node.get(key) or []:
                walk(sub, where, seen)
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                sub = node[key]
                if "$ref" in sub and sub["$ref"].startswith("#/$defs/"):
                    sub = node.get("$defs", {}).get(sub["$ref"].rsplit("/", 1)[-1], {})
                walk(sub, f"{where}[]", seen)

    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            for param in op.get("parameters", []):
                walk(param.get("schema", {}), f"{method} {path} {param['in']}:{param['name']}", frozenset())
            for media in (op.get("requestBody", {}).get("content") or {}).values():
                walk(media.get("schema", {}), f"{method} {path} body", frozenset())
    assert unbounded == [], f"integers without a maximum: {unbounded}"


def test_integers_beyond_64_bits_are_a_422_never_a_500(as_, inspector, supervisor, admin, world, lead):
    api = as_(inspector)
    for url in ("/establishments", "/inspections", "/complaints"):
        _problem(api.get(url, params={"offset": BIG}), 422, "request.invalid")
    _problem(as_(admin).get("/audit/events", params={"after_seq": BIG}), 422, "request.invalid")
    _problem(api.get(f"/checklists/general-administration/{BIG}"), 422, "request.invalid")
    created = {"name": "Huge Works", "registration_number": uscc(902), "district_id": str(world.district.id),
               "isic": "1311", "workers_total": BIG}  # fmt: skip
    _problem(as_(supervisor).post("/establishments", json=created), 422, "request.invalid")
    _problem(as_(supervisor).patch(f"/establishments/{world.factory.id}", json={"workers_total": 2**40}), 422,
             "request.invalid")  # fmt: skip
    body = {"establishment_id": str(world.factory.id), "type": "planned",
            "checklists": [{"key": "general-administration", "version": BIG}]}  # fmt: skip
    _problem(api.post("/inspections", json=body), 422, "request.invalid")
    r = lead.api.post("/sync/pull", json={"protocol": 1, "device_id": lead.id, "cursor": BIG}, headers=lead.auth())
    _problem(r, 422, "sync.invalid_request")
    r = lead.push({**lead.mutation("finding.note"), "seq": BIG})
    _problem(r, 422, "sync.invalid_request")
    # Within 64 bits: answered by the rules, not by the database.
    _problem(api.get(f"/checklists/general-administration/{BIG - 1}"), 404, "checklist.not_found")
    assert api.get("/establishments", params={"offset": BIG - 1}).json()["items"] == []


def test_a_csv_workforce_beyond_what_a_column_holds_is_a_row_error(as_, supervisor):
    header = "name,registration_number,district_code,isic,workers_total,workers_women\n"
    text = header + f"Huge Works,{uscc(903)},110101,1311,{BIG},0\n"
    r = as_(supervisor).post("/establishments/import", files={"file": ("e.csv", io.BytesIO(text.encode()), "text/csv")})
    _problem(r, 422, "import.invalid_rows")
    assert r.json()["errors"][0]["field"] == "workers_total"


# --- item 5: other 500s -----------------------------------------------------------------------------------------


def test_search_text_has_a_maximum_length(as_, inspector):
    _problem(as_(inspector).get("/establishments", params={"q": "x" * 60_000}), 422, "request.invalid")
    assert as_(inspector).get("/establishments", params={"q": "x" * 200}).status_code == 200


@pytest.mark.parametrize("sub", [None, "not-a-uuid", 42, ""])
def test_a_signed_token_without_a_user_id_is_a_401(anon, sub):
    claims: dict[str, Any] = {"typ": "access", "exp": datetime.now(UTC) + timedelta(minutes=5), "pwd": "x"}
    if sub is not None:
        claims["sub"] = sub
    token = jwt.encode(claims, settings.secret_key.get_secret_value(), algorithm="HS256")
    _problem(anon.get("/users/me", headers={"Authorization": f"Bearer {token}"}), 401, "auth.invalid_token")


def test_an_unexpected_error_is_a_problem_json_500_and_logged(monkeypatch, caplog, session, inspector):
    from backend.api import get_session
    from backend.auth import service as auth
    from backend.checklists import service as checklists

    def boom(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("a bug")

    def _session() -> Any:
        yield session

    monkeypatch.setattr(checklists, "list_published", boom)
    monkeypatch.setitem(app.dependency_overrides, get_session, _session)
    token, _ = auth.issue_access_token(inspector)
    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level("ERROR", "backend.problems"):
        r = client.get("/api/v1/checklists", headers={"Authorization": f"Bearer {token}"})
    _problem(r, 500, "internal.error")
    assert "a bug" not in r.text  # the details go to the log, not to the client
    assert any(rec.exc_info and "a bug" in str(rec.exc_info[1]) for rec in caplog.records)
