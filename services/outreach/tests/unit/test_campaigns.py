"""Benefit campaigns: eligibility, period, stock, one item a member — a member outreach knows."""

from __future__ import annotations

from datetime import date
from functools import reduce

import pytest
from outreach.domain import campaigns
from outreach.domain.campaigns import Campaign, Recipient, evolve_campaign
from outreach.domain.events import CampaignOpened, ItemHandedOut
from outreach.domain.members import KnownMember
from outreach.domain.points import Point
from union_events.errors import DomainError

DAY = date(2026, 7, 15)
P = "zhoushan/putuo/pier-station"
AT = Point(P, "zhoushan/putuo", "station", date(2026, 1, 1), True)
OPENED = CampaignOpened(
    "cool-2026", "夏送清凉", "cooling_supplies", 2, ("outdoor_worker",), ("zhoushan/dinghai",),
    date(2026, 7, 1), date(2026, 8, 31),
)  # fmt: skip
M1, M2, M3 = (f"{n}b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90" for n in (1, 2, 3))
WORKER = Recipient(M1, "outdoor_worker")
OFFICE = Recipient(M1, "office_worker")
KNOWN = KnownMember(M1, "zhoushan/dinghai")  # heard from members: a member of dinghai


def campaign(*events) -> Campaign:
    return reduce(evolve_campaign, events, Campaign())


def handed(member_id: str) -> ItemHandedOut:
    return ItemHandedOut("cool-2026", member_id, P, "zhoushan/putuo", DAY)


def test_an_eligible_member_gets_one_item_at_a_point_of_any_district():
    item, served = campaigns.decide_hand_out(
        campaign(OPENED), recipient=WORKER, member=KNOWN, point=AT, today=DAY
    )
    assert item == handed(M1) and served.point == P
    assert campaign(OPENED, item).remaining == 1


@pytest.mark.parametrize(
    ("given", "recipient", "member", "at", "today", "code"),
    [
        ([OPENED, handed(M1)], WORKER, KNOWN, AT, DAY, "already_received"),
        ([OPENED, handed(M2), handed(M3)], WORKER, KNOWN, AT, DAY, "out_of_stock"),
        ([OPENED], OFFICE, KNOWN, AT, DAY, "not_eligible"),
        ([OPENED], WORKER, KnownMember(M1, "zhoushan/putuo"), AT, DAY, "not_eligible"),
        ([OPENED], WORKER, KnownMember(), AT, DAY, "unknown_member"),
        (
            [OPENED],
            Recipient(M1, "outdoor_worker", "zhoushan/dinghai"),  # as the clerk says
            KnownMember(M1, "zhoushan/putuo"),  # as members says
            AT,
            DAY,
            "member_district_mismatch",
        ),
        ([OPENED], WORKER, KNOWN, AT, date(2026, 9, 1), "campaign_not_running"),
        ([OPENED], WORKER, KNOWN, Point(P), DAY, "point_not_found"),
        ([OPENED], WORKER, KNOWN, Point(P, "zhoushan/putuo", "station", DAY, False), DAY,
         "point_closed"),
        ([], WORKER, KNOWN, AT, DAY, "campaign_not_found"),
    ],
)  # fmt: skip
def test_a_hand_out_refuses(given, recipient, member, at, today, code):
    with pytest.raises(DomainError) as refused:
        campaigns.decide_hand_out(
            campaign(*given), recipient=recipient, member=member, point=at, today=today
        )
    assert refused.value.code == code


def test_refusals_have_fitting_statuses():
    cases = {
        "already_received": ([OPENED, handed(M1)], WORKER, KNOWN, 409),
        "not_eligible": ([OPENED], OFFICE, KNOWN, 403),
        "unknown_member": ([OPENED], WORKER, KnownMember(), 422),
    }
    for given, recipient, member, status in cases.values():
        with pytest.raises(DomainError) as refused:
            campaigns.decide_hand_out(
                campaign(*given), recipient=recipient, member=member, point=AT, today=DAY
            )
        assert refused.value.status == status


def test_a_member_nobody_registered_takes_no_stock():
    # issue 18 #8: `nobody-123` took an item; an id outreach has not heard of takes none
    with pytest.raises(DomainError) as refused:
        campaigns.decide_hand_out(
            campaign(OPENED),
            recipient=Recipient("nobody-123", "outdoor_worker"),
            member=KnownMember(),
            point=AT,
            today=DAY,
        )
    assert refused.value.code == "unknown_member" and "nobody-123" in refused.value.message


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
