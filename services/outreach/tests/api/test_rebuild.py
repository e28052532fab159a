"""Every read model of outreach is rebuilt from the log equal to the live one."""

from __future__ import annotations

from outreach.projections.lists import CampaignsView, IntakeListView
from outreach.projections.views import OutreachView
from sqlalchemy import select
from union_events.projections import rebuild
from union_events.testing.waiting import eventually

from .conftest import DISTRICT, STATION, held_session, known_member, register_points


async def test_a_rebuilt_outreach_view_equals_the_live_one(api):
    await register_points(api)
    session_id = await held_session(api)
    member = await known_member(api)
    for check_in in ({"anonymous": 12}, {"card_no": "6200000000000001"}, {"member_id": member}):
        assert (await api.post(f"/sessions/{session_id}/check-ins", json=check_in)).is_success
    body = {"kind": "hardship", "channel": "station", "place": STATION, "member_id": member}
    intake_id = (await api.post("/intakes", json=body)).json()["intake_id"]
    await api.post(
        f"/intakes/{intake_id}/close", json={"outcome": "relief_granted", "amount": "300"}
    )
    campaign = {
        "campaign_id": "gym",
        "name": "健身卡",
        "kind": "gym_voucher",
        "stock": 5,
        "starts_on": "2026-10-01",
        "ends_on": "2026-10-31",
        "districts": [DISTRICT],
    }
    assert (await api.post("/campaigns", json=campaign)).status_code == 201
    hand_out = {"member_id": member, "point": STATION, "member_category": "any"}
    assert (await api.post("/campaigns/gym/hand-outs", json=hand_out)).status_code == 201
    store = api._transport.app.state.runtime.store
    views = [OutreachView(), IntakeListView(), CampaignsView()]
    tables = [t for view in views for t in view.tables]

    async def snapshot():
        async with store.engine.connect() as conn:
            return {t.name: sorted(map(tuple, await conn.execute(select(t)))) for t in tables}

    async def settled():
        now = await snapshot()
        intakes, campaigns = now["intake_list_view"], now["campaigns_view"]
        caught_up = intakes and intakes[0][5] == "closed" and now["handouts_view"]
        return now if caught_up and campaigns and campaigns[0][5] == 1 else None

    live = await eventually(settled, message="views caught up")
    assert len(live["sessions_view"]) == 1 and len(live["points_view"]) == 2
    assert live["campaign_districts_view"] == [("gym", DISTRICT)]
    for view in views:
        await rebuild(store, view)
    assert await snapshot() == live
    assert DISTRICT in live["points_view"][0]
