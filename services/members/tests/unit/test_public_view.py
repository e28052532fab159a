"""What leaves the members service: published contracts only, no personal data."""

from __future__ import annotations

from datetime import date

import pytest
from members.domain import codec
from members.domain.events import (
    CampaignOpened,
    CardIssued,
    IdentityClaimed,
    IdentityReleased,
    MemberEnrolled,
    MemberLeft,
    MemberRegistered,
    MemberRejoined,
    MemberTransferred,
    OrgRegistered,
    PersonalDataErased,
    SignUpsRecorded,
)
from members.public import public_view
from union_events.published.members import registry

DAY = date(2026, 5, 1)
PUBLISHED = [
    ("org-zhoushan", OrgRegistered("zhoushan", "舟山市总工会", "city", None)),
    ("member-m1", MemberRegistered("m1", "6200000000000001", "zhoushan/dinghai/u1",
                                   "zhoushan/dinghai", "c2VhbGVk", DAY, "counter")),
    ("member-m1", MemberTransferred("zhoushan/dinghai/u1", "zhoushan/putuo/u1",
                                    "zhoushan/dinghai", "zhoushan/putuo", DAY)),
    ("member-m1", MemberLeft("zhoushan/putuo/u1", DAY, "moved to 宁波, personal reasons")),
    ("member-m1", MemberRejoined("zhoushan/dinghai/u1", "zhoushan/dinghai", DAY)),
    ("member-m1", MemberEnrolled("inpatient", 2026, "zhoushan/dinghai", DAY)),
    ("member-m1", PersonalDataErased(DAY)),
    ("campaign-riders", SignUpsRecorded(DAY, ("m1", "m2"), 1)),
]  # fmt: skip
PRIVATE = [
    ("identity-abc", IdentityClaimed("m1")),
    ("identity-abc", IdentityReleased("m1")),
    ("card-6200000000000001", CardIssued("m1")),
    ("campaign-riders",
     CampaignOpened("riders", "zhoushan/dinghai", "骑手", 100, 1000, 10000, DAY)),
]  # fmt: skip


@pytest.mark.parametrize(("stream_id", "event"), PUBLISHED)
def test_a_public_event_validates_against_its_published_contract(stream_id, event):
    event_type, data = codec.encode(event)
    shown = public_view(stream_id, event_type, data)
    assert shown is not None
    payload = registry.parse(*shown)
    if hasattr(payload, "member_id"):
        assert payload.member_id == "m1"
    text = str(shown)
    for secret in ("c2VhbGVk", "6200000000000001", "personal reasons"):
        assert secret not in text


@pytest.mark.parametrize(("stream_id", "event"), PRIVATE)
def test_identity_card_and_campaign_set_up_events_stay_private(stream_id, event):
    assert public_view(stream_id, *codec.encode(event)) is None


def test_every_member_and_org_event_type_has_a_public_form():
    covered = {codec.encode(e)[0] for _, e in PUBLISHED + PRIVATE}
    assert covered == set(codec.EVENT_TYPES.values())
