"""PROTOCOL.md's worked examples: each labelled block validates, and the exchanges replay exactly."""

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from pydantic import BaseModel

from sync import protocol
from sync.attested import document_v2, hash_of
from sync.canonical import canonical_json
from sync.engine import Engine, parse_pull, parse_push
from sync.errors import SyncError
from sync.hashing import InspectionContent, content_document, content_hash
from sync.memory import MemoryStore
from sync.memory_handlers import memory_registry
from sync.mutations import MUTATIONS

DOC = Path(__file__).resolve().parents[2] / "sync" / "PROTOCOL.md"
BLOCK = re.compile(r"^```json example=(?P<name>[a-z0-9-]+) model=(?P<model>\w+)\n(?P<body>.*?)^```$", re.M | re.S)


def examples() -> dict[str, tuple[str, Any]]:
    found: dict[str, tuple[str, Any]] = {}
    for m in BLOCK.finditer(DOC.read_text(encoding="utf-8")):
        assert m["name"] not in found, f"duplicate example name {m['name']}"
        found[m["name"]] = (m["model"], json.loads(m["body"]))
    return found


EXAMPLES = examples()
SPECIAL = {"HashVector", "HashVectorV2", "Devices"}


def test_the_document_has_examples_of_every_message() -> None:
    models = {model for model, _ in EXAMPLES.values()}
    assert {"PushRequest", "PushResponse", "PullRequest", "PullResponse", "ErrorBody", "HashVector"} <= models
    named = {m["name"] for request in _of("PushRequest") for m in request["mutations"]}
    assert {"inspection.create", "finding.record", "photo.attach", "conflict.resolve", "inspection.submit"} <= named


def _of(model: str) -> list[Any]:
    return [body for m, body in EXAMPLES.values() if m == model]


@pytest.mark.parametrize("name", sorted(n for n, (m, _) in EXAMPLES.items() if m not in SPECIAL))
def test_example_validates_against_its_model(name: str) -> None:
    model_name, body = EXAMPLES[name]
    model: type[BaseModel] = getattr(protocol, model_name)
    parsed = model.model_validate(body)
    assert model.model_validate(parsed.model_dump(mode="json")) == parsed
    if isinstance(parsed, protocol.PushRequest):
        for m in parsed.mutations:
            MUTATIONS[(m.name, m.v)].model_validate(m.args)


def test_unknown_fields_in_examples_would_be_rejected() -> None:
    _, body = EXAMPLES["push-1-request"]
    with pytest.raises(ValueError):
        protocol.PushRequest.model_validate({**body, "surprise": 1})
    with pytest.raises(ValueError):
        protocol.Mutation.model_validate({**body["mutations"][0], "surprise": 1})


@pytest.mark.parametrize("name", sorted(n for n, (m, _) in EXAMPLES.items() if m == "HashVector"))
def test_hash_vector(name: str) -> None:
    _, vector = EXAMPLES[name]
    content = InspectionContent.model_validate(vector["content"])
    assert canonical_json(content_document(content)) == vector["canonical"]
    assert content_hash(content) == vector["content_hash"]
    assert "sha256:" + hashlib.sha256(vector["canonical"].encode()).hexdigest() == vector["content_hash"]


@pytest.mark.parametrize("name", sorted(n for n, (m, _) in EXAMPLES.items() if m == "HashVectorV2"))
def test_hash_vector_v2(name: str) -> None:
    _, vector = EXAMPLES[name]
    document = document_v2(vector["rows"], vector["inspection_id"])
    assert canonical_json(document) == vector["canonical"]
    assert hash_of(document) == vector["content_hash"]
    assert "sha256:" + hashlib.sha256(vector["canonical"].encode()).hexdigest() == vector["content_hash"]


def test_worked_example_replays_through_the_engine() -> None:
    """Replay every push/pull request in document order; the engine must answer what the doc shows."""
    store, engine = MemoryStore(), Engine(memory_registry())
    actors = {
        UUID(device): store.register_device(UUID(device), who["user_id"], who["role"])
        for device, who in EXAMPLES["devices"][1].items()
    }
    exchanges = [n.removesuffix("-request") for n in EXAMPLES if re.fullmatch(r"(push|pull)-\d+-request", n)]
    assert len(exchanges) >= 6
    for name in exchanges:
        request = EXAMPLES[f"{name}-request"][1]
        for m in request.get("mutations", []):
            if m["name"] == "photo.attach":
                store.verify_blob(m["args"]["sha256"])  # the upload of §8 completed
        actor = actors[UUID(request["device_id"])]
        with store.transaction() as tx:
            if name.startswith("push"):
                answer = engine.push(tx, actor, parse_push(request))
            else:
                answer = engine.pull(tx, actor, parse_pull(request))
        assert answer == type(answer).model_validate(EXAMPLES[f"{name}-response"][1]), name
    # the seq-gap error shown after push-3 is what device A would get now for seq 7
    gap = EXAMPLES["error-seq-gap"][1]
    device_a = next(a for a in actors.values() if a.user_id == "u-lead")
    mutation = {**EXAMPLES["push-1-request"][1]["mutations"][0], "seq": 7}
    with pytest.raises(SyncError) as err, store.transaction() as tx:
        engine.push(
            tx, device_a, parse_push({"protocol": 1, "device_id": str(device_a.device_id), "mutations": [mutation]})
        )
    assert err.value.code == gap["code"]
    assert err.value.context["expected_seq"] == store.device_last_seq(device_a.device_id) + 1
