"""Loader errors name the file and the path inside it, and every error of a file is reported."""

import re
import shutil
from pathlib import Path

import pytest
import yaml

from backend.checklists.loader import (
    ChecklistLoadError,
    content_sha256,
    load_checklist,
    load_library,
    load_registry,
    loc_to_path,
)

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"

ITEM = {
    "id": "x.a.01",
    "text": {"en": "Is it so?", "zh": "是否如此？"},
    "guidance": {"en": "Look.", "zh": "查看。"},
    "legal_basis": [{"instrument": "C95", "article": "12"}, {"instrument": "CN-LL", "article": "50"}],
    "verification": ["documents"],
    "severity": "major",
    "evidence_required": False,
    "measure": {"type": "advice"},
}


def checklist_data(key: str = "sample", items: list[dict] | None = None) -> dict:
    return {
        "key": key,
        "version": 1,
        "title": {"en": "Sample", "zh": "样例"},
        "description": {"en": "A sample.", "zh": "样例。"},
        "sections": [{"id": "x.a", "title": {"en": "A", "zh": "甲"}, "items": items or [dict(ITEM)]}],
    }


@pytest.fixture(scope="module")
def registry():
    return load_registry(CHECKLISTS / "instruments.yaml")


def write(path: Path, data: dict | str) -> Path:
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def messages(exc: pytest.ExceptionInfo[ChecklistLoadError]) -> list[str]:
    return [str(issue) for issue in exc.value.issues]


def test_a_valid_file_loads(tmp_path: Path, registry) -> None:
    checklist = load_checklist(write(tmp_path / "sample.yaml", checklist_data()), registry)
    assert checklist.key == "sample"
    assert [i.id for i in checklist.items()] == ["x.a.01"]


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path, registry) -> None:
    path = write(tmp_path / "broken.yaml", "key: broken\nversion: 1\ntitle: {en: [unclosed\n  zh: x\n")
    with pytest.raises(ChecklistLoadError) as exc:
        load_checklist(path, registry)
    (message,) = messages(exc)
    assert "broken.yaml: line " in message
    assert "YAML syntax error" in message


def test_validation_errors_name_the_item_path(tmp_path: Path, registry) -> None:
    bad = dict(ITEM, text={"en": "Only English"})
    second = dict(ITEM, id="x.a.02", severity="catastrophic")
    path = write(tmp_path / "sample.yaml", checklist_data(items=[dict(ITEM, id="x.a.00"), bad, second]))
    with pytest.raises(ChecklistLoadError) as exc:
        load_checklist(path, registry)
    found = messages(exc)
    assert any(m.endswith("sample.yaml: sections[0].items[1].text.zh: Field required") for m in found), found
    assert any("sections[0].items[2].severity" in m for m in found), found
    assert len(exc.value.issues) == 2


def test_unknown_article_and_instrument_are_errors(tmp_path: Path, registry) -> None:
    item = dict(ITEM, legal_basis=[{"instrument": "C95", "article": "99"}, {"instrument": "C999", "article": "1"}])
    path = write(tmp_path / "wages-test.yaml", checklist_data(key="wages-test", items=[item]))
    with pytest.raises(ChecklistLoadError) as exc:
        load_checklist(path, registry)
    found = messages(exc)
    assert any(
        m.endswith("wages-test.yaml: sections[0].items[0].legal_basis[0]: unknown article 'C95' Art. 99 (item x.a.01)")
        for m in found
    ), found
    assert any("legal_basis[1]: unknown instrument 'C999'" in m for m in found), found


def test_sub_article_is_covered_by_its_registered_article(tmp_path: Path, registry) -> None:
    item = dict(ITEM, legal_basis=[{"instrument": "C81", "article": "12(1)(c)(ii)"}])
    assert load_checklist(write(tmp_path / "sample.yaml", checklist_data(items=[item])), registry)


def test_key_must_match_the_file_name(tmp_path: Path, registry) -> None:
    path = write(tmp_path / "other-name.yaml", checklist_data(key="sample"))
    with pytest.raises(ChecklistLoadError) as exc:
        load_checklist(path, registry)
    (message,) = messages(exc)
    assert message.endswith("other-name.yaml: key: key 'sample' does not match the file name 'other-name'")


