"""Checks on the build output and the string catalogue (no browser)."""

import gzip
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "pwa" / "src"
BUDGET = 120 * 1024


def test_shipped_js_and_css_fit_the_size_budget(dist):
    files = [p for p in dist.rglob("*") if p.suffix in {".js", ".css"}]
    assert any(p.name.startswith("app-") and p.suffix == ".js" for p in files)
    sizes = {p.relative_to(dist).as_posix(): len(gzip.compress(p.read_bytes(), 9)) for p in files}
    total = sum(sizes.values())
    print(f"gzipped JS+CSS: {total / 1024:.1f} KiB {sizes}")
    assert total <= BUDGET, f"{total} bytes gzipped > {BUDGET}: {sizes}"


def test_precache_manifest_lists_every_hashed_asset(dist):
    manifest = json.loads((dist / "precache-manifest.json").read_text())
    urls = {e["url"] for e in manifest["entries"]}
    assets = {"/" + p.relative_to(dist).as_posix() for p in (dist / "assets").iterdir()}
    assert assets <= urls
    assert "/index.html" in urls
    assert "/sw.js" not in urls
    sw = (dist / "sw.js").read_text()
    assert manifest["version"] in sw, "sw.js must change whenever an asset changes"
    for asset in assets:
        assert re.search(r"-[A-Z0-9]{8}\.(js|css)$", asset), f"{asset} has no content hash"


CATALOGUE = json.loads((SRC / "strings.json").read_text(encoding="utf-8"))
SOURCES = [p.read_text(encoding="utf-8") for p in SRC.rglob("*.ts*")]


def test_every_string_has_english_and_chinese():
    for key, entry in CATALOGUE.items():
        assert set(entry) == {"en", "zh"}, key
        assert entry["en"].strip() and entry["zh"].strip(), key
        assert re.search(r"[\u4e00-\u9fff]", entry["zh"]) or entry["zh"] == entry["en"], f"{key}: zh is not Chinese"
        placeholders = [set(re.findall(r"\{(\w+)\}", entry[lang])) for lang in ("en", "zh")]
        assert placeholders[0] == placeholders[1], f"{key}: placeholders differ {placeholders}"


def test_every_key_used_in_the_code_is_in_the_catalogue():
    used = set()
    for text in SOURCES:
        used |= set(re.findall(r"""\bt\(\s*"([a-z_0-9]+\.[a-z_0-9.]+)\"""", text))
        used |= set(re.findall(r"""emitError\(\s*"([a-z_0-9.]+)\"""", text))
        used |= set(re.findall(r"""^\s*\["[a-z]*", "([a-z_]+\.[a-z_]+)"\]""", text, re.MULTILINE))
    missing = sorted(k for k in used if k not in CATALOGUE)
    assert not missing, f"keys used but not translated: {missing}"
    prefixes = set()
    for text in SOURCES:
        prefixes |= set(re.findall(r"""t\(\s*`([a-z_]+)\.\$\{""", text))
    for prefix in prefixes:
        assert any(k.startswith(prefix + ".") for k in CATALOGUE), f"no strings for dynamic prefix {prefix}"


def test_enumerations_are_translated():
    for prefix, values in {
        "answer": ["compliant", "non_compliant", "not_applicable", "not_checked"],
        "type": ["planned", "complaint", "accident", "follow_up", "campaign"],
        "status": ["draft", "submit_queued", "submitted"],
        "locked": ["submit_queued", "submitted"],
        "severity": ["critical", "major", "minor"],
        "measure": ["advice", "order_to_rectify", "stop_work"],
        "outcome": ["conflict", "rejected"],
    }.items():
        for value in values:
            assert f"{prefix}.{value}" in CATALOGUE
