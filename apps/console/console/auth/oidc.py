"""OpenID Connect sign-in (统一身份认证), the production alternative to local accounts.

Authorization code flow with PKCE (S256) against the provider named by `CONSOLE_OIDC_ISSUER`
(its discovery document, fetched on first use and cached). The console is a confidential
client (client id and secret). `state`, `nonce` and the PKCE verifier of a sign-in that is
under way live in a short-lived HttpOnly cookie signed by the console (`PendingLogin`), so any
replica can finish it. The ID token is verified against the provider's JWKS (signature,
`iss`, `aud`/`azp`, `exp`, `iat`, `nonce`); the claims are the ID token's, completed from the
userinfo endpoint (same `sub`). Role and org path come from configurable claims; sign-in is
refused, in Chinese, when they are missing or not valid for the console.

The person is then `Identity(account_id="oidc:<sub>", provider="oidc")`: the console signs
the platform tokens for them with the platform key as for a local account (the services accept
only the platform's EdDSA tokens with `sub`/`role`/`org`/`iss`), and the `oidc:` subject makes
every event the services append name that person.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from urllib.parse import quote, urlencode

import httpx
import jwt
from union_events.errors import DomainError

from ..accounts.domain import ROLES, check_role_and_org
from ..i18n import label
from ..settings import ConsoleSettings
from .identity import Identity, LocalAccounts

PENDING_TTL_S: Final = 600  # a sign-in begun and not finished within 10 minutes starts again
LEEWAY_S: Final = 60
ASYMMETRIC: Final = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


class OidcRefused(Exception):
    """The sign-in cannot go on; `message` says why, in Chinese (shown on the sign-in page)."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(f"{message} ({detail})" if detail else message)
        self.message = message
        self.detail = detail


PROVIDER_DOWN: Final = "暂时无法连接统一身份认证平台，请稍后再试，或使用工作台账号登录。"
START_AGAIN: Final = "登录未完成或已超时，请重新点击“使用统一身份认证登录”。"
NOT_VERIFIED: Final = (
    "统一身份认证平台返回的登录凭证未通过校验，未能登录。请重新登录；如仍不成功，请联系管理员。"
)


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str = "openid profile"
    role_claim: str = "role"
    org_claim: str = "org"
    name_claim: str = "name"
    redirect_url: str = ""
    subject_prefix: str = "oidc:"
    session_hours: float = 12.0

    @classmethod
    def from_settings(cls, settings: ConsoleSettings) -> OidcConfig | None:
        """The configuration when `CONSOLE_OIDC_ISSUER` is set (then the client id too)."""
        if not settings.oidc_issuer.strip():
            return None
        if not settings.oidc_client_id.strip():
            raise ValueError("CONSOLE_OIDC_ISSUER is set but CONSOLE_OIDC_CLIENT_ID is empty")
        scopes = settings.oidc_scopes.split()
        if "openid" not in scopes:
            scopes.insert(0, "openid")
        return cls(
            issuer=settings.oidc_issuer.strip().rstrip("/"),
            client_id=settings.oidc_client_id.strip(),
            client_secret=settings.oidc_client_secret,
            scopes=" ".join(scopes),
            role_claim=settings.oidc_role_claim,
            org_claim=settings.oidc_org_claim,
            name_claim=settings.oidc_name_claim,
            redirect_url=settings.oidc_redirect_url.strip(),
            subject_prefix=settings.oidc_subject_prefix,
            session_hours=settings.oidc_session_hours,
        )


