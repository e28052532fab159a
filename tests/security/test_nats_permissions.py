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
from nats.errors import TimeoutError as NatsTimeout
from outreach.bootstrap import definition as outreach_definition
from relief.bootstrap import definition as relief_definition
from union_events.embedded import NatsServer, credentials
from union_events.embedded.nats_auth import PLATFORM, Consumes
from union_events.settings import ServiceSettings
from union_events.testing.http import service_client
from union_events.testing.plans import claim, plan_rules
from union_events.testing.seeding import (
    city_orgs,
    claims_heard_enrolment,
    enrol,
    plan_year_set,
    registered_member,
    seeded_city,
)
from union_events.testing.waiting import eventually

MEMBER_REGISTERED = "union.members.member.registered.v1"
BORN = date(1980, 2, 2)
RULES = plan_rules(annual_cap="50000.00")


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
        await seeded_city(members, claims, city_orgs("dinghai"))
        member_id = await registered_member(members, 7, "zhoushan/dinghai/u1", born=BORN)
        await plan_year_set(claims, members, RULES)  # members consumes CLAIMS as its own user
        await enrol(members, member_id)
        await claims_heard_enrolment(claims, member_id)
        runtime = claims._transport.app.state.runtime  # type: ignore[attr-defined]
        ready = (await claims.get("/readyz")).json()
        assert ready["checks"]["consumer_lag"] == {"claims-members": 0}
        members_ready = (await members.get("/readyz")).json()["checks"]["consumer_lag"]
        assert members_ready["members-claims"] == 0
        body = claim(member_id, "zhoushan/dinghai/center", "INV-1", "2000.00")
        filed = await claims.post("/claims", json=body)
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
