"""Each service connects to NATS as its own user and may publish only on its own subjects."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import nats
import pytest
from claims.bootstrap import definition as claims_definition
from members.bootstrap import definition as members_definition
from members.domain.national_id import make_national_id
from nats.errors import TimeoutError as NatsTimeout
from outreach.bootstrap import definition as outreach_definition
from relief.bootstrap import definition as relief_definition
from union_events.embedded import NatsServer, credentials
from union_events.embedded.nats_auth import PLATFORM, Consumes
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client
from union_events.testing.seeding import claims_heard
from union_events.testing.waiting import eventually

MEMBER_REGISTERED = "union.members.member.registered.v1"
RULES = {
    "pooling": [{"level": "city", "effective_from": "2026-01-01"}],
    "deductible": "500.00",
    "tiers": [{"up_to": None, "ratio": "0.5"}],
    "per_claim_cap": "30000.00",
    "annual_cap": "50000.00",
    "deadline_days": 3650,
    "auto_approve_below": "5000.00",
}


def claim(member_id: str) -> dict[str, object]:
    invoice = {"hospital": "ZS-001", "number": "INV-1", "amount": "2000.00"}
    return {
        "member_id": member_id,
        "service_point": "zhoushan/dinghai/center",
        "plan_id": "inpatient",
        "admitted_on": "2026-04-10",
        "discharged_on": "2026-04-20",
        "invoices": [invoice | {"issued_on": "2026-04-20"}],
    }


@pytest.fixture
def secured_nats(tmp_path: Path) -> Iterator[NatsServer]:
    """A NATS of this test's own, started with one user per service."""
    users = credentials(tmp_path / "data")
    with NatsServer(store_dir=tmp_path / "nats", users=users) as server:
        yield server


async def connect(server: NatsServer, name: str) -> tuple[nats.NATS, list[Exception]]:
    errors: list[Exception] = []

    async def on_error(exc: Exception) -> None:
        errors.append(exc)

    user, password = server.users[name]  # type: ignore[index]
    nc = await nats.connect(
        server.url,
        user=user,
        password=password,
        inbox_prefix=f"_INBOX.{name}",
        error_cb=on_error,
        max_reconnect_attempts=0,
    )
    return nc, errors


def settings_for(server: NatsServer, name: str, data_dir: Path) -> ServiceSettings:
    user, password = server.users[name]  # type: ignore[index]
    return ServiceSettings(
        nats_url=server.url, nats_user=user, nats_password=password, union_data_dir=data_dir
    )


def test_passwords_are_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = credentials(tmp_path)
    assert set(first) == {"members", "claims", "relief", "outreach", "admin"}
    assert len({password for _, password in first.values()}) == 5
    assert credentials(tmp_path) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "nats-users.json").st_mode)
    assert mode == 0o600


def test_the_permission_table_names_every_consumer_the_services_run() -> None:
    definitions = [members_definition(), claims_definition(), relief_definition()]
    definitions.append(outreach_definition())
    for definition in definitions:
        run = {Consumes(c.stream, c.name, c.subject) for c in definition.consumers}
        assert run == set(PLATFORM[definition.name]), definition.name


async def test_claims_may_not_publish_on_members_subjects(secured_nats: NatsServer) -> None:
    admin, _ = await connect(secured_nats, "admin")
    claims, errors = await connect(secured_nats, "claims")
    try:
        js_admin = admin.jetstream()
        await js_admin.add_stream(name="MEMBERS", subjects=["union.members.>"])
        await js_admin.add_stream(name="CLAIMS", subjects=["union.claims.>"])
        js = claims.jetstream(timeout=1.0)

        with pytest.raises(NatsTimeout):  # the server refuses: no stream ever acknowledges
            await js.publish(MEMBER_REGISTERED, b"{}")
        await eventually(lambda: errors, message="a permissions violation from the server")
        assert "permissions violation" in str(errors[0]).lower()
        assert MEMBER_REGISTERED in str(errors[0])

        ack = await js.publish("union.claims.claim.filed.v1", b"{}")  # its own: accepted
        assert ack.stream == "CLAIMS"
        assert (await js_admin.stream_info("MEMBERS")).state.messages == 0

        errors.clear()  # nor may it delete another service's stream
        with pytest.raises(NatsTimeout):
            await js.delete_stream("MEMBERS")
        await eventually(lambda: errors, message="a permissions violation from the server")
        assert (await js_admin.stream_info("MEMBERS")).config.name == "MEMBERS"
    finally:
        await claims.close()
        await admin.close()


