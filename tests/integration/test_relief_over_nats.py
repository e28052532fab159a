"""relief over real NATS: claims paid past the threshold open one major-illness case whatever
is redelivered (also after a restart); a hardship intake opens one draft application; members'
transfers move files and erasures shred households; relief knows members from members' own
events (the members service running, registering over HTTP) and helps no one else. Other
services' events are otherwise published as the real CloudEvents they send (their payload
contracts), not by running them."""

from __future__ import annotations

import uuid
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime

import nats
import pytest
from members.bootstrap import definition as members_definition
from relief.bootstrap import definition
from relief.consumers.claims import major_illness_case_id
from relief.consumers.outreach import intake_application_id
from union_events import codec
from union_events.embedded import NatsServer
from union_events.events import EventContext, RecordedEvent
from union_events.published.claims import ClaimPaid
from union_events.published.members import (
    MemberErased,
    MemberRegistered,
    MemberTransferred,
)
from union_events.published.outreach import IntakeRecorded
from union_events.settings import ServiceSettings
from union_events.store import EventStore
from union_events.testing.http import service_client
from union_events.testing.jetstream import stream_messages
from union_events.testing.seeding import city_orgs, register_orgs, registered_member
from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually
from union_events.wire import encode

A, B = "zhoushan/dinghai", "zhoushan/putuo"
TODAY = date(2026, 11, 23)


@pytest.fixture
def nats_url(tmp_path):
    """A NATS of this test's own: relief's durable consumers start from scratch."""
    with NatsServer(store_dir=tmp_path / "nats") as server:
        yield server.url


@asynccontextmanager
async def relief(nats_url, tmp_path, monkeypatch):
    monkeypatch.setenv("RELIEF_MAJOR_ILLNESS_THRESHOLD", "50000.00")
    monkeypatch.setenv("RELIEF_SECRET", "")
    monkeypatch.setenv("RELIEF_WEBHOOK_URL", "")
    settings = ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path / "relief")
    async with service_client(definition(), settings, {"today": lambda: TODAY}) as client:
        yield client


class Publisher:
    """Sends payloads as the other services' relays do (CloudEvents, Nats-Msg-Id = event id)."""

    def __init__(self, js):
        self.js = js

    async def send(self, payload, source, event_id=None, msg_id=None) -> str:
        event_id = event_id or str(uuid.uuid4())
        recorded = RecordedEvent(
            1,
            "s-1",
            1,
            event_id,
            payload.event_type(),
            codec.loads(payload.model_dump_json()),
            datetime.now(UTC),
            EventContext(),
        )
        subject, headers, body = encode(recorded, source)
        if msg_id:  # a re-send after JetStream's duplicate window: same event, new message
            headers["Nats-Msg-Id"] = msg_id
        await self.js.publish(subject, body, headers=headers)
        return event_id


@asynccontextmanager
async def publisher(nats_url):
    nc = await nats.connect(nats_url)
    try:
        yield Publisher(nc.jetstream())
    finally:
        await nc.close()


async def registered(pub, api, member_id, district=A):
    """members' `member.registered`, as its relay sends it; back once relief knows it."""
    payload = MemberRegistered(
        member_id=member_id,
        unit=f"{district}/u1",
        district=district,
        joined_on=date(2020, 1, 1),
        channel="clerk",
    )
    await pub.send(payload, "/union/members")

    async def heard():
        return (await api.get(f"/members/{member_id}")).status_code == 200

    await eventually(heard, timeout=20)


def paid(claim_id, member_id, out_of_pocket, year=2026):
    return ClaimPaid(
        claim_id=claim_id,
        member_id=member_id,
        plan_id="inpatient",
        year=year,
        service_point=f"{B}/center",
        paying_district=B,
        insuring_district=A,
        claimed=out_of_pocket,
        benefit="0.00",
        out_of_pocket=out_of_pocket,
        on=date(2026, 5, 2),
    )


async def cases_of(api, member_id):
    listed = await api.get("/applications", params={"district": A})
    return [
        a
        for a in listed.json()["applications"]
        if a["member_id"] == member_id and a["kind"] == "major_illness"
    ]


