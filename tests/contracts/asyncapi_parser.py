"""The official AsyncAPI parser (`@asyncapi/parser` from npm) run with Node on a document.

Its packages are installed with `npm ci` from the committed package-lock.json
(`tests/contracts/asyncapi/`) into a cache directory (`$XDG_CACHE_HOME/union-platform/
asyncapi-parser-<lock hash>`, or `UNION_ASYNCAPI_PARSER_DIR`) the first time; later runs reuse
it. Without `node` and `npm`, or without the npm registry on a first run, the test fails and
says why: it never skips.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from union_events.testing.npm import installed

SOURCE = Path(__file__).resolve().parent / "asyncapi"
FILES = ("package.json", "package-lock.json", "validate.mjs")
NO_NODE = (
    "the AsyncAPI contract test validates each service's document with the official parser "
    "(@asyncapi/parser from npm), run with Node.js: install Node.js 20+ with npm "
    "(Debian/Ubuntu: `sudo apt-get install -y nodejs npm`, or from https://nodejs.org) and make "
    "`node` and `npm` available on PATH"
)


def install() -> Path:
    """The directory holding validate.mjs and its node_modules (`npm ci` when missing)."""
    return installed(
        SOURCE,
        FILES,
        name="asyncapi-parser",
        marker="@asyncapi/parser/package.json",
        env="UNION_ASYNCAPI_PARSER_DIR",
        no_node=NO_NODE,
    )


def parse(documents: dict[str, bytes], work_dir: Path) -> dict[str, dict[str, Any]]:
    """The parser's verdict per document (name -> errors, warnings, counts), in one Node run."""
    directory = install()
    files = []
    for name, text in documents.items():
        path = work_dir / f"{name}.asyncapi.json"
        path.write_bytes(text)
        files.append(str(path))
    result = subprocess.run(
        [shutil.which("node") or "node", str(directory / "validate.mjs"), *files],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"the AsyncAPI parser failed:\n{result.stderr}"
    verdicts = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    by_file = {Path(v["file"]).name.removesuffix(".asyncapi.json"): v for v in verdicts}
    assert set(by_file) == set(documents), result.stdout
    return by_file
