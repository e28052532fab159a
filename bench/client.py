"""The benchmarks' HTTP client: aiohttp behind the few calls they make (`get`, `post`, `put`
answering `status_code`, `json()`, `text`, `raise_for_status()`).

Not httpx: on this 2-core machine httpx's async client tops out near 350 requests/s at 94% of a
core (bench/http_ceiling.py), so a benchmark driven by it measures the client. aiohttp does
about 17 times that against the same do-nothing server.
"""

from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass
from typing import Any

import aiohttp

ClientError = aiohttp.ClientError


@dataclass(frozen=True)
class Answer:
    status_code: int
    content: bytes

    def json(self) -> Any:
        return jsonlib.loads(self.content)

    @property
    def text(self) -> str:
        return self.content.decode(errors="replace")

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}: {self.text}")


class Client:
    def __init__(
        self, base_url: str, headers: dict[str, str] | None = None, connections: int = 64
    ) -> None:
        self.base_url = base_url
        self._session = aiohttp.ClientSession(
            base_url,
            headers=headers,
            connector=aiohttp.TCPConnector(limit=connections),
            timeout=aiohttp.ClientTimeout(total=120),
        )

    async def request(self, method: str, path: str, json: Any = None) -> Answer:
        async with self._session.request(method, path, json=json) as response:
            return Answer(response.status, await response.read())

    async def get(self, path: str) -> Answer:
        return await self.request("GET", path)

    async def post(self, path: str, json: Any = None) -> Answer:
        return await self.request("POST", path, json)

    async def put(self, path: str, json: Any = None) -> Answer:
        return await self.request("PUT", path, json)

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._session.close()
