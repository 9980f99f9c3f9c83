"""One set of canonical JSON vectors (``canonical_vectors.json``) for both implementations: ``sync/canonical.py``
(the server's, for submissions, fingerprints and content hashes) and the PWA's ``pwa/src/canonical.ts``, run by
node after esbuild bundles it. The content-hash vectors live in ``sync/PROTOCOL.md`` §7.3 (``test_protocol_doc``
and ``tests/e2e/test_protocol.py`` check both against them)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sync.canonical import canonical_json

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads((Path(__file__).parent / "canonical_vectors.json").read_text())["vectors"]
CHECK = """
import { readFileSync } from "node:fs";
import { canonicalJson } from "./canonical.mjs";
const vectors = JSON.parse(readFileSync(process.argv[2], "utf8")).vectors;
const out = vectors.map((v) => {
  try { return { name: v.name, canonical: canonicalJson(JSON.parse(v.json)) }; }
  catch (e) { return { name: v.name, error: true }; }
});
process.stdout.write(JSON.stringify(out));
"""


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_python_writes_each_vector(vector: dict) -> None:
    if vector.get("error"):
        with pytest.raises(ValueError):
            canonical_json(json.loads(vector["json"]))
    else:
        assert canonical_json(json.loads(vector["json"])) == vector["canonical"]


def test_the_pwa_writes_each_vector(tmp_path: Path) -> None:
    esbuild, node = ROOT / "pwa" / "node_modules" / ".bin" / "esbuild", shutil.which("node")
    assert esbuild.exists() and node, "make pwa installs esbuild; node comes with it"
    subprocess.run([str(esbuild), str(ROOT / "pwa" / "src" / "canonical.ts"), "--format=esm", "--log-level=error",
                    f"--outfile={tmp_path / 'canonical.mjs'}"], check=True)  # fmt: skip
    (tmp_path / "check.mjs").write_text(CHECK)
    vectors = str(Path(__file__).parent / "canonical_vectors.json")
    done = subprocess.run([node, str(tmp_path / "check.mjs"), vectors], check=True, capture_output=True, text=True)
    got = {r["name"]: r for r in json.loads(done.stdout)}
    for vector in VECTORS:
        if vector.get("error"):
            assert got[vector["name"]].get("error"), vector["name"]
        else:
            assert got[vector["name"]].get("canonical") == vector["canonical"], vector["name"]
