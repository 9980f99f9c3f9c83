"""The OpenAPI document, made to tell the truth: every route lists the problem+json answers its dependencies can
give (a ``Problem`` schema under ``application/problem+json``), and schemas a route attaches by hand have their
``$defs`` hoisted into ``components`` so every ``$ref`` resolves. ``tests/backend/test_openapi.py`` validates it;
``tests/backend/test_schemathesis.py`` holds the server to it with schemathesis.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from backend.auth.deps import needs_token
from backend.problems import MEDIA_TYPE

PROBLEM_REF = "#/components/schemas/Problem"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An RFC 9457 problem; ``code`` is stable (ARCHITECTURE.md lists them). Some codes add fields.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": "string"}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
    "additionalProperties": True,
}
DESCRIPTIONS = {
    "400": "The body cannot be parsed (its framing is broken)",
    "401": "Not authenticated: no bearer token, or a bad, expired or revoked one",
    "403": "Forbidden: the role, the district or the credential (a device token) does not allow it",
    "404": "Not found, or not visible to the caller",
    "405": "The path, as sent, names a route that has no such method",
    "409": "Conflict with the current state (a version, a status, an existing record)",
    "410": "Gone: the cursor is older than the change log keeps (PROTOCOL.md)",
    "426": "Upgrade required: the client's protocol version is too old (PROTOCOL.md)",
    "413": "The request body is over the route's limit",
    "422": "The request does not match the schema, or breaks a rule",
    "500": "An unexpected error (a bug), logged",
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# What no dependency tells: the sign-in route answers 401 for a wrong password without authenticating first.
# The sync routes answer PROTOCOL.md's 410 (a cursor too old) and 426 (a client too old).
EXTRA: dict[str, set[str]] = {"issue_token": {"401"}, "push": {"410", "426"}, "pull": {"410", "426"}}


def _params(dependant: Any) -> tuple[bool, bool]:
    """Whether a route, through any of its dependencies, takes path and query parameters."""
    path, query, stack = False, False, [dependant]
    while stack:
        d = stack.pop()
        path, query = path or bool(d.path_params), query or bool(d.query_params)
        stack.extend(d.dependencies)
    return path, query


def _codes(route: Any) -> set[str]:
    codes = {"500"}
    has_body = route.body_field is not None or "requestBody" in (route.openapi_extra or {})
    if needs_token(route):
        codes |= {"401", "403"}
        if route.methods & WRITES:
            codes.add("409")
    path_params, query_params = _params(route.dependant)
    if path_params or (has_body and needs_token(route)):
        codes.add("404")  # the record in the path, or one the body names (an establishment, an inspection)
    if path_params:  # a path segment the route's pattern refuses (a newline) can match another method's route
        codes.add("405")
    if has_body:
        codes |= {"400", "413"}  # 400: a body that cannot be parsed at all (broken multipart or form framing)
    if has_body or path_params or query_params:
        codes.add("422")
    return codes | EXTRA.get(route.name, set())


def _problem_response(code: str, existing: dict[str, Any] | None) -> dict[str, Any]:
    description = (existing or {}).get("description") or DESCRIPTIONS.get(code, "A problem")
    if code == "422" and description == "Validation Error":
        description = DESCRIPTIONS["422"]
    return {"description": description, "content": {MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}}}


def _hoist_defs(node: Any, components: dict[str, Any]) -> Any:
    """A schema pydantic made on its own (``model_json_schema``) keeps its models under ``$defs``: move them into
    ``components/schemas`` and point the references there."""
    if isinstance(node, dict):
        for name, schema in node.pop("$defs", {}).items():
            components.setdefault(name, _hoist_defs(schema, components))
        return {
            k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref" else _hoist_defs(v, components))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_hoist_defs(v, components) for v in node]
    return node


def build(app: FastAPI) -> dict[str, Any]:
    doc = get_openapi(title=app.title, version=app.version, routes=app.routes)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = PROBLEM_SCHEMA
    doc["paths"] = _hoist_defs(doc["paths"], schemas)
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        path = doc["paths"].get(route.path_format, {})
        for method in route.methods or ():
            operation = path.get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            if method == "HEAD":  # headers only: a HEAD answer has no body, so no content type
                for code in [c for c in responses if c[0] == "2"]:
                    responses[code].pop("content", None)
            for code in sorted(_codes(route) | {c for c in responses if c[0] in "45"}):
                responses[code] = _problem_response(code, responses.get(code))
    return doc


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
