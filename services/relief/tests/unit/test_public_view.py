"""What other services see of the relief log: ids, org paths, amounts; never the household."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from relief.domain import codec
from relief.domain.events import (
    ApplicationDrafted,
    CardIssued,
    FileOpened,
    GrantDisbursed,
    MajorIllnessFlagged,
    MemberNoted,
    RecipientSet,
    SubsidyPaid,
)
from relief.public import public_view
from union_events.published.relief import registry

ON = date(2026, 11, 23)
D = Decimal


def shown(stream_id, event):
    return public_view(stream_id, *codec.encode(event))


def test_a_drafted_application_is_published_as_the_fixed_contract():
    event = ApplicationDrafted(
        "a1", None, "zhoushan/dinghai", "living_assistance", "i1", "intake", ON
    )
    event_type, data = shown("application-a1", event)
    assert event_type == "union.relief.application.drafted.v1"
    assert registry.parse(event_type, data).model_dump() == {
        "application_id": "a1",
        "intake_id": "i1",
        "member_id": None,
        "district": "zhoushan/dinghai",
        "kind": "living_assistance",
        "on": ON,
    }


def test_published_payloads_parse_and_carry_no_household():
    cases = [
        ("file-f1", CardIssued("f1-1", D("300.00"), D("770.00"), D("1.3"), ON)),
        ("application-a1", GrantDisbursed(D("7700.00"), 2026, ON)),
        (
            "subsidy-f1-1-2026-11",
            SubsidyPaid("f1-1", "f1", "m1", "zhoushan/dinghai", "2026-11", D("300.00"), ON),
        ),
        ("illness-2b1c-9f-2026", MajorIllnessFlagged("a9", D("50000.01"), D("50000.00"))),
    ]
    for stream_id, event in cases:
        event_type, data = shown(stream_id, event)
        payload = registry.parse(event_type, data)
        assert "per_head" not in data and "household_sealed" not in data
        assert payload is not None
    _, case = shown("illness-2b1c-9f-2026", cases[-1][1])
    assert (case["member_id"], case["year"]) == ("2b1c-9f", 2026)


def test_files_stay_private():
    opened = FileOpened(
        "f1", "m1", "zhoushan/dinghai", "deep", 2, D("100.00"), "SEALED", "zhoushan/dinghai", ON, ON
    )
    assert shown("file-f1", opened) is None


def test_a_draft_s_recipient_is_published_with_ids_only():
    event_type, data = shown("application-a1", RecipientSet("m1", ON))
    assert event_type == "union.relief.application.recipient_set.v1"
    assert registry.parse(event_type, data).model_dump() == {
        "application_id": "a1",
        "member_id": "m1",
        "on": ON,
    }


def test_what_relief_knows_of_members_stays_private():
    assert shown("member-m1", MemberNoted("m1", "active", "zhoushan/dinghai", ON)) is None
