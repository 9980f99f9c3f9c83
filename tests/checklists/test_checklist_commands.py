"""The ``checklists`` command group: validate, coverage, render, lock."""

import shutil
from pathlib import Path

from typer.testing import CliRunner

from backend.checklists.commands import app

CHECKLISTS = Path(__file__).resolve().parents[2] / "checklists"
runner = CliRunner()


def copy_library(tmp_path: Path) -> Path:
    for path in [*CHECKLISTS.glob("*.yaml"), CHECKLISTS / "published.lock.json"]:
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_validate_passes_on_the_repository() -> None:
    result = runner.invoke(app, ["validate", str(CHECKLISTS)])
    assert result.exit_code == 0, result.output
    assert "OK: 14 checklists" in result.output


def test_validate_fails_with_the_error_list(tmp_path: Path) -> None:
    directory = copy_library(tmp_path)
    path = directory / "wages.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('article: "48"', 'article: "999"'), encoding="utf-8")
    (directory / "mines.yaml").write_text("key: mines\nversion: [1\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(directory)])
    assert result.exit_code == 1
    assert "unknown article 'CN-LL' Art. 999" in result.output
    assert "mines.yaml: line" in result.output


def test_validate_fails_on_content_change_without_version_bump(tmp_path: Path) -> None:
    directory = copy_library(tmp_path)
    path = directory / "wages.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("severity: critical", "severity: major", 1), encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", str(directory)])
    assert result.exit_code == 1
    assert "wages version 1: content changed without a version bump" in result.output


def test_lock_records_a_bumped_version(tmp_path: Path) -> None:
    directory = copy_library(tmp_path)
    path = directory / "wages.yaml"
    text = path.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1)
    path.write_text(text.replace("severity: critical", "severity: major", 1), encoding="utf-8")
    assert runner.invoke(app, ["lock", str(directory), "--check"]).exit_code == 1
    result = runner.invoke(app, ["lock", str(directory)])
    assert result.exit_code == 0, result.output
    assert '"2":' in (directory / "published.lock.json").read_text(encoding="utf-8")
    assert runner.invoke(app, ["lock", str(directory), "--check"]).exit_code == 0


def test_coverage_text_and_csv() -> None:
    text = runner.invoke(app, ["coverage", "--dir", str(CHECKLISTS)])
    assert text.exit_code == 0, text.output
    assert "Total items:" in text.output and "Instruments not cited:" in text.output
    csv = runner.invoke(app, ["coverage", "--format", "csv", "--dir", str(CHECKLISTS)])
    assert csv.exit_code == 0
    assert csv.output.startswith("instrument,kind,ratified_by_china,article,item_count,item_ids")


def test_render_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "ga.html"
    args = ["render", "general-administration", "--lang", "zh", "--format", "html", "--out", str(out)]
    result = runner.invoke(app, [*args, "--dir", str(CHECKLISTS)])
    assert result.exit_code == 0, result.output
    assert "职工名册" in out.read_text(encoding="utf-8")
    unknown = runner.invoke(app, ["render", "nope", "--out", str(out), "--dir", str(CHECKLISTS)])
    assert unknown.exit_code == 1