@dataclass(frozen=True)
class PendingLogin:
    """What the callback checks: the state and nonce sent, the PKCE verifier, where to go."""

    state: str
    nonce: str
    verifier: str
    next: str
    expires: float

    @classmethod
    def new(cls, next_path: str, now: float | None = None) -> PendingLogin:
        now = time.time() if now is None else now
        return cls(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            verifier=secrets.token_urlsafe(64),  # 86 characters of [A-Za-z0-9_-] (RFC 7636)
            next=next_path,
            expires=now + PENDING_TTL_S,
        )

    @property
    def challenge(self) -> str:
        digest = hashlib.sha256(self.verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def seal(self, key: bytes) -> str:
        body = base64.urlsafe_b64encode(json.dumps(asdict(self)).encode()).decode()
        return f"{body}.{_mac(key, body)}"

    @classmethod
    def open(cls, sealed: str, key: bytes, now: float | None = None) -> PendingLogin:
        """The pending sign-in from its cookie; `OidcRefused` when forged, garbled or old."""
        body, _, mac = sealed.partition(".")
        if not body or not hmac.compare_digest(mac, _mac(key, body)):
            raise OidcRefused(START_AGAIN, "no pending sign-in, or its cookie was altered")
        try:
            pending = cls(**json.loads(base64.urlsafe_b64decode(body)))
        except (ValueError, TypeError) as exc:
            raise OidcRefused(START_AGAIN, "unreadable pending sign-in") from exc
        if (time.time() if now is None else now) > pending.expires:
            raise OidcRefused(START_AGAIN, "the pending sign-in expired")
        return pending


def _mac(key: bytes, body: str) -> str:
    return hmac.new(key, b"oidc-pending|" + body.encode(), hashlib.sha256).hexdigest()


def claim(claims: dict[str, Any], path: str) -> Any:
    """A claim by name, or by a dotted path into nested objects (`realm_access.roles`)."""
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def identity_from_claims(claims: dict[str, Any], config: OidcConfig) -> Identity:
    """The console identity of the person the claims describe; `OidcRefused` (in Chinese)
    when the role or the org path is missing or not one the console accepts."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise OidcRefused(NOT_VERIFIED, "no sub")
    role_value = claim(claims, config.role_claim)
    if role_value is None or role_value == "" or role_value == []:
        raise OidcRefused(
            f"统一身份认证平台没有提供您在工作台的角色（{config.role_claim}），无法登录。"
            "请联系管理员在统一身份认证平台为您配置角色（市总管理员、区县审核人员或窗口经办人员）。"
        )
    role = _pick_role(role_value)
    if role is None:
        shown = role_value if isinstance(role_value, str) else "、".join(map(str, role_value))
        raise OidcRefused(
            f"您在统一身份认证平台的角色“{shown}”不是工作台的角色，无法登录。"
            f"工作台的角色只有：{'、'.join(label(r) for r in ROLES)}。请联系管理员。"
        )
    org = claim(claims, config.org_claim)
    if not isinstance(org, str) or not org.strip():
        raise OidcRefused(
            f"统一身份认证平台没有提供您的所属单位（{config.org_claim}），无法登录。"
            "请联系管理员在统一身份认证平台为您配置所属单位的组织代码（如 zhoushan/putuo/center）。"
        )
    try:
        org = check_role_and_org(role, org)
    except DomainError as exc:
        if exc.code == "role_does_not_fit_org":
            where = "市级组织代码（如 zhoushan）"
            if role != "city_admin":
                where = "区县及以下的组织代码"
            raise OidcRefused(
                f"您在统一身份认证平台的所属单位“{org}”与角色“{label(role)}”不符："
                f"{label(role)}的所属单位应为{where}。请联系管理员。"
            ) from exc
        raise OidcRefused(
            f"统一身份认证平台提供的所属单位“{org}”不是有效的组织代码，无法登录。"
            "组织代码由小写字母、数字和“/”组成，如 zhoushan/putuo/center。请联系管理员。"
        ) from exc
    username = claims.get("preferred_username")
    username = username if isinstance(username, str) and username else subject
    name = claim(claims, config.name_claim)
    return Identity(
        account_id=f"{config.subject_prefix}{subject}",
        username=username,
        display_name=name if isinstance(name, str) and name else username,
        role=role,
        org=org,
        provider="oidc",
    )


def _pick_role(value: Any) -> str | None:
    """A role, or from a list of groups the most senior console role in it."""
    if isinstance(value, str):
        return value if value in ROLES else None
    if isinstance(value, list):
        return next((r for r in ROLES if r in value), None)  # ROLES: most senior first
    return None


class OpenIdConnect:
    """The provider's side of the flow: discovery, the authorization URL, the callback."""

    name = "oidc"

    def __init__(self, config: OidcConfig, http: httpx.AsyncClient) -> None:
        self.config = config
        self.http = http
        self._metadata: dict[str, Any] | None = None
        self._keys: dict[str, Any] = {}
        self._keys_fetched = 0.0

    async def metadata(self) -> dict[str, Any]:
        """The discovery document (cached), checked to name this issuer."""
        if self._metadata is None:
            url = f"{self.config.issuer}/.well-known/openid-configuration"
            document = await self._get_json(url)
            if str(document.get("issuer", "")).rstrip("/") != self.config.issuer:
                raise OidcRefused(PROVIDER_DOWN, f"discovery names issuer {document.get('issuer')}")
            for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not document.get(key):
                    raise OidcRefused(PROVIDER_DOWN, f"discovery document lacks {key}")
            methods = document.get("code_challenge_methods_supported")
            if methods is not None and "S256" not in methods:
                raise OidcRefused(PROVIDER_DOWN, "the provider does not support PKCE S256")
            self._metadata = document
        return self._metadata

    async def authorization_url(self, pending: PendingLogin, redirect_uri: str) -> str:
        endpoint = str((await self.metadata())["authorization_endpoint"])
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.config.client_id,
                "redirect_uri": redirect_uri,
                "scope": self.config.scopes,
                "state": pending.state,
                "nonce": pending.nonce,
                "code_challenge": pending.challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    async def finish(
        self, pending: PendingLogin, params: dict[str, str], redirect_uri: str
    ) -> Identity:
        """The identity from the provider's answer to the redirect; `OidcRefused` otherwise."""
        if not hmac.compare_digest(params.get("state", ""), pending.state):
            raise OidcRefused(START_AGAIN, "state does not match")
        metadata = await self.metadata()
        if "iss" in params and params["iss"].rstrip("/") != self.config.issuer:  # RFC 9207
            raise OidcRefused(NOT_VERIFIED, "the answer names another issuer")
        if params.get("error"):
            if params["error"] == "access_denied":
                raise OidcRefused("您在统一身份认证平台取消了登录。", params["error"])
            raise OidcRefused(
                "统一身份认证平台未能完成登录，请重新登录。",
                f"{params['error']}: {params.get('error_description', '')}",
            )
        code = params.get("code", "")
        if not code:
            raise OidcRefused(START_AGAIN, "no code")
        tokens = await self._exchange(metadata, code, pending.verifier, redirect_uri)
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise OidcRefused(NOT_VERIFIED, "no id_token in the token response")
        claims = await self.verify_id_token(id_token, pending.nonce)
        access_token = tokens.get("access_token")
        if metadata.get("userinfo_endpoint") and isinstance(access_token, str):
            info = await self._userinfo(str(metadata["userinfo_endpoint"]), access_token)
            if info.get("sub") != claims["sub"]:
                raise OidcRefused(NOT_VERIFIED, "userinfo names another subject")
            claims = {**info, **claims}
        return identity_from_claims(claims, self.config)

    async def verify_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as exc:
            raise OidcRefused(NOT_VERIFIED, f"id_token header: {exc}") from exc
        metadata = await self.metadata()
        allowed = set(metadata.get("id_token_signing_alg_values_supported") or ["RS256"])
        algorithm = header.get("alg")
        if algorithm not in allowed & ASYMMETRIC:
            raise OidcRefused(NOT_VERIFIED, f"id_token signed with {algorithm!r}")
        key = await self._key(header.get("kid"), str(algorithm))
        try:
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key,
                algorithms=[str(algorithm)],
                audience=self.config.client_id,
                issuer=str(metadata["issuer"]),
                leeway=LEEWAY_S,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.PyJWTError as exc:
            raise OidcRefused(NOT_VERIFIED, f"id_token: {exc}") from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.config.client_id:
            raise OidcRefused(NOT_VERIFIED, "id_token for several audiences without our azp")
        if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
            raise OidcRefused(NOT_VERIFIED, "nonce does not match")
        return claims

    async def still_valid(self, identity: Identity, since: datetime) -> Identity | None:
        """A provider's person stays signed in until the idle timeout or, at the latest,
        `CONSOLE_OIDC_SESSION_HOURS` after signing in (then they sign in at the provider
        again, which is where role, org and disabling are decided)."""
        if datetime.now(UTC) - since > timedelta(hours=self.config.session_hours):
            return None
        return identity

    async def _key(self, kid: object, algorithm: str) -> Any:
        key = self._pick(kid)
        if key is None and time.monotonic() - self._keys_fetched > 10.0:  # a rotated key
            await self._fetch_keys()
            key = self._pick(kid)
        if key is None:
            raise OidcRefused(NOT_VERIFIED, f"no key {kid!r} for {algorithm} in the JWKS")
        return key

    def _pick(self, kid: object) -> Any:
        if isinstance(kid, str):
            return self._keys.get(kid)
        return next(iter(self._keys.values())) if len(self._keys) == 1 else None

    async def _fetch_keys(self) -> None:
        document = await self._get_json(str((await self.metadata())["jwks_uri"]))
        keys = {}
        for index, jwk in enumerate(document.get("keys", [])):
            if jwk.get("use", "sig") != "sig":
                continue
            try:
                parsed = jwt.PyJWK.from_dict(jwk)
            except jwt.PyJWTError:
                continue  # a key type this console cannot use
            keys[parsed.key_id or f"key-{index}"] = parsed.key
        self._keys, self._keys_fetched = keys, time.monotonic()

    async def _exchange(
        self, metadata: dict[str, Any], code: str, verifier: str, redirect_uri: str
    ) -> dict[str, Any]:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        headers = {"Accept": "application/json"}
        methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        if "client_secret_basic" in methods or "client_secret_post" not in methods:
            pair = f"{quote(self.config.client_id, safe='')}:{quote(self.config.client_secret, safe='')}"  # noqa: E501
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            data |= {"client_id": self.config.client_id, "client_secret": self.config.client_secret}
        try:
            endpoint = str(metadata["token_endpoint"])
            response = await self.http.post(endpoint, data=data, headers=headers)
        except httpx.HTTPError as exc:
            raise OidcRefused(PROVIDER_DOWN, f"token endpoint: {exc!r}") from exc
        if response.status_code != 200:
            detail = f"token endpoint {response.status_code}: {response.text}"
            raise OidcRefused(START_AGAIN, detail)
        return _json_object(response)

    async def _userinfo(self, url: str, access_token: str) -> dict[str, Any]:
        try:
            headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
            response = await self.http.get(url, headers=headers)
        except httpx.HTTPError as exc:
            raise OidcRefused(PROVIDER_DOWN, f"userinfo: {exc!r}") from exc
        if response.status_code != 200:
            raise OidcRefused(NOT_VERIFIED, f"userinfo {response.status_code}")
        return _json_object(response)

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = await self.http.get(url, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise OidcRefused(PROVIDER_DOWN, f"{url}: {exc!r}") from exc
        if response.status_code != 200:
            raise OidcRefused(PROVIDER_DOWN, f"{url}: HTTP {response.status_code}")
        return _json_object(response)


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        value = response.json()
    except ValueError as exc:
        raise OidcRefused(PROVIDER_DOWN, f"not JSON from {response.url}") from exc
    if not isinstance(value, dict):
        raise OidcRefused(PROVIDER_DOWN, f"not a JSON object from {response.url}")
    return value


class SignInProviders:
    """The `IdentityProvider` the console uses: local accounts, plus OpenID Connect when
    configured; each session is checked by the provider that signed it in."""

    name = "local+oidc"

    def __init__(self, local: LocalAccounts, oidc: OpenIdConnect | None) -> None:
        self.local = local
        self.oidc = oidc

    async def sign_in(self, username: str, password: str) -> Identity:
        return await self.local.sign_in(username, password)

    async def still_valid(self, identity: Identity, since: datetime) -> Identity | None:
        if identity.provider == "oidc":
            return None if self.oidc is None else await self.oidc.still_valid(identity, since)
        return await self.local.still_valid(identity, since)
