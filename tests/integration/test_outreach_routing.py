"""Intake routing over real NATS: outreach's intakes reach the service that owns them, and
their answers move the intake's status — each exactly once, even under redelivery. And the
members outreach serves are those it heard of from the real members service.

- enrolment: outreach and the real members service, each with its own database, in-process;
- hardship: relief's reply (`ApplicationDrafted`) is published here as a real CloudEvent;
- known members: registered and transferred at members, heard by outreach over NATS.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

import httpx
from members.bootstrap import definition as members_definition
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from outreach.bootstrap import definition as outreach_definition
from sqlalchemy import select
from union_events.apps import create_app
from union_events.codec import loads
from union_events.events import EventContext, RecordedEvent
from union_events.published.outreach import IntakeRecorded
from union_events.published.relief import ApplicationDrafted
from union_events.schema import inbox
from union_events.service import Runtime
from union_events.settings import ServiceSettings
from union_events.testing.people import person
from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually
from union_events.wire import encode

TODAY = date(2026, 10, 20)


@asynccontextmanager
async def running(definition, settings) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    app = create_app(definition, settings)
    async with app.router.lifespan_context(app):
        runtime: Runtime = app.state.runtime
        runtime.extras["today"] = lambda: TODAY
        transport = httpx.ASGITransport(app=app)
        headers = bearer(settings.union_data_dir)  # a city admin's token the service accepts
        async with httpx.AsyncClient(
            transport=transport, base_url="http://service", headers=headers
        ) as client:
            yield client, runtime


def consumer(runtime: Runtime, name: str):
    return next(c for c in runtime.consumers if c.spec.name == name)


async def published_message(runtime: Runtime, subject: str, key: str) -> tuple[dict, bytes]:
    """The message on `subject` whose body mentions `key`, as JetStream holds it."""
    config = ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE)

    async def find() -> tuple[dict, bytes] | None:
        sub = await runtime.js.pull_subscribe(subject, config=config)
        try:
            while True:
                try:
                    batch = await sub.fetch(200, timeout=0.5)
                except TimeoutError:
                    return None
                for msg in batch:
                    if key in msg.data.decode():
                        return dict(msg.headers or {}), msg.data
        finally:
            await sub.unsubscribe()

    return await eventually(find, timeout=15, message=f"{subject} with {key} published")


async def redeliver(runtime: Runtime, subject: str, headers: dict, body: bytes) -> None:
    """The same CloudEvent again with a new Nats-Msg-Id: past JetStream's duplicate window."""
    await runtime.js.publish(subject, body, headers=headers | {"Nats-Msg-Id": str(uuid.uuid4())})


async def handled_in_inbox(runtime: Runtime, event_id: str) -> bool:
    async with runtime.store.engine.connect() as conn:
        found = await conn.scalar(select(inbox.c.event_id).where(inbox.c.event_id == event_id))
    return found is not None


async def intake_events(runtime: Runtime, intake_id: str) -> list[str]:
    return [e.type for e in await runtime.store.read_stream(f"intake-{intake_id}")]


async def status(client: httpx.AsyncClient, intake_id: str, wanted: str) -> dict[str, Any] | None:
    body = (await client.get(f"/intakes/{intake_id}")).json()
    return body if body["status"] == wanted else None


