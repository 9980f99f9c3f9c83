# ruff: noqa: E501  (a table: one route a line)
"""Who may call which route (hardening, issue 21), checked by ``test_authorization_matrix.py``.

Each line: ``"METHOD path": "persona=status ..."`` for the six signed-in personas; the rest follow rules:
``anonymous``, ``disabled`` (an access token of a disabled account) and ``revoked_device`` get 401 on every
route that authenticates; ``device`` (an inspector's tablet) gets what the inspector gets on the field app's
routes (sync only with a device token: declared) and 403 ``auth.password_sign_in_required`` elsewhere. Statuses: 2xx allowed; 422 allowed, the matrix's
empty body refused after the caller was authorised; 403 the role is refused; 404 a record outside the caller's
area (not revealed) or an id no record has (plans, campaigns, appeals: random ids, 404 even when allowed);
409 allowed, the record's state refuses it. The home records are the Riverside district's (North province):
``other_inspector`` works in Hillside (North), ``other_supervisor`` in the East province. The statistician
changes nothing: 403 on every write but sign-out and asking for an export job (``auth.deps.current_principal``; the matrix found that
it could edit establishments and record complaints, inspections and accidents).
"""

PERSONAS = ("anonymous", "inspector", "other_inspector", "supervisor", "other_supervisor", "admin", "statistician",
            "device", "revoked_device", "disabled")  # fmt: skip
PUBLIC = {"GET /api/v1/health", "POST /api/v1/auth/token", "GET /{path:path}", "GET /api/v1/openapi.json",
          "GET /api/docs", "GET /docs/oauth2-redirect", "GET /api/v1/ready", "GET /metrics",
          "GET /api/docs/assets/{name}"}  # fmt: skip
FIELD = {"POST /api/v1/sync/push", "POST /api/v1/sync/pull", "HEAD /api/v1/blobs/{sha256}",
         "POST /api/v1/blobs/{sha256}", "PATCH /api/v1/blobs/{sha256}", "GET /api/v1/blobs/{sha256}",
         "GET /api/v1/checklists", "GET /api/v1/checklists/{key}/{version}", "GET /api/v1/establishments",
         "GET /api/v1/inspections", "GET /api/v1/users/me", "GET /api/v1/users/colleagues",
         "GET /api/v1/inspections/{inspection_id}/evidence/{sha256}", "POST /api/v1/auth/sign-out",
         "POST /api/v1/devices/me/notice-blocks"}  # fmt: skip

