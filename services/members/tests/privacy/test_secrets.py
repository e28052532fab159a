"""The members secret, its file, and the identity hash derived from it (loading the secret is
union_events.sealing's, tested in libs/events/tests/sealing)."""

from __future__ import annotations

import base64
import os
import stat

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from members.privacy import Secrets, identity_hash

NATIONAL_ID = "33090219900517001X"


def test_the_secret_file_is_created_once_with_mode_0600_and_reused(tmp_path):
    first = Secrets.load(tmp_path)
    path = tmp_path / "keys" / "members.secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    content, mtime = path.read_bytes(), path.stat().st_mtime_ns
    assert len(content) == 32

    second = Secrets.load(tmp_path)
    assert second == first
    assert path.read_bytes() == content and path.stat().st_mtime_ns == mtime
    assert [p.name for p in path.parent.iterdir()] == ["members.secret"]  # no temp files left


def test_the_environment_secret_wins_and_no_file_is_made(tmp_path):
    raw = os.urandom(32)
    loaded = Secrets.load(tmp_path, base64.b64encode(raw).decode())
    assert loaded == Secrets.derive(raw)
    assert not (tmp_path / "keys").exists()


@pytest.mark.parametrize("value", ["not base64!", base64.b64encode(b"short").decode()])
def test_a_bad_environment_secret_is_refused_without_echoing_it(tmp_path, value):
    with pytest.raises(ValueError, match="MEMBERS_SECRET must be base64 of 32 bytes") as caught:
        Secrets.load(tmp_path, value)
    assert value not in str(caught.value)


def test_the_two_sub_keys_differ_from_each_other_and_from_the_secret_and_stay_out_of_repr():
    raw = os.urandom(32)
    derived = Secrets.derive(raw)
    assert len({raw, derived.hmac_key, derived.kek}) == 3
    assert derived.hmac_key.hex() not in repr(derived) and derived.kek.hex() not in repr(derived)


def test_the_identity_hash_is_stable_for_one_secret():
    secrets = Secrets.derive(os.urandom(32))
    assert identity_hash(secrets, NATIONAL_ID) == identity_hash(secrets, NATIONAL_ID)
    assert identity_hash(secrets, NATIONAL_ID) != identity_hash(secrets, "330902199005170028")


def test_the_identity_hash_differs_under_another_secret():
    one, other = Secrets.derive(os.urandom(32)), Secrets.derive(os.urandom(32))
    assert identity_hash(one, NATIONAL_ID) != identity_hash(other, NATIONAL_ID)


def test_the_identity_hash_never_equals_or_contains_the_id_number():
    hashed = identity_hash(Secrets.derive(os.urandom(32)), NATIONAL_ID)
    assert len(hashed) == 64 and int(hashed, 16) >= 0
    assert hashed != NATIONAL_ID
    for part in (NATIONAL_ID, NATIONAL_ID.lower(), NATIONAL_ID[:17], NATIONAL_ID[6:14]):
        assert part not in hashed.upper() and part.lower() not in hashed


def test_spelling_variants_of_one_id_number_hash_the_same():
    secrets = Secrets.derive(os.urandom(32))
    full_width = "３３０９０２１９９００５１７００１ｘ"
    for variant in (" 33090219900517001x", "330902 19900517 001X\n", full_width):
        assert identity_hash(secrets, variant) == identity_hash(secrets, NATIONAL_ID)


def test_the_sub_keys_are_hkdf_of_the_secret_under_the_members_info_strings():
    """Fixed for good: identity streams and wrapped keys already written depend on them."""
    raw = os.urandom(32)

    def hkdf(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(raw)

    derived = Secrets.derive(raw)
    assert derived.hmac_key == hkdf(b"union-members/identity-hash/v1")
    assert derived.kek == hkdf(b"union-members/key-encryption-key/v1")