async def test_claims_past_the_threshold_open_one_case_whatever_is_redelivered(
    nats_url, tmp_path, monkeypatch
):
    member, other = str(uuid.uuid4()), str(uuid.uuid4())
    async with publisher(nats_url) as pub:
        async with relief(nats_url, tmp_path, monkeypatch) as api:
            first = await pub.send(paid("c1", member, "30000.00"), "/union/claims")
            second = await pub.send(paid("c2", member, "25000.00"), "/union/claims")
            await pub.send(paid("c2", member, "25000.00"), "/union/claims", event_id=second)
            await pub.send(paid("c2", member, "25000.00"), "/union/claims", msg_id="resent-c2")
            await pub.send(paid("c2", member, "25000.00"), "/union/claims")  # new id, same claim
            await pub.send(paid("c3", member, "10000.00"), "/union/claims")
            await pub.send(paid("x1", other, "60000.00"), "/union/claims")  # sentinel
            await eventually(lambda: cases_of(api, other), timeout=20)
            [case] = await cases_of(api, member)
            assert case["application_id"] == major_illness_case_id(member, 2026)
            assert (case["status"], case["district"], case["source"]) == ("drafted", A, "claims")
        async with relief(nats_url, tmp_path, monkeypatch) as api:  # restarted: same database
            await pub.send(paid("c1", member, "30000.00"), "/union/claims", first, "again-1")
            await pub.send(paid("c2", member, "25000.00"), "/union/claims", second, "again-2")
            late = str(uuid.uuid4())
            await pub.send(paid("y1", late, "70000.00"), "/union/claims")  # sentinel
            await eventually(lambda: cases_of(api, late), timeout=20)
            assert len(await cases_of(api, member)) == 1

            async def published():
                messages = await stream_messages(pub.js, "RELIEF")
                opened = [
                    codec.loads(body)["data"]
                    for _, body in messages
                    if codec.loads(body)["type"] == "union.relief.major_illness.case_opened.v1"
                ]
                return opened if len(opened) == 3 else None

            opened = await eventually(published, timeout=20)
            mine = [o for o in opened if o["member_id"] == member]
            assert [(o["year"], o["total"]) for o in mine] == [(2026, "55000.00")]
    store = await EventStore.open(f"sqlite:///{tmp_path / 'relief' / 'relief.db'}")
    try:
        noted = await store.read_stream(f"illness-{member}-2026")
        assert [e.data.get("claim_id") for e in noted] == ["c1", "c2", None, "c3"]
    finally:
        await store.close()


async def test_a_hardship_intake_opens_one_draft_application_published_for_outreach(
    nats_url, tmp_path, monkeypatch
):
    member = str(uuid.uuid4())
    intake = IntakeRecorded(
        intake_id="i-1",
        kind="hardship",
        channel="session",
        district=A,
        place=f"{A}/center",
        member_id=member,
        on=TODAY,
    )
    other = intake.model_copy(update={"intake_id": "i-2", "kind": "legal_aid"})
    async with publisher(nats_url) as pub, relief(nats_url, tmp_path, monkeypatch) as api:
        await registered(pub, api, member)
        sent = await pub.send(intake, "/union/outreach")
        await pub.send(intake, "/union/outreach", event_id=sent, msg_id="resent")
        await pub.send(intake, "/union/outreach")  # the same intake under a new event id
        await pub.send(other, "/union/outreach")
        application_id = intake_application_id("i-1")

        async def drafted():
            response = await api.get(f"/applications/{application_id}")
            return response.json() if response.status_code == 200 else None

        application = await eventually(drafted, timeout=20)
        assert (application["status"], application["intake_id"]) == ("drafted", "i-1")
        submitted = await api.post(
            f"/applications/{application_id}/submit", json={"amount": "2000.00"}
        )
        assert submitted.json()["status"] == "submitted"

        async def announced():
            messages = await stream_messages(pub.js, "RELIEF")
            found = [codec.loads(b) for _, b in messages]
            drafts = [m for m in found if m["type"] == "union.relief.application.drafted.v1"]
            return drafts if any(m["type"].endswith("submitted.v1") for m in found) else None

        [draft] = await eventually(announced, timeout=20)
        assert draft["data"] == {
            "application_id": application_id,
            "intake_id": "i-1",
            "member_id": member,
            "district": A,
            "kind": "living_assistance",
            "on": "2026-11-23",
        }

        async def listed():
            found = (await api.get("/applications", params={"district": A})).json()
            return found["applications"] if found["applications"] else None

        [only] = await eventually(listed)
        assert only["application_id"] == application_id


