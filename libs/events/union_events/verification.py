"""Verification: bearer tokens → principals (the other half of `auth`, which holds the policy).

`verify` checks a token against public keys; `KeySource` holds the keys a service accepts (a
PEM file, the embedded default's key pair, or a JWKS URL fetched again on an unknown key id)
and caches the tokens it verified until they expire.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .auth import Principal
from .tokens import InvalidToken, read_public_key, verify_token

if TYPE_CHECKING:
    from .settings import ServiceSettings

PublicKey = Ed25519PublicKey


def verify(token: str, public_keys: Sequence[PublicKey], *, issuer: str | None = None) -> Principal:
    """The token's principal when one of `public_keys` signed it and it is valid now; else
    `InvalidToken` (`TokenExpired` for an expired one)."""
    if not public_keys:
        raise InvalidToken("no key to verify the token with")
    for n, key in enumerate(public_keys, 1):
        try:
            claims = verify_token(token, key, issuer=issuer)
        except InvalidToken as exc:
            if n < len(public_keys) and isinstance(exc.__cause__, jwt.InvalidSignatureError):
                continue  # signed with another of the keys, maybe
            raise
        return Principal(str(claims["sub"]), str(claims["role"]), str(claims["org"]))
    raise AssertionError("unreachable")


def load_public_key(pem: bytes) -> PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the token public key must be an Ed25519 key (EdDSA)")
    return key


@dataclass
class KeySource:
    """The public keys tokens are checked against: a fixed set (a PEM file, the embedded
    default's key) or a JWKS URL, fetched at start and again on an unknown key id."""

    keys: dict[str, PublicKey] = field(default_factory=dict)  # kid ("" = any) -> key
    jwks_url: str = ""
    issuer: str | None = None
    refresh_interval_s: float = 30.0  # at most one JWKS fetch per interval on unknown kids
    _fetched_at: float = field(default=0.0, repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    # Tokens already verified, until they expire: a clerk's token comes with every request,
    # and an Ed25519 check costs more than the rest of a small request's auth.
    _verified: OrderedDict[str, tuple[Principal, float]] = field(
        default_factory=OrderedDict, repr=False
    )
    cache_size: int = 4096

    @classmethod
    def from_pem(cls, pem: bytes, issuer: str | None = None) -> KeySource:
        return cls({"": load_public_key(pem)}, issuer=issuer)

    @classmethod
    async def from_settings(cls, settings: ServiceSettings) -> KeySource:
        """JWT_JWKS_URL, else JWT_PUBLIC_KEY_FILE, else the embedded default's key pair in
        `<UNION_DATA_DIR>/keys` (created if missing, so `unionctl token` agrees)."""
        issuer = settings.jwt_issuer or None
        if settings.jwt_jwks_url:
            source = cls(jwks_url=settings.jwt_jwks_url, issuer=issuer)
            await source.refresh(force=True)
            return source
        if settings.jwt_public_key_file:
            path = Path(settings.jwt_public_key_file)
            return cls.from_pem(await asyncio.to_thread(path.read_bytes), issuer)
        pem = await asyncio.to_thread(read_public_key, settings.union_data_dir)
        return cls.from_pem(pem, issuer)

    async def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None:
            if time.time() < cached[1]:
                self._verified.move_to_end(token)
                return cached[0]
            del self._verified[token]
        principal = await self._verify(token)
        expires = jwt.decode(token, options={"verify_signature": False}).get("exp")
        if isinstance(expires, int | float):
            self._verified[token] = (principal, float(expires))
            if len(self._verified) > self.cache_size:
                self._verified.popitem(last=False)
        return principal

    async def _verify(self, token: str) -> Principal:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        keys = self._keys_for(kid)
        if not keys and self.jwks_url:
            await self.refresh()
            keys = self._keys_for(kid)
        return verify(token, keys, issuer=self.issuer)

    def _keys_for(self, kid: object) -> list[PublicKey]:
        if "" in self.keys:  # a fixed key: the token's kid does not matter
            return [self.keys[""]]
        if isinstance(kid, str):
            return [self.keys[kid]] if kid in self.keys else []
        return list(self.keys.values())

    async def refresh(self, force: bool = False) -> None:
        """Fetch the JWKS again (not more than once per `refresh_interval_s` unless forced)."""
        async with self._lock:
            if not force and time.monotonic() - self._fetched_at < self.refresh_interval_s:
                return
            self._fetched_at = time.monotonic()
            document = await asyncio.to_thread(_fetch_json, self.jwks_url)
            keys: dict[str, PublicKey] = {}
            for jwk in jwt.PyJWKSet.from_dict(document).keys:
                if isinstance(jwk.key, Ed25519PublicKey):
                    keys[jwk.key_id or f"key-{len(keys)}"] = jwk.key
            self.keys = keys


def _fetch_json(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=10) as response:
        document: dict[str, object] = json.loads(response.read())
    return document
