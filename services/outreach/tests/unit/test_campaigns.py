"""Benefit campaigns: eligibility, period, stock, one item a member."""

from __future__ import annotations

from datetime import date
from functools import reduce

import pytest
from outreach.domain import campaigns
from outreach.domain.campaigns import Campaign, Recipient, evolve_campaign
from outreach.domain.events import CampaignOpened, ItemHandedOut
from outreach.domain.points import Point
from union_events.errors import DomainError

DAY = date(2026, 7, 15)
P = "zhoushan/putuo/pier-station"
AT = Point(P, "zhoushan/putuo", "station", date(2026, 1, 1), True)
OPENED = CampaignOpened(
    "cool-2026", "夏送清凉", "cooling_supplies", 2, ("outdoor_worker",), ("zhoushan/dinghai",),
    date(2026, 7, 1), date(2026, 8, 31),
)  # fmt: skip
WORKER = Recipient("m1", "outdoor_worker", "zhoushan/dinghai")


def campaign(*events) -> Campaign:
    return reduce(evolve_campaign, events, Campaign())


def handed(member_id: str) -> ItemHandedOut:
    return ItemHandedOut("cool-2026", member_id, P, "zhoushan/putuo", DAY)


def test_an_eligible_member_gets_one_item_at_a_point_of_any_district():
    item, served = campaigns.decide_hand_out(
        campaign(OPENED), recipient=WORKER, point=AT, today=DAY
    )
    assert item == handed("m1") and served.point == P
    assert campaign(OPENED, item).remaining == 1


@pytest.mark.parametrize(
    ("given", "recipient", "at", "today", "code"),
    [
        ([OPENED, handed("m1")], WORKER, AT, DAY, "already_received"),
        ([OPENED, handed("m2"), handed("m3")], WORKER, AT, DAY, "out_of_stock"),
        ([OPENED], Recipient("m1", "office_worker", "zhoushan/dinghai"), AT, DAY, "not_eligible"),
        ([OPENED], Recipient("m1", "outdoor_worker", "zhoushan/putuo"), AT, DAY, "not_eligible"),
        ([OPENED], WORKER, AT, date(2026, 9, 1), "campaign_not_running"),
        ([OPENED], WORKER, Point(P), DAY, "point_not_found"),
        ([OPENED], WORKER, Point(P, "zhoushan/putuo", "station", DAY, False), DAY, "point_closed"),
        ([], WORKER, AT, DAY, "campaign_not_found"),
    ],
)
def test_a_hand_out_refuses(given, recipient, at, today, code):
    with pytest.raises(DomainError) as refused:
        campaigns.decide_hand_out(campaign(*given), recipient=recipient, point=at, today=today)
    assert refused.value.code == code


def test_refusals_have_fitting_statuses():
    cases = {
        "already_received": ([OPENED, handed("m1")], WORKER, 409),
        "not_eligible": ([OPENED], Recipient("m1", "office_worker", "zhoushan/dinghai"), 403),
    }
    for given, recipient, status in cases.values():
        with pytest.raises(DomainError) as refused:
            campaigns.decide_hand_out(campaign(*given), recipient=recipient, point=AT, today=DAY)
        assert refused.value.status == status


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"stock": 0}, "invalid_stock"),
        ({"kind": "cash"}, "invalid_campaign_kind"),
        ({"ends_on": date(2026, 6, 1)}, "invalid_period"),
        ({"districts": ["Dinghai"]}, "invalid_org_path"),
    ],
)
def test_opening_a_campaign_refuses(changes, code):
    command = {
        "campaign_id": "c", "name": "x", "kind": "gym_voucher", "stock": 10, "categories": [],
        "districts": [], "starts_on": date(2026, 7, 1), "ends_on": date(2026, 7, 31),
    } | changes  # fmt: skip
    with pytest.raises(DomainError) as refused:
        campaigns.decide_open(Campaign(), **command)
    assert refused.value.code == code