async def test_a_transfer_moves_the_file_and_an_erasure_shreds_the_household(
    nats_url, tmp_path, monkeypatch
):
    member = str(uuid.uuid4())
    async with publisher(nats_url) as pub, relief(nats_url, tmp_path, monkeypatch) as api:
        await registered(pub, api, member)
        standard = {"district": A, "amount": "770.00", "effective_from": "2026-01-01"}
        assert (await api.post("/standards", json=standard)).status_code == 201
        body = {
            "member_id": member,
            "district": A,
            "category": "deep",
            "household": [{"name": "赵兰", "relation": "self"}],
            "monthly_income": "600.00",
        }
        file_id = (await api.post("/files", json=body)).json()["file_id"]
        moved = MemberTransferred(
            member_id=member,
            from_unit=f"{A}/u1",
            to_unit=f"{B}/u1",
            from_district=A,
            to_district=B,
            on=TODAY,
        )
        await pub.send(moved, "/union/members")

        async def in_b():
            found = (await api.get(f"/files/{file_id}")).json()
            return found if found["district"] == B else None

        assert (await eventually(in_b, timeout=20))["household"]["members"][0]["name"] == "赵兰"
        b_officer = bearer(tmp_path / "relief", "district_officer", B)
        assert (await api.get(f"/files/{file_id}", headers=b_officer)).status_code == 200
        known = (await api.get(f"/members/{member}", headers=b_officer)).json()
        assert (known["district"], known["open_file_id"]) == (B, file_id)
        await pub.send(MemberErased(member_id=member, on=TODAY), "/union/members")

        async def erased():
            found = (await api.get(f"/files/{file_id}")).json()
            return found if found["household_erased"] else None

        gone = await eventually(erased, timeout=20)
        assert gone["household"] is None and gone["card"] is not None  # history stays valid


async def test_relief_knows_members_from_the_members_service_and_helps_no_one_else(
    nats_url, tmp_path, monkeypatch
):
    """Registered (and then leaving) through the members service's HTTP API: relief hears it
    on NATS. A made-up member gets no file and no grant; one who left gets no new file."""
    extras = {"today": lambda: TODAY}
    settings = ServiceSettings(nats_url=nats_url, union_data_dir=tmp_path / "members")
    async with (
        service_client(members_definition(), settings, extras) as members,
        relief(nats_url, tmp_path, monkeypatch) as api,
    ):
        await register_orgs(members, city_orgs("dinghai", units=("fishery-co",), points=()))
        unit, born = f"{A}/fishery-co", date(1980, 2, 2)
        member_id = await registered_member(members, 21, unit, born=born, name="周海")
        standard = {"district": A, "amount": "770.00", "effective_from": "2026-01-01"}
        assert (await api.post("/standards", json=standard)).status_code == 201

        def hardship_file(member):
            return {
                "member_id": member,
                "district": A,
                "opened_by": f"{A}/fishery-co",
                "category": "deep",
                "household": [{"name": "周海", "relation": "self"}],
                "monthly_income": "600.00",
            }

        made_up = await api.post("/files", json=hardship_file(str(uuid.uuid4())))
        assert (made_up.status_code, made_up.json()["error"]["code"]) == (422, "unknown_member")

        async def opened():
            response = await api.post("/files", json=hardship_file(member_id))
            return response if response.status_code == 201 else None

        file = (await eventually(opened, timeout=20)).json()  # once relief heard the member
        assert (file["member_id"], file["card"] is not None) == (member_id, True)
        grant = {"member_id": member_id, "district": A, "kind": "education", "amount": "100.00"}
        assert (await api.post("/applications", json=grant)).status_code == 201
        closed = await api.post(f"/files/{file['file_id']}/close", json={"reason": "脱困"})
        assert closed.status_code == 200
        left = await members.post(f"/members/{member_id}/leave", json={"reason": "退休"})
        assert left.status_code < 300, left.text

        async def refused_as_left():
            response = await api.post("/files", json=hardship_file(member_id))
            return response if response.status_code == 422 else None

        refused = await eventually(refused_as_left, timeout=20)
        assert refused.json()["error"]["code"] == "member_left"
