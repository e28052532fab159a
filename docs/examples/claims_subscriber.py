"""A subscriber of the platform's claim events, with plain nats-py: no platform code needed.

Usage: python claims_subscriber.py nats://127.0.0.1:4322 my-system
It creates (or resumes) a durable pull consumer named after your system on the CLAIMS stream,
prints each paid claim and acknowledges it. Keep what you do with an event idempotent (by the
CloudEvents `id`): after a long outage the platform may send an event again.
"""

from __future__ import annotations

import asyncio
import json
import sys
from decimal import Decimal

import nats
from nats.errors import TimeoutError as NatsTimeout


def read_paid(body: bytes) -> dict | None:
    """A `union.claims.claim.paid.v1` CloudEvent (structured JSON) → the facts, else None."""
    event = json.loads(body)
    if event.get("specversion") != "1.0" or not event.get("type", "").startswith(
        "union.claims.claim.paid."
    ):
        return None
    data = event["data"]
    return {
        "event_id": event["id"],
        "claim_id": data["claim_id"],
        "member_id": data["member_id"],
        "paid_by": data["paying_district"],
        "on_behalf_of": data["insuring_district"],
        "benefit": Decimal(data["benefit"]),  # decimal strings in yuan, never floats
        "out_of_pocket": Decimal(data["out_of_pocket"]),
        "trace": event.get("traceparent"),
    }


async def main(url: str, name: str) -> None:
    nc = await nats.connect(url)
    js = nc.jetstream()
    sub = await js.pull_subscribe("union.claims.claim.>", durable=name, stream="CLAIMS")
    try:
        while True:
            try:
                messages = await sub.fetch(100, timeout=5)
            except NatsTimeout:
                continue
            for msg in messages:
                paid = read_paid(msg.data)
                if paid is not None:
                    print(paid)
                await msg.ack()
    finally:
        await nc.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
