"""The desk's strings (pwa/src/views/desk/strings.ts) in English and Chinese, every key the desk uses among them,
and the tablet's bundle without the desk's code (its own chunk, loaded on demand)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DESK = ROOT / "pwa" / "src" / "views" / "desk"
ENTRY = re.compile(r'^\s*"([a-z_0-9.]+)": \{ en: "((?:[^"\\]|\\.)*)", zh: "((?:[^"\\]|\\.)*)" \},$', re.MULTILINE)
STRINGS = {k: (en, zh) for k, en, zh in ENTRY.findall((DESK / "strings.ts").read_text(encoding="utf-8"))}
SOURCES = [p.read_text(encoding="utf-8") for p in DESK.glob("*.tsx")]


def test_every_desk_string_has_english_and_chinese_with_the_same_placeholders():
    assert len(STRINGS) > 150
    for key, (en, zh) in STRINGS.items():
        assert en.strip() and zh.strip(), key
        bare = re.sub(r"\{\w+\}", "", zh)
        assert re.search(r"[\u4e00-\u9fff]", zh) or not re.search(r"[A-Za-z]", bare), f"{key}: zh is not Chinese"
        assert set(re.findall(r"\{(\w+)\}", en)) == set(re.findall(r"\{(\w+)\}", zh)), key


def test_every_key_the_desk_uses_is_translated():
    used = set()
    for text in SOURCES:
        used |= set(re.findall(r"""\bd\(\s*"([a-z_0-9]+\.[a-z_0-9.]+)\"""", text))
        used |= set(re.findall(r"""label: "([a-z_]+\.[a-z_]+)\"""", text))
    assert used and not sorted(k for k in used if k not in STRINGS)
    for prefix in {p for text in SOURCES for p in re.findall(r"""d\(\s*`([a-z_.]+)\.\$\{""", text)}:
        assert any(k.startswith(prefix + ".") for k in STRINGS), prefix
    for value in ("planned", "complaint", "accident", "follow_up", "campaign"):
        assert f"type.{value}" in STRINGS
    for value in ("critical", "major", "minor"):
        assert f"sev.{value}" in STRINGS
    for value in ("compliant", "non_compliant", "not_applicable", "not_verified"):
        assert f"st.{value}" in STRINGS


def test_the_tablet_bundle_does_not_carry_the_desk(dist):
    assets = dist / "assets"
    [app] = [p for p in assets.glob("app-*.js")]
    text = app.read_text(encoding="utf-8")
    assert "Supervisor's desk" not in text
    desk = [p for p in assets.glob("chunk-*.js") if "Supervisor's desk" in p.read_text(encoding="utf-8")]
    assert len(desk) == 1 and desk[0].name in text  # loaded on demand by name
