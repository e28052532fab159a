"""The members consumer decides on the federation's today (UNION_TIMEZONE), not the server's
UTC date: at 16:30 UTC on 1 December it is already 2 December in Beijing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import union_events.clock
from claims.app.handlers import Claims, load_rules, set_rules
from claims.consumers.members import members_consumer
from union_events.clock import clock_for
from union_events.db import write_transaction
from union_events.events import EventContext
from union_events.store import EventStore
from union_events.wire import IncomingEvent

from ..places import register_places
from .desk import CTX, DINGHAI, MEMBER, PLAN, POINT, file, invoice

BEIJING_2_DECEMBER = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)


def enrolled(member_id: str) -> IncomingEvent:
    return IncomingEvent(
        id="evt-enrolled-1",
        source="/union/members",
        type="union.members.member.enrolled.v1",
        subject=f"member-{member_id}",
        time=BEIJING_2_DECEMBER,
        data={
            "member_id": member_id,
            "plan_id": "inpatient",
            "year": 2026,
            "insuring_district": DINGHAI,
            "on": "2026-12-02",
        },
        context=EventContext(correlation_id="c-1"),
    )


async def test_a_waiting_claim_is_assessed_on_beijings_date_when_the_enrolment_arrives(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(union_events.clock, "utc_now", lambda: BEIJING_2_DECEMBER)
    store = await EventStore.open(f"sqlite+aiosqlite:///{tmp_path / 'claims.db'}")
    try:
        c = Claims(store, today=clock_for("Asia/Shanghai"))
        await register_places(store)
        await set_rules(c, PLAN, CTX)
        assert await load_rules(store, "inpatient", 2026)
        today = c.today()
        assert today == date(2026, 12, 2)  # the server's UTC date is still 1 December
        waiting = await file(
            c,
            invoice("800.00", on=date(2026, 12, 2)),
            admitted_on=date(2026, 11, 28),
            discharged_on=date(2026, 12, 2),  # today in Beijing: not in the future
            today=today,
            service_point=POINT,
        )
        assert waiting.status == "awaiting_eligibility"
        consumer = members_consumer({"claims": c})
        async with write_transaction(store.engine) as conn:
            await consumer.handler(conn, enrolled(MEMBER))
        history = await store.read_stream(f"claim-{waiting.claim_id}")
        assessed = next(e for e in history if e.type == "union.claims.claim.assessed.v1")
        assert assessed.data["on"] == "2026-12-02"
    finally:
        await store.close()