POLICY: dict[str, str] = {
    "GET /api/docs": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/docs/assets/{name}": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/accidents": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/accidents/statistics": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "GET /api/v1/accidents/{accident_id}": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/actions/{action_id}/appeals": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/actions/{action_id}/history": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/actions/{action_id}/notices": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/assignments": "inspector=403 other_inspector=403 supervisor=200 other_supervisor=200 admin=200 statistician=403",
    "GET /api/v1/audit/events": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=200 statistician=403",
    "GET /api/v1/audit/verify": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=200 statistician=403",
    "GET /api/v1/blobs/{sha256}": "inspector=200 other_inspector=404 supervisor=404 other_supervisor=404 admin=404 statistician=404",
    "GET /api/v1/campaigns": "inspector=403 other_inspector=403 supervisor=200 other_supervisor=200 admin=200 statistician=403",
    "GET /api/v1/campaigns/{campaign_id}": "inspector=403 other_inspector=403 supervisor=404 other_supervisor=404 admin=404 statistician=403",
    "GET /api/v1/checklists": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/checklists/{key}/{version}": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/complaints": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/complaints/reveal-grants": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=200 statistician=403",
    "GET /api/v1/complaints/statistical": "inspector=403 other_inspector=403 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/complaints/{complaint_id}": "inspector=404 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=404",
    "GET /api/v1/dashboard": "inspector=403 other_inspector=403 supervisor=200 other_supervisor=200 admin=200 statistician=403",
    "GET /api/v1/devices": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/disease-cases": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/enforcement/queue": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/establishments": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/establishments/{establishment_id}": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/establishments/{establishment_id}/compliance": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/establishments/{establishment_id}/orders": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/health": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/inspections": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/inspections/{inspection_id}": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/inspections/{inspection_id}/actions": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/inspections/{inspection_id}/desk": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/inspections/{inspection_id}/evidence/{sha256}": "inspector=404 other_inspector=404 supervisor=404 other_supervisor=404 admin=404 statistician=404",
    "GET /api/v1/inspections/{inspection_id}/interviews": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/inspections/{inspection_id}/missing": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/inspections/{inspection_id}/violations": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/openapi.json": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/org-units": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/planning/risk": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "GET /api/v1/plans": "inspector=403 other_inspector=403 supervisor=200 other_supervisor=200 admin=200 statistician=403",
    "GET /api/v1/plans/{plan_id}": "inspector=403 other_inspector=403 supervisor=404 other_supervisor=404 admin=404 statistician=403",
    "GET /api/v1/ready": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/review-queue": "inspector=403 other_inspector=403 supervisor=200 other_supervisor=200 admin=200 statistician=403",
    "GET /api/v1/staff": "inspector=403 other_inspector=403 supervisor=200 other_supervisor=200 admin=200 statistician=403",
    "GET /api/v1/users": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=200 statistician=403",
    "GET /api/v1/users/colleagues": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/users/me": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/users/{user_id:uuid}": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=200 statistician=403",
    "GET /docs/oauth2-redirect": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /metrics": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /{path:path}": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "HEAD /api/v1/blobs/{sha256}": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "PATCH /api/v1/blobs/{sha256}": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "PATCH /api/v1/establishments/{establishment_id}": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=403",
    "PATCH /api/v1/inspections/{inspection_id}": "inspector=200 other_inspector=404 supervisor=403 other_supervisor=404 admin=403 statistician=403",
    "PATCH /api/v1/org-units/{unit_id}": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=200 statistician=403",
    "PATCH /api/v1/users/{user_id}": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=200 statistician=403",
    "POST /api/v1/accidents": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/accidents/{accident_id}/investigation": "inspector=422 other_inspector=404 supervisor=422 other_supervisor=404 admin=422 statistician=403",
    "POST /api/v1/actions/{action_id}/appeals": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/actions/{action_id}/claim": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=403",
    "POST /api/v1/actions/{action_id}/close": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/actions/{action_id}/escalate": "inspector=403 other_inspector=404 supervisor=422 other_supervisor=404 admin=422 statistician=403",
    "POST /api/v1/actions/{action_id}/notices": "inspector=201 other_inspector=404 supervisor=201 other_supervisor=404 admin=201 statistician=403",
    "POST /api/v1/actions/{action_id}/payment": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/appeals/{appeal_id}/decide": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/assignments": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/assignments/{inspection_id}/reassign": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/auth/sign-out": "inspector=204 other_inspector=204 supervisor=204 other_supervisor=204 admin=204 statistician=204",
    "POST /api/v1/auth/token/renew": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "POST /api/v1/auth/token": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "POST /api/v1/blobs/{sha256}": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "POST /api/v1/campaigns": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/campaigns/{campaign_id}/targets/{establishment_id}/assign": "inspector=403 other_inspector=403 supervisor=404 other_supervisor=404 admin=404 statistician=403",
    "POST /api/v1/complaints": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/complaints/reveal-grants": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=422 statistician=403",
    "POST /api/v1/complaints/reveal-grants/{grant_id}/revoke": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=404 statistician=403",
    "POST /api/v1/complaints/{complaint_id}/assign": "inspector=404 other_inspector=404 supervisor=422 other_supervisor=404 admin=422 statistician=403",
    "POST /api/v1/complaints/{complaint_id}/complainant/reveal": "inspector=404 other_inspector=404 supervisor=422 other_supervisor=404 admin=422 statistician=403",
    "POST /api/v1/complaints/{complaint_id}/inspection": "inspector=404 other_inspector=404 supervisor=409 other_supervisor=404 admin=409 statistician=403",
    "POST /api/v1/complaints/{complaint_id}/outcome": "inspector=404 other_inspector=404 supervisor=422 other_supervisor=404 admin=422 statistician=403",
    "POST /api/v1/complaints/{complaint_id}/reply": "inspector=404 other_inspector=404 supervisor=422 other_supervisor=404 admin=422 statistician=403",
    "POST /api/v1/complaints/{complaint_id}/triage": "inspector=404 other_inspector=404 supervisor=422 other_supervisor=404 admin=422 statistician=403",
    "POST /api/v1/devices": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/devices/{device_id}/revoke": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=200 statistician=403",
    "POST /api/v1/devices/{device_id}/token": "inspector=200 other_inspector=404 supervisor=404 other_supervisor=404 admin=404 statistician=403",
    "POST /api/v1/disease-cases": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/establishments": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/establishments/import": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/establishments/{establishment_id}/relations": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/inspections": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/inspections/{inspection_id}/actions": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/inspections/{inspection_id}/amendments": "inspector=422 other_inspector=404 supervisor=422 other_supervisor=404 admin=422 statistician=403",
    "POST /api/v1/inspections/{inspection_id}/decision": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/inspections/{inspection_id}/follow-up/{action_id}": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/inspections/{inspection_id}/interviews": "inspector=422 other_inspector=404 supervisor=403 other_supervisor=404 admin=403 statistician=403",
    "POST /api/v1/inspections/{inspection_id}/review": "inspector=422 other_inspector=404 supervisor=422 other_supervisor=404 admin=422 statistician=403",
    "POST /api/v1/inspections/{inspection_id}/submit": "inspector=422 other_inspector=404 supervisor=422 other_supervisor=404 admin=422 statistician=403",
    "POST /api/v1/notice-blocks": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/notice-blocks/{block_id}/void": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/org-units": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=422 statistician=403",
    "POST /api/v1/plans": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/plans/{plan_id}/visits/{visit_id}/assign": "inspector=403 other_inspector=403 supervisor=404 other_supervisor=404 admin=404 statistician=403",
    "POST /api/v1/sync/pull": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=403 statistician=403 device=422",
    "POST /api/v1/sync/push": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=403 statistician=403 device=422",
    "POST /api/v1/users": "inspector=403 other_inspector=403 supervisor=403 other_supervisor=403 admin=422 statistician=403",
    "PUT /api/v1/accidents/{accident_id}/casualties": "inspector=422 other_inspector=404 supervisor=422 other_supervisor=404 admin=422 statistician=403",
    "PUT /api/v1/inspections/{inspection_id}/findings": "inspector=422 other_inspector=404 supervisor=422 other_supervisor=404 admin=422 statistician=403",
    "POST /api/v1/actions/{action_id}/escalation/dismiss": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "POST /api/v1/devices/me/notice-blocks": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "GET /api/v1/reports/annual": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "GET /api/v1/reports/annual/{table}.csv": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "GET /api/v1/reports/annual.html": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "GET /api/v1/reports/ilostat": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "GET /api/v1/reports/ilostat.csv": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "GET /api/v1/reports/application": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "GET /api/v1/reports/denominators": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "PUT /api/v1/reports/denominators": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    # per inspection (ntc2): the printed report and notices, to whoever reads the inspection or the measure
    "GET /api/v1/inspections/{inspection_id}/report.pdf": "inspector=200 other_inspector=404 supervisor=200 other_supervisor=404 admin=200 statistician=200",
    "GET /api/v1/actions/{action_id}/notices/{notice_id}.pdf": "inspector=404 other_inspector=404 supervisor=404 other_supervisor=404 admin=404 statistician=404",
    "GET /api/v1/opendata/{table}.csv": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    # per inspection (ntc2): a penalty decision disclosed (APL Art. 48) by a supervisor of the district; read by
    # whoever reads the measure (the matrix's measure is an order: not a penalty, and not disclosed)
    "POST /api/v1/actions/{action_id}/disclosure": "inspector=403 other_inspector=404 supervisor=422 other_supervisor=404 admin=422 statistician=403",
    "GET /api/v1/actions/{action_id}/disclosure": "inspector=404 other_inspector=404 supervisor=404 other_supervisor=404 admin=404 statistician=404",
    "POST /api/v1/actions/{action_id}/disclosure/withdraw": "inspector=422 other_inspector=422 supervisor=422 other_supervisor=422 admin=422 statistician=403",
    "GET /api/v1/enforcement/measures": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    "GET /api/v1/enforcement/violations": "inspector=200 other_inspector=200 supervisor=200 other_supervisor=200 admin=200 statistician=200",
    # exports (issue 19): every dataset as CSV or XLSX; export jobs, only the asker's (random ids: 404)
    "GET /api/v1/exports/{dataset}.{fmt}": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "POST /api/v1/exports/jobs": "inspector=403 other_inspector=403 supervisor=422 other_supervisor=422 admin=422 statistician=422",
    "GET /api/v1/exports/jobs/{export_id}": "inspector=403 other_inspector=403 supervisor=404 other_supervisor=404 admin=404 statistician=404",
    "GET /api/v1/exports/jobs/{export_id}/download": "inspector=403 other_inspector=403 supervisor=404 other_supervisor=404 admin=404 statistician=404",
}


def expected_for(route: str, persona: str) -> int:
    declared = dict(pair.split("=") for pair in POLICY[route].split())
    if persona in declared:
        return int(declared[persona])
    if route in PUBLIC:
        return int(declared.get("public", declared.get("inspector", "200")))
    if persona in ("anonymous", "disabled", "revoked_device"):
        return 401
    if persona == "device":
        return int(declared["inspector"]) if route in FIELD else 403
    raise KeyError(persona)
