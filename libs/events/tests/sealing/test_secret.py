"""A service secret from the environment or a file made once; keys derived from it."""

from __future__ import annotations

import base64
import os
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from union_events.sealing import derive_key, load_secret


def test_the_secret_file_is_created_once_with_mode_0600_and_reused(tmp_path):
    path = tmp_path / "keys" / "service.secret"
    first = load_secret(path, env_name="SERVICE_SECRET")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    content, mtime = path.read_bytes(), path.stat().st_mtime_ns
    assert content == first and len(content) == 32

    assert load_secret(path, env_name="SERVICE_SECRET") == first
    assert path.read_bytes() == content and path.stat().st_mtime_ns == mtime
    assert [p.name for p in path.parent.iterdir()] == ["service.secret"]  # no temp files left


def test_processes_starting_together_all_end_up_with_the_same_secret(tmp_path):
    path = tmp_path / "keys" / "service.secret"
    with ThreadPoolExecutor(8) as pool:
        loaded = list(pool.map(lambda _: load_secret(path, env_name="S"), range(16)))
    assert all(each == loaded[0] for each in loaded)
    assert [p.name for p in path.parent.iterdir()] == ["service.secret"]


def test_the_environment_secret_wins_and_no_file_is_made(tmp_path):
    raw = os.urandom(32)
    path = tmp_path / "keys" / "service.secret"
    assert load_secret(path, base64.b64encode(raw).decode(), env_name="S") == raw
    assert not path.parent.exists()


def test_a_file_holding_base64_of_the_secret_is_read_too(tmp_path):
    raw, path = os.urandom(32), tmp_path / "service.secret"
    path.write_bytes(base64.b64encode(raw) + b"\n")
    path.chmod(0o600)
    assert load_secret(path, env_name="S") == raw


@pytest.mark.parametrize("value", ["not base64!", base64.b64encode(b"short").decode()])
def test_a_bad_environment_secret_is_refused_without_echoing_it(tmp_path, value):
    with pytest.raises(ValueError, match="SERVICE_SECRET must be base64 of 32 bytes") as caught:
        load_secret(tmp_path / "unused", value, env_name="SERVICE_SECRET")
    assert value not in str(caught.value)


def test_a_derived_key_is_hkdf_sha256_without_salt_of_the_secret_and_the_info():
    secret = os.urandom(32)
    expected = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"x/v1").derive(secret)
    assert derive_key(secret, b"x/v1") == expected
    assert derive_key(secret, b"y/v1") != expected
