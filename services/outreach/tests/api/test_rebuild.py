"""Every read model of outreach is rebuilt from the log equal to the live one."""

from __future__ import annotations

from outreach.projections.views import OutreachView
from sqlalchemy import select
from union_events.projections import rebuild
from union_events.testing.waiting import eventually

from .conftest import DISTRICT, STATION, held_session, register_points


async def test_a_rebuilt_outreach_view_equals_the_live_one(api):
    await register_points(api)
    session_id = await held_session(api)
    await api.post(f"/sessions/{session_id}/check-ins", json={"anonymous": 12})
    body = {"kind": "hardship", "channel": "station", "place": STATION, "member_id": "m1"}
    intake_id = (await api.post("/intakes", json=body)).json()["intake_id"]
    await api.post(
        f"/intakes/{intake_id}/close", json={"outcome": "relief_granted", "amount": "300"}
    )
    store = api._transport.app.state.runtime.store
    view = OutreachView()

    async def snapshot():
        async with store.engine.connect() as conn:
            return {t.name: sorted(map(tuple, await conn.execute(select(t)))) for t in view.tables}

    async def settled():
        tables = await snapshot()
        return (
            tables if tables["intakes_view"] and tables["intakes_view"][0][5] == "closed" else None
        )

    live = await eventually(settled, message="views caught up")
    assert len(live["sessions_view"]) == 1 and len(live["points_view"]) == 2
    await rebuild(store, view)
    assert await snapshot() == live
    assert DISTRICT in live["points_view"][0]
