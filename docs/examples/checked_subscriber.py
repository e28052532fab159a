"""A subscriber that takes its contract from the platform instead of copying it.

It fetches a service's AsyncAPI document (`GET /asyncapi.json`, served by the service itself),
and checks every message it reads off the service's stream against the schema of the message's
channel — the NATS headers and the CloudEvents envelope with its `data` — before using it. A
message that does not match is not acted on: it is reported (and, here, acknowledged so it does
not come back; a real system would park it for a person).

Usage: python checked_subscriber.py http://127.0.0.1:8102 nats://127.0.0.1:4322 my-system
(the claims service's address, NATS, and a durable consumer name for your system).
Needs `nats-py` and `jsonschema` (pip install nats-py jsonschema); no platform code.
"""

from __future__ import annotations

import asyncio
import json
import sys
import urllib.request
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator


def fetch_document(service_url: str) -> dict[str, Any]:
    """The AsyncAPI document the service serves (no token needed)."""
    with urllib.request.urlopen(service_url.rstrip("/") + "/asyncapi.json", timeout=10) as r:
        return dict(json.load(r))


class Contract:
    """The messages a service publishes, by subject, as its AsyncAPI document states them."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = dict(document)
        self.stream = ""
        self._checks: dict[str, tuple[Draft202012Validator, Draft202012Validator]] = {}
        for operation in document["operations"].values():
            if operation["action"] != "send":  # what the service publishes, not what it reads
                continue
            channel_key = operation["channel"]["$ref"].rsplit("/", 1)[-1]
            channel = document["channels"][channel_key]
            [message] = channel["messages"].values()
            pointer = message["$ref"]  # "#/components/messages/<name>"
            self._checks[channel["address"]] = (
                self._validator(f"{pointer}/headers"),
                self._validator(f"{pointer}/payload"),
            )

    def _validator(self, pointer: str) -> Draft202012Validator:
        # The whole document is the root, so the schema's own $refs resolve inside it.
        return Draft202012Validator({**self.document, "$ref": pointer})

    @property
    def subjects(self) -> list[str]:
        return sorted(self._checks)

    def problems(self, subject: str, headers: Mapping[str, str], body: bytes) -> list[str]:
        """What is wrong with a message, by the document (empty: it is what it says)."""
        if subject not in self._checks:
            return [f"{subject}: no such channel in the document"]
        try:
            event = json.loads(body)
        except ValueError as exc:
            return [f"{subject}: the body is no JSON ({exc})"]
        check_headers, check_body = self._checks[subject]
        found = [f"header {e.json_path}: {e.message}" for e in check_headers.iter_errors(headers)]
        found += [f"{e.json_path}: {e.message}" for e in check_body.iter_errors(event)]
        return found


def paid_claim(event: Mapping[str, Any]) -> dict[str, Any]:
    """The facts of a checked `union.claims.claim.paid.v1` event (money as decimal strings)."""
    data = event["data"]
    return {
        "event_id": event["id"],  # keep what you do with it idempotent by this id
        "claim_id": data["claim_id"],
        "paid_by": data["paying_district"],
        "on_behalf_of": data["insuring_district"],
        "benefit": data["benefit"],
    }


async def main(service_url: str, nats_url: str, name: str) -> None:
    import nats
    from nats.errors import TimeoutError as NatsTimeout

    contract = Contract(fetch_document(service_url))
    nc = await nats.connect(nats_url)
    sub = await nc.jetstream().pull_subscribe("union.claims.>", durable=name, stream="CLAIMS")
    try:
        while True:
            try:
                messages = await sub.fetch(100, timeout=5)
            except NatsTimeout:
                continue
            for msg in messages:
                problems = contract.problems(msg.subject, dict(msg.headers or {}), msg.data)
                if problems:
                    print(f"not acted on: {msg.subject}: {problems[:3]}", file=sys.stderr)
                elif msg.subject.startswith("union.claims.claim.paid."):
                    print(paid_claim(json.loads(msg.data)))
                await msg.ack()
    finally:
        await nc.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