async def test_an_enrolment_intake_reaches_members_and_comes_back_accepted_once(
    nats_url, tmp_path, postgres_url
):
    district = f"zhoushan/e{uuid.uuid4().hex[:8]}"
    outreach_settings = ServiceSettings(nats_url=nats_url, database_url=postgres_url)
    members_settings = ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path / "members")
    async with (
        running(outreach_definition(), outreach_settings) as (outreach, o_runtime),
        running(members_definition(), members_settings) as (members, m_runtime),
    ):
        body = {"kind": "union_enrolment", "channel": "online", "district": district,
                "summary": "快递员想入会"}  # fmt: skip
        created = await outreach.post("/intakes", json=body)
        assert created.status_code == 201, created.text
        intake_id = created.json()["intake_id"]
        assert created.json()["status"] == "routed"

        async def join_requests() -> list[dict] | None:
            listed = (await members.get(f"/join-requests?district={district}")).json()
            return listed["join_requests"] or None

        [request] = await eventually(join_requests, timeout=20, message="join request")
        assert request["intake_id"] == intake_id
        accepted = await eventually(lambda: status(outreach, intake_id, "accepted"), timeout=20)
        assert accepted["accepted_by"] == "members"
        assert accepted["reference"] == request["request_id"]

        # Redelivery both ways: the intake to members, the join request back to outreach.
        to_members = consumer(m_runtime, "members-outreach")
        to_outreach = consumer(o_runtime, "outreach-members")
        seen_m, seen_o = to_members.duplicates, to_outreach.duplicates
        headers, message = await published_message(
            o_runtime, IntakeRecorded.event_type(), intake_id
        )
        data = loads(message)["data"]
        assert "summary" not in data and set(data) == set(IntakeRecorded.model_fields)
        await redeliver(o_runtime, IntakeRecorded.event_type(), headers, message)
        received = "union.members.join_request.received.v1"
        headers, message = await published_message(m_runtime, received, intake_id)
        await redeliver(m_runtime, received, headers, message)
        await eventually(lambda: to_members.duplicates == seen_m + 1, timeout=20)
        await eventually(lambda: to_outreach.duplicates == seen_o + 1, timeout=20)
        assert len(await join_requests() or []) == 1
        assert await intake_events(o_runtime, intake_id) == [
            "union.outreach.intake.recorded.v1",
            "union.outreach.intake.accepted.v1",
        ]


def drafted(intake_id: str, district: str, application_id: str) -> tuple[str, dict, bytes]:
    payload = ApplicationDrafted(
        application_id=application_id, intake_id=intake_id, member_id="m-1",
        district=district, kind="living_assistance", on=TODAY,
    )  # fmt: skip
    event = RecordedEvent(
        1, f"application-{application_id}", 1, str(uuid.uuid4()), ApplicationDrafted.event_type(),
        payload.model_dump(mode="json"), datetime.now(UTC), EventContext(org_path=district),
    )  # fmt: skip
    subject, headers, body = encode(event, "/union/relief")
    return subject, headers, body


async def test_a_hardship_intake_is_published_and_accepted_by_relief_once(
    nats_url, tmp_path, sqlite_url
):
    district = f"zhoushan/h{uuid.uuid4().hex[:8]}"
    station = f"{district}/pier-station"
    settings = ServiceSettings(nats_url=nats_url, database_url=sqlite_url)
    async with running(outreach_definition(), settings) as (outreach, runtime):
        point = {
            "point": station,
            "name": "码头驿站",
            "kind": "station",
            "amenities": ["hot_water"],
        }
        assert (await outreach.post("/points", json=point)).status_code == 201
        body = {"kind": "hardship", "channel": "station", "place": station,
                "card_no": "6200000000000001", "summary": "家中重病,生活困难"}  # fmt: skip
        created = await outreach.post("/intakes", json=body)
        intake_id = created.json()["intake_id"]

        # What relief reads: exactly IntakeRecorded, no card number, no summary.
        _, message = await published_message(runtime, IntakeRecorded.event_type(), intake_id)
        published = IntakeRecorded.model_validate(loads(message)["data"])
        assert (published.kind, published.channel, published.place) == (
            "hardship",
            "station",
            station,
        )
        assert published.member_id is None and b"6200000000000001" not in message

        # relief's answer, as relief publishes it.
        application_id = str(uuid.uuid4())
        subject, headers, reply = drafted(intake_id, district, application_id)
        await runtime.js.publish(subject, reply, headers=headers)
        accepted = await eventually(lambda: status(outreach, intake_id, "accepted"), timeout=20)
        assert (accepted["accepted_by"], accepted["reference"]) == ("relief", application_id)

        # The same reply again past the duplicate window, and a re-sent one with a new event id.
        listener = consumer(runtime, "outreach-relief")
        seen = listener.duplicates
        await redeliver(runtime, subject, headers, reply)
        _, again_headers, again = drafted(intake_id, district, application_id)
        await runtime.js.publish(subject, again, headers=again_headers)
        await eventually(lambda: listener.duplicates == seen + 1, timeout=20)
        await eventually(
            lambda: handled_in_inbox(runtime, again_headers["Nats-Msg-Id"]), timeout=20
        )
        assert await intake_events(runtime, intake_id) == [
            "union.outreach.intake.recorded.v1",
            "union.outreach.intake.accepted.v1",
        ]


