"""One thin HTTP client per service: the signed-in person's platform token on every call,
and the service's error body turned into a Chinese message from the one catalogue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from ..i18n import chinese_message

TokenSource = Callable[[], Awaitable[str]]


class ServiceError(Exception):
    """A service refused (4xx) or could not be reached. `message` is what a page shows."""

    def __init__(
        self,
        service: str,
        status: int,
        code: str,
        detail: str = "",
        details: Mapping[str, Any] | None = None,
    ) -> None:
        self.service = service
        self.status = status
        self.code = code
        self.detail = detail  # the service's own (English) words, for the log
        self.details = dict(details or {})
        self.message = chinese_message(code, service)
        super().__init__(f"{service} {status} {code}: {detail}")


class ServiceClient:
    """Base of the typed clients: `_call` returns the JSON body or raises `ServiceError`."""

    service: str = ""

    def __init__(self, http: httpx.AsyncClient, base_url: str, token: TokenSource) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.token = token

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> Any:
        headers = {"Authorization": f"Bearer {await self.token()}"}
        try:
            response = await self.http.request(
                method, self.base_url + path, json=json, params=params, headers=headers
            )
        except httpx.HTTPError as exc:
            raise ServiceError(self.service, 503, "service_unavailable", repr(exc)) from exc
        if response.status_code >= 400:
            raise _error(self.service, response)
        return response.json() if response.content else None

    async def ready(self) -> bool:
        try:
            response = await self.http.get(self.base_url + "/readyz")
        except httpx.HTTPError:
            return False
        return response.status_code == 200


def _error(service: str, response: httpx.Response) -> ServiceError:
    try:
        body = response.json()
        error = dict(body["error"])
        code, detail = str(error.pop("code")), str(error.pop("message", ""))
    except (ValueError, KeyError, TypeError):
        fallback = "service_unavailable" if response.status_code >= 500 else "http_error"
        return ServiceError(service, response.status_code, fallback, response.text[:200])
    return ServiceError(service, response.status_code, code, detail, error)
