"""The body-limit middleware on a plain Starlette app: the limit per route, the answer when
the app does not handle the refusal itself, and a refusal after the answer began."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from union_events.body_limit import BodyLimitMiddleware, BodyLimits, BodyTooLarge, size


def refusal(_: Scope, exc: BodyTooLarge) -> Response:
    return JSONResponse({"refused": exc.limit}, 413)


async def echo_length(request: Request) -> Response:
    return PlainTextResponse(str(len(await request.body())))


def client(app: object, limits: BodyLimits) -> httpx.AsyncClient:
    wrapped = BodyLimitMiddleware(app, refusal=refusal, limits=limits)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=wrapped), base_url="http://t")


async def chunks(total: int, size_: int = 1000) -> AsyncIterator[bytes]:
    for _ in range(total // size_):
        yield b"x" * size_


def test_limits_in_words_and_per_route() -> None:
    assert [size(n) for n in (1 << 20, 8 << 20, 4096, 1500, 1 << 30)] == [
        "1 MiB", "8 MiB", "4 KiB", "1500 bytes", "1 GiB"]  # fmt: skip
    limits = BodyLimits(100, {r"/campaigns/[^/]+/signups": 1000})
    assert limits.for_path("/campaigns/c1/signups") == 1000
    assert limits.for_path("/campaigns/c1/signups/x") == 100  # matched whole
    assert limits.for_path("/orgs") == 100
    with pytest.raises(ValueError, match="0 or more"):
        BodyLimits(-1)


async def reads_the_body(scope: Scope, receive: Receive, send: Send) -> None:
    """A bare ASGI app with no error handling of its own: what it cannot read escapes."""
    received = 0
    while True:
        message = await receive()
        received += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    await PlainTextResponse(str(received))(scope, receive, send)


async def test_an_app_that_does_not_answer_the_refusal_gets_the_middleware_s() -> None:
    async with client(reads_the_body, BodyLimits(5000, {"/big": 50_000})) as c:
        assert (await c.post("/", content=b"x" * 5000)).text == "5000"
        chunked = await c.post("/", content=chunks(6000))
        assert (chunked.status_code, chunked.json()) == (413, {"refused": 5000})
        declared = await c.post("/", content=b"x" * 6000)
        assert (declared.status_code, declared.json()) == (413, {"refused": 5000})
        assert (await c.post("/big", content=chunks(20_000))).text == "20000"


async def test_a_starlette_app_answers_the_refusal_itself() -> None:
    app = Starlette(routes=[Route("/", echo_length, methods=["POST"])])
    async with client(app, BodyLimits(5000)) as c:
        answer = await c.post("/", content=chunks(6000))
        assert answer.status_code == 413
        assert answer.text == "the request body is larger than the 5000 bytes allowed"


async def test_a_refusal_after_the_answer_began_is_not_hidden() -> None:
    async def answers_then_reads(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        while (await receive()).get("more_body"):
            pass

    async with client(answers_then_reads, BodyLimits(10)) as c:
        with pytest.raises(BodyTooLarge):
            await c.post("/", content=chunks(5000))
