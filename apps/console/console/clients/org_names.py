"""The registry's org names (定海区职工服务中心 for zhoushan/dinghai/center), kept for a few
minutes: pages show names, and a page still works (with paths) when members is away."""

from __future__ import annotations

import logging
import time

from .base import ServiceError
from .members import MembersClient

log = logging.getLogger(__name__)


class OrgNames:
    def __init__(self, ttl_s: float = 300.0) -> None:
        self.ttl_s = ttl_s
        self._names: dict[str, str] = {}
        self._fetched = 0.0

    async def names(self, members: MembersClient) -> dict[str, str]:
        if time.monotonic() - self._fetched > self.ttl_s or not self._names:
            try:
                self._names = {org.path: org.name for org in await members.orgs()}
                self._fetched = time.monotonic()
            except ServiceError as exc:
                log.info("org names unavailable: %s", exc)
        return self._names
