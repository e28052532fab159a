"""Bodies over the limit get 413 and the platform's error body (the console: its Chinese page),
whether they declare their length or come chunked, before they are read whole: every service
and the console, in-process with their lifespans (real NATS, SQLite)."""

from __future__ import annotations

import contextlib
import json
import re
import select
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from claims.bootstrap import definition as claims_definition
from console.bootstrap import create_app as create_console
from console.settings import ConsoleSettings
from members.bootstrap import definition as members_definition
from outreach.bootstrap import definition as outreach_definition
from relief.bootstrap import definition as relief_definition
from union_events.apps import create_app
from union_events.embedded import free_port
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client

MiB = 1024 * 1024
CHUNK = 64 * 1024
# A route of each service that takes a JSON body.
SERVICES: dict[str, tuple[Callable[[], ServiceDefinition], str]] = {
    "members": (members_definition, "/orgs"),
    "claims": (claims_definition, "/claims"),
    "relief": (relief_definition, "/applications"),
    "outreach": (outreach_definition, "/intakes"),
}


class Sender:
    """A request body sent in chunks, counting what the server pulled of it."""

    def __init__(self, total: int, start: bytes = b'{"name": "') -> None:
        self.total, self.start, self.pulled = total, start, 0

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._chunks()

    async def _chunks(self) -> AsyncIterator[bytes]:
        yield self.start
        self.pulled = len(self.start)
        while self.pulled < self.total:
            part = b"x" * min(CHUNK, self.total - self.pulled)
            self.pulled += len(part)
            yield part


@pytest.fixture
def settings(nats_url: str, sqlite_url: str, tmp_path: Path, monkeypatch) -> ServiceSettings:
    for name in ("MEMBERS_SECRET", "RELIEF_SECRET", "RELIEF_WEBHOOK_URL", "MAX_BODY_BYTES"):
        monkeypatch.delenv(name, raising=False)
    return ServiceSettings(nats_url=nats_url, database_url=sqlite_url, union_data_dir=tmp_path)


def refused(response: httpx.Response, limit: str) -> None:
    assert response.status_code == 413, response.text
    error = response.json()["error"]
    assert error["code"] == "body_too_large"
    assert error["message"] == f"the request body is larger than the {limit} allowed"


@pytest.mark.parametrize("service", list(SERVICES))
async def test_a_service_refuses_a_body_over_1_mib_declared_or_chunked_without_reading_it(
    service: str, settings: ServiceSettings
) -> None:
    definition, route = SERVICES[service]
    async with service_client(definition(), settings) as client:
        declared = Sender(2 * MiB)
        headers = {"content-type": "application/json", "content-length": str(2 * MiB)}
        response = await client.post(route, content=declared, headers=headers)
        refused(response, "1 MiB")
        assert declared.pulled == 0  # answered from the header, the body never read

        chunked = Sender(64 * MiB)
        response = await client.post(route, content=chunked)  # no length: chunked
        refused(response, "1 MiB")
        assert chunked.pulled <= MiB + 2 * CHUNK  # it stopped reading at the limit

        # Just under the limit: read, and answered as any bad body is (not JSON: 422).
        response = await client.post(route, content=b"x" * (MiB - 1), headers=headers | {
            "content-length": str(MiB - 1)})  # fmt: skip
        assert response.status_code == 422, response.text


async def test_max_body_bytes_sets_the_limit(settings: ServiceSettings, monkeypatch) -> None:
    monkeypatch.setenv("MAX_BODY_BYTES", "4096")
    configured = ServiceSettings(**settings.model_dump(exclude={"max_body_bytes"}))
    assert configured.max_body_bytes == 4096
    async with service_client(claims_definition(), configured) as client:
        refused(await client.post("/claims", content=Sender(8192)), "4 KiB")
        small = await client.post("/claims", json={"member_id": "x"})
        assert small.status_code == 422, small.text


def signups(count: int) -> bytes:
    one = {"name": "会员", "national_id": "330902198001010011", "phone": "13600000000",
           "unit": "zhoushan/dinghai/u1"}  # fmt: skip
    return json.dumps({"signups": [one] * count}).encode()


async def test_the_bulk_sign_up_has_its_own_larger_limit(
    settings: ServiceSettings, monkeypatch
) -> None:
    full_batch = signups(10_000)  # MEMBERS_SIGNUP_BATCH_LIMIT's sign-ups
    assert MiB < len(full_batch) < 8 * MiB
    async with service_client(members_definition(), settings) as client:
        headers = {"content-type": "application/json"}
        taken = await client.post("/campaigns/none/signups", content=full_batch, headers=headers)
        assert taken.status_code == 404, taken.text  # read whole, then: no such campaign
        elsewhere = await client.post("/orgs", content=full_batch, headers=headers)
        refused(elsewhere, "1 MiB")
        refused(await client.post("/campaigns/none/signups", content=Sender(9 * MiB)), "8 MiB")


