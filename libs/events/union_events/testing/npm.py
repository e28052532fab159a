"""An npm package a test runs with Node (the official AsyncAPI parser, a real OpenID
provider): installed with `npm ci` from a committed package-lock.json into a cache directory
the first time (`$XDG_CACHE_HOME/union-platform/<name>-<lock hash>`, or the directory an
environment variable names), reused later. Without `node` and `npm`, or without the npm
registry on a first run, the test fails and says why: it never skips."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def installed(
    source: Path, files: tuple[str, ...], *, name: str, marker: str, env: str, no_node: str
) -> Path:
    """The directory holding `files` (from `source`) and their node_modules; `marker` is a
    path under node_modules that exists once installed."""
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        pytest.fail(no_node, pytrace=False)
    target = _cache_dir(source, name, env)
    if not (target / "node_modules" / marker).exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent))
        for file in ("package.json", "package-lock.json"):
            shutil.copy(source / file, staging / file)
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=staging,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            pytest.fail(
                f"`npm ci` of {source}/package-lock.json failed (is the npm registry "
                f"reachable?):\n{result.stdout}\n{result.stderr}",
                pytrace=False,
            )
        shutil.rmtree(target, ignore_errors=True)
        try:
            staging.rename(target)
        except OSError:  # another run got there first
            shutil.rmtree(staging, ignore_errors=True)
    for file in files:  # the scripts and their manifest as committed, every time
        shutil.copy(source / file, target / file)
    return target


def _cache_dir(source: Path, name: str, env: str) -> Path:
    explicit = os.environ.get(env, "").strip()
    if explicit:
        return Path(explicit)
    lock = (source / "package-lock.json").read_bytes()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "union-platform" / f"{name}-{hashlib.sha256(lock).hexdigest()[:16]}"
