"""Pipelined JetStream publishes, a batch at a time, with one reply subscription for the acks.

nats-py's `publish_async` makes a future per message, routes its ack through a per-request
inbox map and parses each ack into a `PubAck` dataclass; even its plain `publish` builds each
HPUB frame in Python, header by header, and queues it as a command of its own. With the relay
publishing thousands a batch, that bookkeeping was most of its cost. Here:

- a batch's HPUB frames (each with its own reply subject `<inbox>.<n>` under one wildcard
  inbox subscription) are joined into one buffer and handed to the client's outgoing queue
  once, with the checks nats-py's `publish` makes (subject, payload size, a closed or
  draining connection, the reconnect buffer's limit);
- each ack is read in place, without a `Msg` or a trip through the subscription's queue: a
  duplicate flag, or an error (JSON parsed only then); a batch is one future, done once every
  message of it is acknowledged, failed at the first error.

JetStream's guarantees are the same: the stream acknowledges each message once stored (or as
a duplicate of one stored), and nothing counts as published before its ack arrived.

This reaches into nats-py's client (`_send_command`, `_flush_pending`, `_process_msg`, its
parser: the version is pinned in uv.lock); `test_publishing.py` and `test_relay.py` cover what
it relies on, a server killed and restarted mid-relay too.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from nats import errors
from nats.aio.client import NO_RESPONDERS_STATUS, Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js.api import Header
from nats.js.errors import APIError, NoStreamResponseError
from nats.protocol.parser import AWAITING_CONTROL_LINE, Parser

_SEQ = b'"seq"'  # in every ack of a stored message (or a duplicate)
_DUPLICATE = b'"duplicate"'  # only then is the ack parsed (its spacing varies by version)
_ERROR = b'"error"'
_HEADER_KEY = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # as nats-py checks a header name
_NEWLINES = str.maketrans({"\r": " ", "\n": " "})
_BAD_SUBJECT = re.compile(r"[\s]")  # whitespace or CR/LF: never in a subject (as nats-py)

# A frame to publish: subject, header lines ("Name: value\r\n" each, values made with
# `header_value`), body.
Frame = tuple[str, str, bytes]


def header_value(value: str) -> str:
    """A header value as nats-py sends it: trimmed, CR and LF turned into spaces (so that no
    value ends its line or starts a protocol command of its own)."""
    value = value.strip()
    return value if value.isprintable() else value.translate(_NEWLINES)


def header_lines(headers: Mapping[str, str]) -> str:
    """`headers` as a frame's header lines, refused or cleaned as nats-py's `publish` does."""
    lines = []
    for key, value in headers.items():
        name = key.strip()
        if not name:
            continue
        if not _HEADER_KEY.fullmatch(name):
            raise errors.BadHeaderError(name)
        lines.append(f"{name}: {header_value(value)}\r\n")
    return "".join(lines)


class PublishedBatch:
    """The acks of one batch: `done` resolves to how many were duplicates the stream dropped
    once every message is acknowledged, or fails with the first error (the stream's
    `APIError`, or `NoStreamResponseError` when no stream takes a subject)."""

    __slots__ = ("done", "duplicates", "remaining", "size", "tokens")

    def __init__(self, tokens: range, done: asyncio.Future[int]) -> None:
        self.tokens = tokens
        self.size = self.remaining = len(tokens)
        self.duplicates = 0
        self.done = done
        if not tokens:
            done.set_result(0)

    def _acked(self, duplicate: bool) -> None:
        self.duplicates += duplicate
        self.remaining -= 1
        if not self.remaining and not self.done.done():
            self.done.set_result(self.duplicates)

    def _failed(self, error: Exception) -> None:
        if not self.done.done():
            self.done.set_exception(error)


class AckedPublisher:
    """`publish_batch` sends frames and returns their `PublishedBatch`; `publish` one message,
    its future resolving to True (a duplicate the stream dropped) or False (stored). An ack
    that comes after its batch was forgotten is ignored."""

    def __init__(self, nc: Client) -> None:
        self._nc = nc
        self._prefix = ""
        self._sub: Subscription | None = None
        self._pending: dict[int, PublishedBatch] = {}
        self._numbers = itertools.count()
        self._subjects: set[str] = set()  # subjects already checked

    async def _subscribe(self) -> None:
        prefix = self._nc.new_inbox()
        self._sub = await self._nc.subscribe(
            prefix + ".*", cb=self._on_ack, pending_msgs_limit=-1, pending_bytes_limit=-1
        )
        self._prefix = prefix + "."
        _ack_routes(self._nc)[self._sub._id] = self._on_raw_ack

    async def publish_batch(self, frames: Sequence[Frame]) -> PublishedBatch:
        """Send `frames` in one write to the client's outgoing queue, in order; nothing is
        sent if any frame is refused (a bad subject, a payload past the server's limit)."""
        if self._sub is None:
            await self._subscribe()
        nc = self._nc
        if nc.is_closed:
            raise errors.ConnectionClosedError
        if nc.is_draining_pubs:
            raise errors.ConnectionDrainingError
        first = next(self._numbers)
        token, prefix, checked = first, self._prefix, self._subjects
        max_payload = nc._max_payload
        parts: list[bytes] = []
        append = parts.append
        body_bytes = 0
        for subject, lines, body in frames:
            if subject not in checked:
                self._check_subject(subject)
            head = f"NATS/1.0\r\n{lines}\r\n".encode()
            size = len(head) + len(body)
            if size > max_payload:
                raise errors.MaxPayloadError
            append(f"HPUB {subject} {prefix}{token} {len(head)} {size}\r\n".encode())
            append(head)
            append(body)
            append(b"\r\n")
            body_bytes += len(body)
            token += 1
        self._numbers = itertools.count(token)
        batch = PublishedBatch(range(first, token), asyncio.get_running_loop().create_future())
        if not frames:
            return batch
        data = b"".join(parts)
        if not nc.is_connected and (
            nc._max_pending_size <= 0 or len(data) + nc._pending_data_size > nc._max_pending_size
        ):
            raise errors.OutboundBufferLimitError  # reconnecting, and its buffer is full
        self._pending.update(dict.fromkeys(batch.tokens, batch))
        nc.stats["out_msgs"] += len(frames)
        nc.stats["out_bytes"] += body_bytes
        await nc._send_command(data)
        if nc._flush_queue is not None and nc._flush_queue.empty():
            await nc._flush_pending()
        return batch

    def _check_subject(self, subject: str) -> None:
        if not subject or _BAD_SUBJECT.search(subject):
            raise errors.BadSubjectError
        if len(self._subjects) > 10_000:  # event types are few; keep the set small anyway
            self._subjects.clear()
        self._subjects.add(subject)

    async def publish(
        self, subject: str, body: bytes, headers: dict[str, str]
    ) -> asyncio.Future[bool]:
        """One message: a future resolving to True (a duplicate) or False (stored)."""
        batch = await self.publish_batch([(subject, header_lines(headers), body)])
        stored: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        def settle(done: asyncio.Future[int]) -> None:
            if stored.done():
                return
            if done.cancelled():
                stored.cancel()
            elif (error := done.exception()) is not None:
                stored.set_exception(error)
            else:
                stored.set_result(done.result() > 0)

        batch.done.add_done_callback(settle)
        return stored

    def forget(self, batches: Sequence[PublishedBatch]) -> None:
        """Give up on these batches (timed out, or failed): cancel them, drop their acks."""
        pending = self._pending
        for batch in batches:
            batch.done.cancel()
            for token in batch.tokens:
                pending.pop(token, None)

    def _on_raw_ack(self, subject: bytes, data: bytes) -> None:
        """An ack straight from the client's parser (no headers): see `_ack_routes`."""
        try:
            token = int(subject[len(self._prefix) :])
        except ValueError:
            return
        batch = self._pending.pop(token, None)
        if batch is None:
            return
        if _SEQ in data and _ERROR not in data and _DUPLICATE not in data:
            batch._acked(False)  # stored: the common case, nothing to parse
        else:
            _read_ack(batch, data)

    async def _on_ack(self, msg: Msg) -> None:
        """An ack through the subscription (one with headers: a status, e.g. no responders)."""
        try:
            token = int(msg.subject[len(self._prefix) :])
        except ValueError:
            return
        batch = self._pending.pop(token, None)
        if batch is None:
            return
        if not msg.data and msg.headers and msg.headers.get(Header.STATUS) == NO_RESPONDERS_STATUS:
            batch._failed(NoStreamResponseError())
        else:
            _read_ack(batch, msg.data)

    async def close(self) -> None:
        if self._sub is not None:
            _ack_routes(self._nc).pop(self._sub._id, None)
            await self._sub.unsubscribe()
            self._sub = None
        self.forget(list({id(b): b for b in self._pending.values()}.values()))


def _read_ack(batch: PublishedBatch, data: bytes) -> None:
    try:
        reply = json.loads(data) if data else None
    except ValueError:
        reply = None
    if not isinstance(reply, dict) or ("error" not in reply and "seq" not in reply):
        batch._failed(APIError(description=f"not a JetStream ack: {data[:200]!r}"))
    elif "error" in reply:
        batch._failed(_api_error(reply["error"]))
    else:
        batch._acked(reply.get("duplicate") is True)


def _api_error(error: Any) -> APIError:
    error = error if isinstance(error, dict) else {"description": str(error)}
    return APIError(
        code=error.get("code"), err_code=error.get("err_code"), description=error.get("description")
    )


# Acks read straight off the client's parser: for each client, the handler of each of our
# inbox subscriptions (by subscription id). The header-less MSGs of those subscriptions at the
# head of what the client reads are read by `_AckParser`; the client's `_process_msg` hands any
# other header-less one of ours (one that came after some other message) to its handler, and
# everything else (other subscriptions, acks with a status header) goes to nats-py as before.
# The subscription itself is an ordinary one: reconnects re-subscribe it as any other.
AckHandler = Callable[[bytes, bytes], None]
_ROUTES = "_union_ack_routes"  # the client's attribute holding its handlers
_ACK_LINE = re.compile(rb"MSG ([^ \r\n]+) (\d+) (\d+)\r\n")  # subject, sid, size: no reply
_log = logging.getLogger(__name__)


def _ack_routes(nc: Client) -> dict[int, AckHandler]:
    routes: dict[int, AckHandler] | None = nc.__dict__.get(_ROUTES)
    if routes is not None:
        return routes
    routes = {}
    setattr(nc, _ROUTES, routes)
    process_msg: Callable[..., Awaitable[None]] = nc._process_msg
    stats = nc.stats

    async def route(sid: int, subject: bytes, reply: bytes, data: bytes, headers: Any) -> None:
        handler = routes.get(sid)
        if handler is None or headers:
            await process_msg(sid, subject, reply, data, headers)
            return
        stats["in_msgs"] += 1
        stats["in_bytes"] += len(data)
        _handle(handler, subject, data)

    nc._process_msg = route  # type: ignore[method-assign]
    if type(nc._ps) is Parser:  # the one whose state `_AckParser` knows
        nc._ps.__class__ = _AckParser
    return routes


def _handle(handler: AckHandler, subject: bytes, data: bytes) -> None:
    try:
        handler(subject, data)
    except Exception:  # never out into the client's read loop, which would stop reading
        _log.exception("reading a JetStream ack on %r", subject)


class _AckParser(Parser):
    """nats-py's parser, reading first the acks that lead the buffer (a plain MSG, no reply,
    of a subscription in the client's routes) without its per-message state machine."""

    async def parse(self, data: bytes = b"") -> None:
        buf = self.buf
        buf.extend(data)
        routes = self.nc.__dict__.get(_ROUTES)
        if routes and self.state == AWAITING_CONTROL_LINE:
            match, size, pos, count, received = _ACK_LINE.match, len(buf), 0, 0, 0
            while (line := match(buf, pos)) is not None:
                handler = routes.get(int(line[2]))
                start = line.end()
                end = start + int(line[3])
                if handler is None or end + 2 > size:
                    break
                _handle(handler, line[1], bytes(buf[start:end]))
                pos = end + 2  # past the payload's CRLF
                count += 1
                received += end - start
            if pos:
                del buf[:pos]
                stats = self.nc.stats
                stats["in_msgs"] += count
                stats["in_bytes"] += received
        if buf:
            await super().parse()