async def test_the_members_bulk_limit_is_configured(settings: ServiceSettings, monkeypatch):
    monkeypatch.setenv("MEMBERS_SIGNUP_MAX_BODY_BYTES", str(2 * MiB))
    async with service_client(members_definition(), settings) as client:
        sent = Sender(3 * MiB)
        refused(await client.post("/campaigns/none/signups", content=sent), "2 MiB")


@pytest.fixture
def console(tmp_path: Path) -> Iterator[httpx.AsyncClient]:
    app = create_console(ConsoleSettings(data_dir=tmp_path))

    async def run() -> AsyncIterator[httpx.AsyncClient]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://console") as c:
                yield c

    return run()


async def test_the_console_refuses_a_body_over_1_mib_with_its_chinese_page(console) -> None:
    async for client in console:
        form = {"content-type": "application/x-www-form-urlencoded"}
        declared = Sender(2 * MiB, b"username=")
        headers = form | {"content-length": str(2 * MiB)}
        response = await client.post("/login", content=declared, headers=headers)
        assert response.status_code == 413, response.text
        assert declared.pulled == 0
        assert "提交的内容过大" in response.text and "text/html" in response.headers["content-type"]
        assert response.headers.get("content-security-policy")  # the console's headers too

        chunked = Sender(64 * MiB, b"username=")
        response = await client.post("/login", content=chunked, headers=form)
        assert response.status_code == 413, response.text
        assert "一次提交的内容过多" in response.text
        assert chunked.pulled <= MiB + 2 * CHUNK


# ---------------------------------------------------------------------------------------------
# On the wire: a real uvicorn server, a raw socket.


@contextlib.contextmanager
def served(app: object) -> Iterator[int]:
    """`app` behind uvicorn on a free port, in a thread (its lifespan on that thread's loop)."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(30)


def answer(sock: socket.socket) -> tuple[int, bytes]:
    """The status and the bytes of the response (its headers and its Content-Length body)."""
    data = b""
    while b"\r\n\r\n" not in data and (chunk := sock.recv(65536)):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    assert length, head
    while len(body) < int(length.group(1)) and (chunk := sock.recv(65536)):
        body += chunk
    return int(data.split(b" ", 2)[1]), head + b"\r\n\r\n" + body


def declared_only(port: int, path: str, content_type: str) -> tuple[int, bytes]:
    """Headers that announce 100 MiB, and not one byte of it."""
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {100 * MiB}\r\n\r\n")  # fmt: skip
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(head.encode())
        return answer(sock)


def chunked_until_answered(port: int, path: str, content_type: str) -> tuple[int, bytes, int]:
    """A chunked body sent until the server answers (at most 64 MiB); also the bytes sent."""
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n")  # fmt: skip
    frame = f"{CHUNK:x}\r\n".encode() + b"x" * CHUNK + b"\r\n"
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(head.encode())
        while sent < 64 * MiB and not select.select([sock], [], [], 0)[0]:
            if sent > MiB + 2 * CHUNK:  # past the limit: wait for the answer, send no more
                select.select([sock], [], [], 20)
                break
            sock.sendall(frame)
            sent += CHUNK
        status, data = answer(sock)
    return status, data, sent


def test_on_the_wire_a_service_answers_413_to_the_headers_alone_and_to_a_chunked_body(
    settings: ServiceSettings,
) -> None:
    with served(create_app(claims_definition(), settings)) as port:
        status, data = declared_only(port, "/claims", "application/json")
        assert status == 413 and b'"code":"body_too_large"' in data, data
        status, data, sent = chunked_until_answered(port, "/claims", "application/json")
        assert status == 413 and b'"code":"body_too_large"' in data, data
        assert sent <= MiB + 3 * CHUNK


def test_on_the_wire_the_console_answers_413_to_the_headers_alone(tmp_path: Path) -> None:
    form = "application/x-www-form-urlencoded"
    with served(create_console(ConsoleSettings(data_dir=tmp_path))) as port:
        status, data = declared_only(port, "/login", form)
        assert status == 413 and "提交的内容过大".encode() in data, data
        status, data, _ = chunked_until_answered(port, "/login", form)
        assert status == 413 and "提交的内容过大".encode() in data, data
