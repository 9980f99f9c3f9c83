"""Web security headers (issue 21, ``backend/security/headers.py``): read from the answers themselves."""

import base64
import hashlib
import re

from backend.security.headers import APP_POLICY

SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


def directives(policy: str) -> dict[str, str]:
    return {d.split()[0]: d.partition(" ")[2] for d in (p.strip() for p in policy.split(";")) if d}


def test_every_answer_carries_a_strict_policy_without_inline_code(client, as_, inspector):
    for r in (client.get("/api/v1/health"), as_(inspector).get("/users/me"), client.get("/api/v1/nowhere")):
        policy = directives(r.headers["content-security-policy"])
        assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
        assert "unsafe-inline" not in r.headers["content-security-policy"]
        assert "unsafe-eval" not in r.headers["content-security-policy"]
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "camera=(self)" in r.headers["permissions-policy"]
        assert "geolocation=(self)" in r.headers["permissions-policy"]
        assert r.headers["cache-control"] == "no-store"  # API answers hold personal data


def test_the_app_shell_gets_the_policy_and_keeps_its_own_caching(client):
    r = client.get("/")
    assert r.headers["content-security-policy"] == APP_POLICY
    assert r.headers.get("cache-control") != "no-store"  # the shell is no personal data: cached for offline start


def test_the_docs_page_allows_exactly_its_own_inline_scripts(client):
    r = client.get("/api/docs")
    assert r.status_code == 200
    inline = SCRIPT.findall(r.text)
    assert inline, "FastAPI's Swagger UI page has an inline script"
    policy = directives(r.headers["content-security-policy"])
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]
    assert "unsafe-inline" not in r.headers["content-security-policy"]
    assert policy["frame-ancestors"] == "'none'"
