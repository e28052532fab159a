"""A real OpenID provider for the tests: `apps/console/tests/oidc/provider.mjs` (the
OpenID-certified `oidc-provider` from npm) run with Node.

Its packages are installed with `npm ci` from the committed package-lock.json into a cache
directory (`$XDG_CACHE_HOME/union-platform/oidc-provider-<lock hash>`, or
`UNION_OIDC_PROVIDER_DIR`) the first time; later runs reuse it. Without `node` and `npm` the
test fails and says what to install: it never skips.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from union_events.embedded._proc import die_with_parent
from union_events.testing.npm import installed

SOURCE = Path(__file__).resolve().parents[1] / "oidc"
FILES = ("package.json", "package-lock.json", "provider.mjs")
CLIENT_ID = "console"
CLIENT_SECRET = "console-test-secret"
NO_NODE = (
    "the OIDC sign-in test runs a real OpenID provider (oidc-provider from npm) with Node.js: "
    "install Node.js 20.19+ with npm (Debian/Ubuntu: `sudo apt-get install -y nodejs npm`, or "
    "from https://nodejs.org) and make `node` and `npm` available on PATH"
)
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def install() -> Path:
    """The directory holding provider.mjs and its node_modules (`npm ci` when missing)."""
    return installed(
        SOURCE,
        FILES,
        name="oidc-provider",
        marker="oidc-provider/package.json",
        env="UNION_OIDC_PROVIDER_DIR",
        no_node=NO_NODE,
    )


@dataclass
class OpenIdProvider:
    issuer: str
    proc: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_provider(port: int, redirect_uri: str, log_dir: Path) -> OpenIdProvider:
    """The provider on 127.0.0.1:`port`, its client allowed to come back to `redirect_uri`."""
    directory = install()
    node = shutil.which("node")
    assert node is not None
    log = log_dir / "oidc-provider.log"
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_REDIRECT_URI": redirect_uri,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "NODE_ENV": "development",
    }
    with open(log, "wb") as sink:
        proc = subprocess.Popen(
            [node, "provider.mjs"],
            cwd=directory,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent(),
        )
    provider = OpenIdProvider(f"http://127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + 30
    discovery = provider.issuer + "/.well-known/openid-configuration"
    while True:
        try:
            with _DIRECT.open(discovery, timeout=1.0) as response:
                if response.status == 200:
                    return provider
        except (urllib.error.URLError, OSError):
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            provider.stop()
            raise AssertionError(f"the OpenID provider did not start:\n{log.read_text()}")
        time.sleep(0.1)