async def test_outreach_serves_the_members_it_heard_of_from_members_by_their_canonical_id(
    nats_url, tmp_path, sqlite_url
):
    city = f"c{uuid.uuid4().hex[:8]}"
    dinghai, putuo = f"{city}/dinghai", f"{city}/putuo"
    station = f"{dinghai}/pier-station"
    outreach_settings = ServiceSettings(nats_url=nats_url, database_url=sqlite_url)
    members_settings = ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path / "members")
    async with (
        running(outreach_definition(), outreach_settings) as (outreach, o_runtime),
        running(members_definition(), members_settings) as (members, _),
    ):
        admin = bearer(members_settings.union_data_dir, org=city)
        for path, level in ((city, "city"), (dinghai, "district"), (putuo, "district"),
                            (f"{dinghai}/u1", "unit"), (f"{putuo}/u1", "unit")):  # fmt: skip
            org = {"path": path, "name": path, "level": level}
            assert (await members.post("/orgs", json=org, headers=admin)).status_code == 201
        body = person(7, f"{dinghai}/u1", born=date(1980, 3, 4))
        registered = await members.post("/members", json=body, headers=admin)
        assert registered.status_code == 201, registered.text
        member_id = registered.json()["member_id"]

        o_admin = bearer(outreach_settings.union_data_dir, org=city)
        point = {"point": station, "name": "码头驿站", "kind": "station"}
        assert (await outreach.post("/points", json=point, headers=o_admin)).status_code == 201
        campaign = {"campaign_id": f"cool-{city}", "name": "夏送清凉", "kind": "cooling_supplies",
                    "stock": 5, "districts": [dinghai], "starts_on": "2026-10-01",
                    "ends_on": "2026-10-31"}  # fmt: skip
        assert (await outreach.post("/campaigns", json=campaign, headers=o_admin)).is_success

        def hand_out(spelt: str):
            body = {"member_id": spelt, "point": station, "member_category": "outdoor_worker"}
            url = f"/campaigns/cool-{city}/hand-outs"
            return outreach.post(url, json=body, headers=o_admin)

        async def heard() -> dict | None:  # an unknown member takes nothing: try until heard
            answer = await hand_out(member_id.upper())
            if answer.status_code == 422 and answer.json()["error"]["code"] == "unknown_member":
                return None
            return answer.json() | {"status": answer.status_code}

        first = await eventually(heard, timeout=20, message="outreach heard of the member")
        assert (first["status"], first["member_id"], first["remaining"]) == (201, member_id, 4)
        again = await hand_out(member_id)
        assert (again.status_code, again.json()["error"]["code"]) == (409, "already_received")

        # Transferred at members to putuo: outreach hears the district move too.
        moved = await members.post(f"/members/{member_id}/transfer", json={"unit": f"{putuo}/u1"},
                                   headers=admin)  # fmt: skip
        assert moved.status_code == 200, moved.text
        for_putuo = {**campaign, "campaign_id": f"gym-{city}", "districts": [putuo]}
        assert (await outreach.post("/campaigns", json=for_putuo, headers=o_admin)).is_success

        async def served_as_of_putuo() -> bool | None:  # not eligible until the move is heard
            body = {"member_id": member_id, "point": station, "member_category": "any"}
            answer = await outreach.post(f"/campaigns/gym-{city}/hand-outs", json=body,
                                         headers=o_admin)  # fmt: skip
            assert answer.status_code in (201, 403), answer.text
            return True if answer.status_code == 201 else None

        assert await eventually(served_as_of_putuo, timeout=20, message="transfer heard")
        facts = [e.type for e in await o_runtime.store.read_stream(f"member-{member_id}")]
        assert facts == ["union.outreach.member.noted.v1", "union.outreach.member.moved.v1"]
