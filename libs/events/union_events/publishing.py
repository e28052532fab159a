"""Pipelined JetStream publishes with one reply subscription for all their acknowledgements.

nats-py's `publish_async` makes a future per message, routes its ack through a per-request
inbox map and parses each ack into a `PubAck` dataclass; with the relay publishing thousands
a batch, that bookkeeping is most of its cost. Here each publish is a core NATS publish with
its reply subject under one wildcard inbox (`<inbox>.<n>`), and the ack is read in place:
a duplicate flag, or an error. JetStream's guarantees are the same: the stream acknowledges
each message once stored (or as a duplicate of one stored), and nothing counts as published
before its ack arrived.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

from nats.aio.client import NO_RESPONDERS_STATUS, Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js.api import Header
from nats.js.errors import APIError, NoStreamResponseError

_DUPLICATE = b'"duplicate"'  # only then is the ack parsed (its spacing varies by version)
_ERROR = b'"error"'


class AckedPublisher:
    """`publish` returns a future that resolves to True (a duplicate the stream dropped) or
    False (stored), or fails with the stream's error or `NoStreamResponseError` (no stream
    takes the subject). An ack that comes after its future was cancelled is ignored."""

    def __init__(self, nc: Client) -> None:
        self._nc = nc
        self._prefix = ""
        self._sub: Subscription | None = None
        self._pending: dict[str, asyncio.Future[bool]] = {}
        self._numbers = itertools.count()

    async def _subscribe(self) -> None:
        self._prefix = self._nc.new_inbox()
        self._sub = await self._nc.subscribe(
            self._prefix + ".*", cb=self._on_ack, pending_msgs_limit=-1, pending_bytes_limit=-1
        )
        self._prefix += "."

    async def publish(
        self, subject: str, body: bytes, headers: dict[str, str]
    ) -> asyncio.Future[bool]:
        if self._sub is None:
            await self._subscribe()
        token = str(next(self._numbers))
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending[token] = future
        try:
            await self._nc.publish(subject, body, reply=self._prefix + token, headers=headers)
        except BaseException:
            del self._pending[token]
            raise
        return future

    def forget(self, futures: list[asyncio.Future[bool]]) -> None:
        """Give up on these publishes (timed out, or the batch failed): cancel and drop them."""
        for future in futures:
            future.cancel()
        self._pending = {t: f for t, f in self._pending.items() if not f.done()}

    async def _on_ack(self, msg: Msg) -> None:
        future = self._pending.pop(msg.subject[len(self._prefix) :], None)
        if future is None or future.done():
            return
        data = msg.data
        if not data and msg.headers and msg.headers.get(Header.STATUS) == NO_RESPONDERS_STATUS:
            future.set_exception(NoStreamResponseError())
        elif _ERROR in data:
            future.set_exception(_api_error(data))
        else:
            future.set_result(_DUPLICATE in data and json.loads(data).get("duplicate") is True)

    async def close(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()
            self._sub = None
        self.forget(list(self._pending.values()))


def _api_error(data: bytes) -> APIError:
    error: dict[str, Any] = json.loads(data).get("error", {})
    return APIError(
        code=error.get("code"), err_code=error.get("err_code"), description=error.get("description")
    )