def test_all_errors_of_a_file_are_collected(tmp_path: Path, registry) -> None:
    items = [dict(ITEM, legal_basis=[{"instrument": "C95", "article": "99"}]), dict(ITEM, id="x.a.02", guidance={})]
    path = write(tmp_path / "wrong-key.yaml", checklist_data(key="sample", items=items))
    with pytest.raises(ChecklistLoadError) as exc:
        load_checklist(path, registry)
    found = messages(exc)
    assert len(found) >= 4, found  # key, unknown article, guidance.en, guidance.zh
    assert all("wrong-key.yaml" in m for m in found)


def test_library_reports_errors_of_every_file(tmp_path: Path) -> None:
    shutil.copy(CHECKLISTS / "instruments.yaml", tmp_path / "instruments.yaml")
    write(tmp_path / "one.yaml", checklist_data(key="one", items=[dict(ITEM, severity="x")]))
    write(tmp_path / "two.yaml", "key: [\n")
    with pytest.raises(ChecklistLoadError) as exc:
        load_library(tmp_path)
    found = "\n".join(messages(exc))
    assert "one.yaml: sections[0].items[0].severity" in found
    assert "two.yaml: line" in found


def test_item_ids_are_unique_across_the_library(tmp_path: Path) -> None:
    shutil.copy(CHECKLISTS / "instruments.yaml", tmp_path / "instruments.yaml")
    write(tmp_path / "one.yaml", checklist_data(key="one"))
    write(tmp_path / "two.yaml", checklist_data(key="two"))
    with pytest.raises(ChecklistLoadError, match=re.escape("two.yaml: x.a.01: item id also used in checklist 'one'")):
        load_library(tmp_path)


def test_registry_errors_name_the_path(tmp_path: Path) -> None:
    data = yaml.safe_load((CHECKLISTS / "instruments.yaml").read_text(encoding="utf-8"))
    data["instruments"][1]["kind"] = "treaty"
    data["instruments"].append(data["instruments"][0])
    path = write(tmp_path / "instruments.yaml", data)
    with pytest.raises(ChecklistLoadError) as exc:
        load_registry(path)
    assert any("instruments[1].kind" in m for m in messages(exc)), messages(exc)


def test_duplicate_instrument_in_registry(tmp_path: Path) -> None:
    data = yaml.safe_load((CHECKLISTS / "instruments.yaml").read_text(encoding="utf-8"))
    data["instruments"].append(data["instruments"][0])
    path = write(tmp_path / "instruments.yaml", data)
    with pytest.raises(ChecklistLoadError, match="duplicate instrument 'C81'"):
        load_registry(path)


def test_loc_to_path() -> None:
    assert loc_to_path(("sections", 0, "items", 3, "text", "zh")) == "sections[0].items[3].text.zh"
    assert loc_to_path(()) == ""


def test_content_hash_is_canonical_and_content_sensitive(tmp_path: Path, registry) -> None:
    a = load_checklist(write(tmp_path / "sample.yaml", checklist_data()), registry)
    reordered = dict(reversed(list(checklist_data().items())))
    b = load_checklist(write(tmp_path / "sample.yaml", reordered), registry)
    assert content_sha256(a) == content_sha256(b)
    changed = checklist_data(items=[dict(ITEM, severity="minor")])
    c = load_checklist(write(tmp_path / "sample.yaml", changed), registry)
    assert content_sha256(c) != content_sha256(a)
    assert len(content_sha256(a)) == 64


def test_rule_errors_name_the_item_path(tmp_path: Path, registry) -> None:
    order = dict(ITEM, id="x.a.02", measure={"type": "order_to_rectify"})
    path = write(tmp_path / "sample.yaml", checklist_data(items=[dict(ITEM), order]))
    with pytest.raises(ChecklistLoadError) as exc:
        load_checklist(path, registry)
    (message,) = messages(exc)
    assert message.endswith("sections[0].items[1].measure: Value error, an order to rectify needs deadline_days")


def test_duplicate_item_id_is_an_error(tmp_path: Path, registry) -> None:
    path = write(tmp_path / "sample.yaml", checklist_data(items=[dict(ITEM), dict(ITEM)]))
    with pytest.raises(ChecklistLoadError, match=re.escape("duplicate item id 'x.a.01'")):
        load_checklist(path, registry)
