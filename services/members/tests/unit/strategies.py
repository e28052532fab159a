"""Hypothesis strategies for the members events (any well-typed value, not only valid ones)."""

from __future__ import annotations

from hypothesis import strategies as st
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

text = st.text(max_size=12)
days = st.dates()
counts = st.integers(min_value=-(10**6), max_value=10**6)
paths = st.sampled_from(["z", "z/d", "z/p", "z/d/u1", "z/d/u2", "z/p/u3"])

member_events = st.one_of(
    st.builds(MemberRegistered, text, text, paths, paths, text, days, text),
    st.builds(MemberTransferred, paths, paths, paths, paths, days),
    st.builds(MemberLeft, paths, days, text),
    st.builds(MemberRejoined, paths, paths, days),
    st.builds(MemberEnrolled, text, counts, paths, days),
    st.builds(PersonalDataErased, days),
)
org_events = st.builds(OrgRegistered, paths, text, text, st.none() | paths)
campaign_events = st.one_of(
    st.builds(CampaignOpened, text, paths, text, counts, counts, counts, days),
    st.builds(SignUpsRecorded, days, st.lists(text, max_size=5).map(tuple), counts),
)
any_event = st.one_of(
    member_events,
    org_events,
    campaign_events,
    st.builds(IdentityClaimed, text),
    st.builds(IdentityReleased, text),
    st.builds(CardIssued, text),
)
