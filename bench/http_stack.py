"""CPU per request through a service's whole HTTP stack (`create_app`: FastAPI, the edge layer
with tracing on, metrics, correlation id, body limit) to a do-nothing route, in-process: no
server, no socket, no database. CPU time (`time.process_time`), not wall time, so it holds up
on a shared machine; compare before and after a change to the toolkit's HTTP path.
Run: `uv run python bench/http_stack.py [--requests 3000] [--repeat 5]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from union_events.apps import create_app
from union_events.body_limit import BodyLimits
from union_events.service import ServiceDefinition
from union_events.telemetry import setup_telemetry

BODY = b'{"service_point": "zhoushan/dinghai/center"}'


def build() -> Any:
    setup_telemetry("bench")  # spans are made, as in a service (exported nowhere)
    app = create_app(ServiceDefinition(name="bench"))

    @app.post("/claims/{claim_id}/payment")
    async def pay(claim_id: str, body: dict[str, Any]) -> dict[str, str]:
        return {"claim_id": claim_id, "status": "paid"}

    app.state.body_limits = BodyLimits()  # what the lifespan would set
    return app


async def one(app: Any) -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/claims/abc/payment",
        "raw_path": b"/claims/abc/payment",
        "root_path": "",
        "query_string": b"",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 5555),
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(BODY)).encode()),
            (b"user-agent", b"bench"),
        ],
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    assert sent[0]["status"] == 200, sent


async def measure(requests: int, repeat: int) -> list[float]:
    app = build()
    for _ in range(500):  # warm-up
        await one(app)
    figures = []
    for _ in range(repeat):
        started = time.process_time()
        for _ in range(requests):
            await one(app)
        figures.append((time.process_time() - started) / requests * 1e6)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    figures = asyncio.run(measure(args.requests, args.repeat))
    print(
        f"CPU per request through the service stack: min {min(figures):.0f} µs, median "
        f"{statistics.median(figures):.0f} µs ({args.repeat} × {args.requests} requests)"
    )


if __name__ == "__main__":
    main()
