"""Bulk QR sign-up (扫码入会): a month's target of 10,000 sign-ups in one batch.

Starts its own nats-server and the members service (uvicorn, SQLite: the embedded default),
posts the batch over HTTP, and prints: seconds until the batch is accepted (HTTP 200), seconds
until every resulting public event is on the MEMBERS stream, and the service's memory: RSS then
(`rss_mib`), once it has settled (`rss_idle_mib`: unchanged within 1 MiB for 3 s, the
projections done; at most 20 s later) and the peak. The service runs as `unionctl up` runs it
(`union_events.heap.process_env`: PYTHONMALLOC=malloc).
Run: `uv run python bench/qr_signup.py [--signups 10000] [--repeat 3]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
import nats
from members.domain.national_id import make_national_id
from union_events import heap
from union_events.embedded import NatsServer, free_port
from union_events.testing.tokens import bearer


def rss_mib(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, MiB, from /proc."""
    fields = dict(
        line.split(":", 1)
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if ":" in line
    )
    return tuple(int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))  # type: ignore[return-value]


async def one_run(n: int, workdir: Path) -> dict[str, float]:
    with NatsServer(store_dir=workdir / "nats") as server:
        port = free_port()
        env = {
            **heap.process_env("members"),
            **os.environ,
            "NATS_URL": server.url,
            "UNION_DATA_DIR": str(workdir / "data"),
            "LOG_LEVEL": "WARNING",
        }
        service = subprocess.Popen(  # noqa: ASYNC220 (started once, before timing)
            [
                sys.executable,
                "-m",
                "uvicorn",
                "members.main:app",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
        )
        try:
            headers = bearer(workdir / "data")  # signed with the key the service reads
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}", timeout=120, headers=headers
            ) as api:
                await _ready(api)
                await _seed(api)
                batch = [
                    {
                        "national_id": make_national_id("330902", date(1995, 1, 1), i),
                        "name": f"骑手{i}",
                        "phone": f"139{i:08d}",
                        "unit": "zhoushan/dinghai/riders",
                    }
                    for i in range(n)
                ]
                started = time.perf_counter()
                response = await api.post("/campaigns/riders/signups", json={"signups": batch})
                accepted_s = time.perf_counter() - started
                assert response.status_code == 200, response.text
                assert response.json()["accepted"] == n, response.json()
                published_s = await _published(server.url, n, started)
                current, _ = rss_mib(service.pid)
                idle = await _settled(service.pid)
                _, peak = rss_mib(service.pid)
        finally:
            service.terminate()
            service.wait(20)
    return {
        "accepted_s": accepted_s,
        "published_s": published_s,
        "rss_mib": current,
        "rss_idle_mib": idle,
        "peak_rss_mib": peak,
    }


async def _settled(pid: int) -> float:
    """RSS once it has not moved by more than 1 MiB for 3 s (or after 20 s)."""
    samples = [rss_mib(pid)[0]]
    for _ in range(40):
        await asyncio.sleep(0.5)
        samples.append(rss_mib(pid)[0])
        if len(samples) > 6 and max(samples[-7:]) - min(samples[-7:]) <= 1:
            break
    return samples[-1]


async def _ready(api: httpx.AsyncClient) -> None:
    for _ in range(200):
        try:
            if (await api.get("/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("members service did not become ready")


async def _seed(api: httpx.AsyncClient) -> None:
    for path, level in (
        ("zhoushan", "city"),
        ("zhoushan/dinghai", "district"),
        ("zhoushan/dinghai/riders", "unit"),
    ):
        (
            await api.post("/orgs", json={"path": path, "name": path, "level": level})
        ).raise_for_status()
    campaign = {"campaign_id": "riders", "district": "zhoushan/dinghai", "name": "骑手入会"}
    (await api.post("/campaigns", json=campaign)).raise_for_status()


async def _published(nats_url: str, n: int, started: float) -> float:
    """Seconds from the request until MEMBERS holds the batch's public events (orgs + n
    registrations + the campaign's sign-up record)."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        while (await js.stream_info("MEMBERS")).state.messages < n + 4:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        return time.perf_counter() - started
    finally:
        await nc.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signups", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="qr-bench-") as tmp:
            runs.append(asyncio.run(one_run(args.signups, Path(tmp))))
        print(f"run {i + 1}: " + ", ".join(f"{k} {v:.2f}" for k, v in runs[-1].items()))
    print(
        f"\n{args.signups:,} sign-ups in one batch, median of {args.repeat} runs (SQLite, "
        f"embedded NATS):"
    )
    for key in runs[0]:
        print(f"  {key:14} {statistics.median(r[key] for r in runs):8.2f}")


if __name__ == "__main__":
    main()
