"""The PWA's canonical JSON and content hash give the test vectors of sync/PROTOCOL.md §7.3."""

import json
import re
from pathlib import Path

from tests.e2e.flows import sign_in_and_register

PROTOCOL = Path(__file__).resolve().parents[2] / "sync" / "PROTOCOL.md"


def _vectors() -> list[dict]:
    text = PROTOCOL.read_text(encoding="utf-8")
    blocks = re.findall(r"```json example=hash-vector-\d+ model=HashVector\n(.*?)```", text, re.DOTALL)
    return [json.loads(b) for b in blocks]


def test_content_hash_matches_the_protocol_vectors(tablet):
    vectors = _vectors()
    assert len(vectors) >= 2
    page = tablet().new_page()
    page.goto("/")
    page.wait_for_function("window.__li !== undefined")
    for vector in vectors:
        assert page.evaluate("(c) => window.__li.contentHash(c)", vector["content"]) == vector["content_hash"]


def test_sign_in_refuses_a_wrong_password_and_unlock_checks_it_offline(tablet, api):
    context = tablet()
    page = context.new_page()
    page.goto("/")
    page.get_by_label("E-mail").fill("amina@example.org")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Wrong e-mail or password.").wait_for()
    page.close()

    page = context.new_page()
    sign_in_and_register(page)
    api.offline = True
    context.set_offline(True)
    page.reload()
    page.get_by_label("Password").fill("not it")
    page.get_by_role("button", name="Unlock").click()
    page.get_by_text("Wrong password.").wait_for()
