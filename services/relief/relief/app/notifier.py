"""The notifier port: tell the applicant about each step. Adapters: log and webhook.

A notification carries ids, the step and the org path only: no personal data.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict, dataclass
from typing import Protocol

import httpx

log = logging.getLogger("relief.notifier")


@dataclass(frozen=True)
class Notification:
    event_id: str  # the logged event it tells about (receivers de-duplicate on it)
    step: str  # e.g. application.approved, file.card_issued, subsidy.paid
    subject: str  # the application, file or card id
    member_id: str | None
    district: str | None
    on: str | None


class Notifier(Protocol):
    async def notify(self, notification: Notification) -> bool:
        """Deliver; True when delivered. Never raises for a delivery failure."""
        ...


class LogNotifier:
    def __init__(self) -> None:
        self.sent: list[Notification] = []

    async def notify(self, notification: Notification) -> bool:
        log.info(
            "notify member %s: %s %s",
            notification.member_id,
            notification.step,
            notification.subject,
        )
        self.sent.append(notification)
        return True


class WebhookNotifier:
    """POST the notification as JSON; retry timeouts, connection errors and 5xx/429 with
    exponential backoff; give up (logged) after `retries` retries."""

    def __init__(
        self, url: str, retries: int = 3, backoff_s: float = 0.2, timeout_s: float = 5.0
    ) -> None:
        self.url = url
        self.retries = retries
        self.backoff_s = backoff_s
        self.timeout_s = timeout_s

    async def notify(self, notification: Notification) -> bool:
        delay = self.backoff_s
        async with httpx.AsyncClient(timeout=self.timeout_s) as client:
            for attempt in range(self.retries + 1):
                try:
                    response = await client.post(
                        self.url,
                        json=asdict(notification),
                        headers={"Idempotency-Key": notification.event_id},
                    )
                    if response.status_code < 300:
                        return True
                    if response.status_code < 500 and response.status_code != 429:
                        log.error("webhook refused %s: %s", notification.step, response.status_code)
                        return False
                    problem = f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    problem = f"{type(exc).__name__}: {exc}"
                if attempt < self.retries:
                    log.warning("webhook try %d failed (%s); retrying", attempt + 1, problem)
                    await asyncio.sleep(delay)
                    delay *= 2
        log.error("webhook gave up on %s %s: %s", notification.step, notification.subject, problem)
        return False