async def test_a_service_may_not_listen_on_subjects_it_does_not_consume(
    secured_nats: NatsServer,
) -> None:
    claims, errors = await connect(secured_nats, "claims")
    try:
        await claims.subscribe("union.relief.>")
        await claims.flush()
        await eventually(lambda: errors, message="a subscription violation from the server")
        assert "permissions violation for subscription" in str(errors[0]).lower()
    finally:
        await claims.close()


async def test_members_and_claims_run_end_to_end_with_their_own_users(
    secured_nats: NatsServer, tmp_path: Path
) -> None:
    """A plan year set in claims reaches members, an enrolment in members reaches claims, over
    NATS with each service's own user; a claim is filed, approved and relayed."""
    m_settings = settings_for(secured_nats, "members", tmp_path / "members")
    c_settings = settings_for(secured_nats, "claims", tmp_path / "claims")
    async with (
        service_client(claims_definition(), c_settings) as claims,  # claims first: it
        service_client(members_definition(), m_settings) as members,  # creates MEMBERS
    ):
        for path, level in [
            ("zhoushan", "city"),
            ("zhoushan/dinghai", "district"),
            ("zhoushan/dinghai/u1", "unit"),
            ("zhoushan/dinghai/center", "service_point"),
        ]:
            created = await members.post("/orgs", json={"path": path, "name": path, "level": level})
            assert created.status_code == 201, created.text
        await claims_heard(claims, "zhoushan/dinghai/center")
        member = await members.post(
            "/members",
            json={
                "national_id": make_national_id("330902", date(1980, 2, 2), 7),
                "name": "周海",
                "phone": "13600000000",
                "unit": "zhoushan/dinghai/u1",
            },
        )
        member_id = member.json()["member_id"]
        assert (await claims.put("/plans/inpatient/years/2026", json=RULES)).status_code == 200

        async def plan_year_heard() -> bool:  # members consumes CLAIMS as its own user
            return (await members.get("/plan-years/inpatient/2026")).status_code == 200

        await eventually(plan_year_heard, timeout=20, message="members heard the plan year")
        enrolled = await members.post(
            f"/members/{member_id}/enrolments", json={"plan_id": "inpatient", "year": 2026}
        )
        assert enrolled.status_code == 201
        runtime = claims._transport.app.state.runtime  # type: ignore[attr-defined]

        async def enrolment_heard() -> bool:
            facts = await runtime.store.read_stream(f"member-{member_id}")
            return any(e.type == "union.claims.member.enrolment_noted.v1" for e in facts)

        await eventually(enrolment_heard, timeout=20)
        ready = (await claims.get("/readyz")).json()
        assert ready["checks"]["consumer_lag"] == {"claims-members": 0}
        members_ready = (await members.get("/readyz")).json()["checks"]["consumer_lag"]
        assert members_ready["members-claims"] == 0
        filed = await claims.post("/claims", json=claim(member_id))
        assert filed.json()["status"] == "approved", filed.text

        async def relayed() -> bool:  # claims' own events reached its stream, as claims
            return await runtime.relay.lag() == 0 and runtime.relay.last_error is None

        await eventually(relayed, timeout=10)
        admin, _ = await connect(secured_nats, "admin")
        try:
            claims_stream = await admin.jetstream().stream_info("CLAIMS")
        finally:
            await admin.close()
        assert claims_stream.state.messages > 0
