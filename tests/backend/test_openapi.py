"""The OpenAPI document is valid OpenAPI 3.1, every ``$ref`` resolves, and every route lists the problem+json
answers it can give (backend/openapi.py)."""

import json
import re
from typing import Any

from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from backend.main import app

DOC: dict[str, Any] = TestClient(app).get("/api/v1/openapi.json").json()


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, ops in DOC["paths"].items() for m, op in ops.items()]


def test_the_document_is_valid_openapi() -> None:
    validate(DOC)


def test_every_ref_resolves() -> None:
    refs = set(re.findall(r'"\$ref": "([^"]+)"', json.dumps(DOC)))
    assert refs
    schemas = DOC["components"]["schemas"]
    dangling = [r for r in refs if not r.startswith("#/components/schemas/") or r.rsplit("/", 1)[1] not in schemas]
    assert dangling == []


def test_the_push_request_schema_resolves_its_mutations() -> None:
    body = DOC["paths"]["/api/v1/sync/push"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "$defs" not in json.dumps(body)
    assert "Mutation" in DOC["components"]["schemas"]


def test_errors_are_problems_under_their_media_type() -> None:
    for method, path, op in _operations():
        for code, response in op["responses"].items():
            if code[0] in "45":
                assert response["content"] == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }, (method, path, code)
    assert "HTTPValidationError" not in DOC["components"]["schemas"]


def test_common_answers_come_from_the_dependencies() -> None:
    ops = {(m, p): set(op["responses"]) for m, p, op in _operations()}
    assert {"401", "403", "404", "409", "413", "422"} <= ops[("patch", "/api/v1/inspections/{inspection_id}")]
    assert {"401", "403", "404", "422"} <= ops[("get", "/api/v1/inspections/{inspection_id}/evidence/{sha256}")]
    assert {"401", "403", "413", "422"} <= ops[("post", "/api/v1/sync/push")]
    assert {"401", "422"} <= ops[("post", "/api/v1/auth/token")]
    assert "401" not in ops[("get", "/api/v1/health")]
    for (method, path), codes in ops.items():
        assert "500" in codes, (method, path)


def test_enforced_constraints_are_documented() -> None:
    blob = DOC["paths"]["/api/v1/blobs/{sha256}"]
    for method in ("head", "post", "patch", "get"):
        (param,) = [p for p in blob[method]["parameters"] if p["name"] == "sha256"]
        assert param["schema"]["pattern"] == "^[0-9a-f]{64}$", method
    mime = DOC["components"]["schemas"]["BlobCreate"]["properties"]["mime"]
    assert mime["enum"] == ["application/pdf", "image/jpeg", "image/png", "image/webp"]
    for route in ("push", "pull"):
        assert {"410", "426"} <= set(DOC["paths"][f"/api/v1/sync/{route}"]["post"]["responses"])
    assert "201" in blob["post"]["responses"] and "content" not in blob["head"]["responses"]["200"]
