"""Who calls, and what they may do: the one authorization policy of every service.

A caller is a `Principal` (subject, role, jurisdiction org path) read from a verified bearer
token (`tokens.py`: Ed25519 JWTs). `authorize(principal, action, resource_org, ...)` is the
policy: the role must hold the action (`ROLE_ACTIONS`) and the resource's org path must lie under
the caller's jurisdiction, with the cross-district exceptions the domain allows. No framework
here: `http_deps` reads the header, routes call `authorize`. docs/security.md explains the table.
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
from typing import TYPE_CHECKING, Final

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .errors import DomainError, Forbidden
from .orgs import ORG_PATH, validate_org_path, within
from .tokens import InvalidToken, read_public_key, verify_token

if TYPE_CHECKING:
    from .settings import ServiceSettings

_CLERK: Final = frozenset(
    {
        "members.read",
        "members.register",
        "members.change",  # transfer, leave, enrol
        "signups.take",  # post QR sign-ups (扫码入会)
        "claims.read",
        "claims.file",
        "claims.pay",
        "relief.read",
        "relief.file",  # open, review, close hardship files; follow-up visits
        "relief.apply",  # apply for a grant, complete a draft
        "relief.pay",  # disburse a grant, record its receipt (回执)
        "outreach.read",
        "outreach.serve",  # roving sessions, check-ins, hand-outs
        "outreach.intake",  # record and close requests and complaints
    }
)
_OFFICER: Final = _CLERK | {
    "orgs.manage",  # register units and service points
    "members.erase",  # erase personal data (crypto-shredding)
    "signups.open",  # open a QR sign-up campaign with its targets
    "claims.decide",  # approve, reject, return to the filer
    "relief.standard",  # the district's minimum living standard (低保标准)
    "relief.budget",
    "relief.decide",  # approve or reject a grant
    "outreach.manage",  # service points, benefit campaigns
    "reports.read",
}
_MEMBER: Final = frozenset({"members.read", "claims.read", "outreach.read"})  # own records only
_SERVICE: Final = frozenset(  # another system: reads, plus the feeds and jobs it runs
    {
        "members.read",
        "claims.read",
        "outreach.read",
        "reports.read",
        "signups.take",  # the QR sign-up page
        "outreach.intake",  # the online intake portal
        "claims.sweep",  # reject the unenrolled claims once enrolment closed
        "relief.run",  # the monthly card subsidy run
    }
)
# A city admin's alone: a plan year's rules, the city's hospital registry (claims).
ACTIONS: Final = _OFFICER | _SERVICE | {"plans.manage", "hospitals.manage"}

# The policy table: what each role may do within its jurisdiction (an org-path prefix).
ROLE_ACTIONS: Final[dict[str, frozenset[str]]] = {
    "city_admin": ACTIONS,  # everything, in its city
    "district_officer": _OFFICER,
    "clerk": _CLERK,
    "member": _MEMBER,
    "service": _SERVICE,
}

# Roles whose jurisdiction is their district even when their org path names a unit or a point.
STAFF_OF_DISTRICT: Final = frozenset({"district_officer", "clerk"})

# Where a plan pools at city level, these may act on a resource of another district of the
# caller's city when the caller passes `cross_district=True` (it knows the plan pools so).
CROSS_DISTRICT: Final[dict[str, frozenset[str]]] = {
    "district_officer": frozenset({"claims.read", "claims.file", "claims.pay"}),
    "clerk": frozenset({"claims.read", "claims.file", "claims.pay"}),
}


@dataclass(frozen=True)
class Principal:
    """The verified caller: `subject` (a user, a member id, a system), role, jurisdiction."""

    subject: str
    role: str
    org: str

    @property
    def city(self) -> str:
        return self.org.split("/")[0]

    @property
    def scope(self) -> str:
        """The org path the caller acts for. Staff at a unit or a service point act for its
        district (a clerk at `zhoushan/dinghai/center` serves the members of
        `zhoushan/dinghai`), in every service alike; others for their own org path."""
        parts = self.org.strip("/").split("/")
        if self.role in STAFF_OF_DISTRICT and len(parts) > 2:
            return "/".join(parts[:2])
        return self.org.strip("/")


class Unauthenticated(DomainError):
    """No usable bearer token (missing, malformed, forged or expired): 401."""

    status = 401
    code = "unauthenticated"


def authorize(
    principal: Principal,
    action: str,
    resource_org: str | None,
    *,
    owner_member_id: str | None = None,
    cross_district: bool = False,
) -> None:
    """Raise `Forbidden` unless `principal` may do `action` on a resource of `resource_org`.

    `resource_org=None` means a city-wide resource (plan rules, reports across districts): only
    a caller whose jurisdiction is a whole city passes. `owner_member_id` names the member the
    record belongs to (a member may read only their own). `cross_district=True` says the plan
    pools at city level, so a clerk may file and pay for another district of the same city.
    """
    permitted(principal, action)
    role = principal.role
    if role == "member":
        if owner_member_id is None or owner_member_id != principal.subject:
            raise Forbidden("a member may read only their own records", code="not_own_record")
        return
    if resource_org is not None and not ORG_PATH.fullmatch(resource_org.strip().strip("/")):
        raise DomainError(f"{resource_org!r} is not an org path", code="invalid_org_path")
    scope = principal.scope if resource_org is not None else principal.city
    if resource_org is None and principal.org != principal.city:
        raise Forbidden(
            f"{action} is city-wide; {principal.org} is not a city", code="outside_jurisdiction"
        )
    if resource_org is None or within(resource_org, scope):
        return
    same_city = resource_org.strip("/").split("/")[0] == principal.city
    if cross_district and same_city and action in CROSS_DISTRICT.get(role, frozenset()):
        return
    raise Forbidden(
        f"a {role} of {principal.org} may not do {action} on {resource_org}",
        code="outside_jurisdiction",
    )


def report_scope(who: Principal, district: str | None) -> str:
    """The city or district a report covers: the one asked for (if the caller may read its
    reports), else the caller's own (a city-level caller: the city)."""
    if district is not None:
        district = validate_org_path(district, depth=2, what="district")
        authorize(who, "reports.read", district)
        return district
    if who.org.strip("/") == who.city:
        authorize(who, "reports.read", None)
        return who.city
    authorize(who, "reports.read", who.scope)
    return who.scope


def permitted(principal: Principal, action: str) -> None:
    """The role half of the policy alone (`Forbidden` code `forbidden_role`); routes whose
    jurisdiction a domain rule checks once the record is loaded use it (relief's files)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action not in ROLE_ACTIONS.get(principal.role, frozenset()):
        raise Forbidden(
            f"a {principal.role} may not do {action}", code="forbidden_role", action=action
        )


# ---- verification: tokens → principals -------------------------------------------------


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
