"""The ceiling under bench/claims_flow.py: the same client (bench/client.py, 32 in flight) and
server stack (FastAPI on uvicorn) with handlers that do nothing — no database, no NATS, no
token check. `--client httpx` measures httpx's async client instead (it is the bottleneck).

A claim in claims_flow is two requests (file, pay); here a "claim" is the same two requests to
endpoints that only parse the body and answer. What this reaches on a machine bounds what the
real flow can reach on it. Run: `uv run python bench/http_ceiling.py [--claims 3000] [--repeat 3]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from client import Client, ClientError  # bench/client.py
from fastapi import FastAPI
from union_events.embedded import free_port

app = FastAPI()


@app.post("/claims", status_code=202)
async def file(body: dict[str, Any]) -> dict[str, str]:
    return {"claim_id": str(uuid.uuid4()), "status": "approved"}


@app.post("/claims/{claim_id}/payment")
async def pay(claim_id: str, body: dict[str, Any]) -> dict[str, str]:
    return {"claim_id": claim_id, "status": "paid"}


BODY = {
    "member_id": "5b0a6f0e-8a43-4a57-9d43-2f3d1c9b1e11",
    "service_point": "zhoushan/putuo/center",
    "plan_id": "inpatient",
    "admitted_on": "2026-03-01",
    "discharged_on": "2026-03-10",
    "invoices": [
        {"hospital": "舟山医院", "number": "B-1", "amount": "6230.00", "issued_on": "2026-03-10"}
    ],
}


async def measure(port: int, claims: int, concurrency: int, kind: str = "aiohttp") -> float:
    base = f"http://127.0.0.1:{port}"
    opened: Any = (
        httpx.AsyncClient(base_url=base, limits=httpx.Limits(max_connections=64))
        if kind == "httpx"
        else Client(base)
    )
    async with opened as client:
        for _ in range(300):
            try:
                await client.post("/claims", json=BODY)
                break
            except (httpx.TransportError, ClientError):
                await asyncio.sleep(0.1)
        sem = asyncio.Semaphore(concurrency)

        async def one() -> None:
            async with sem:
                claim_id = (await client.post("/claims", json=BODY)).json()["claim_id"]
                body = {"service_point": "zhoushan/dinghai/center"}
                await client.post(f"/claims/{claim_id}/payment", json=body)

        t0 = time.perf_counter()
        await asyncio.gather(*[one() for _ in range(claims)])
        return claims / (time.perf_counter() - t0)


def ceiling(claims: int = 3000, concurrency: int = 32, kind: str = "aiohttp") -> float:
    """One measurement: a do-nothing server started, driven, stopped; claims/s."""
    port = free_port()
    here = str(Path(__file__).parent)
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "http_ceiling:app", "--port", str(port),
         "--log-level", "warning", "--app-dir", here]
    )  # fmt: skip
    try:
        return asyncio.run(measure(port, claims, concurrency, kind))
    finally:
        server.terminate()
        server.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--client", choices=("aiohttp", "httpx"), default="aiohttp")
    args = parser.parse_args()
    rates = []
    for _ in range(args.repeat):
        rates.append(ceiling(args.claims, args.concurrency, args.client))
        print(f"do-nothing file + pay ({args.client}): {rates[-1]:,.0f} claims/s", flush=True)
    median = statistics.median(rates)
    print(f"median of {args.repeat}: {median:,.0f} claims/s (2 requests each, {args.client})")


if __name__ == "__main__":
    main()
