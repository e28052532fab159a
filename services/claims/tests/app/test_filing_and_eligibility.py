"""Filing at the counter, on the in-memory store: the deadline after discharge, an invoice
claimed once city-wide, and a claim of a member whose enrolment claims has not heard yet
waiting for it, then assessed on the counter's day when it arrives."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from union_events.errors import Conflict, DomainError

from .counter import (
    DINGHAI,
    TODAY,
    Counter,
    claim,
    counter,
    enrolment_heard,
    file,
    invoice,
)

D = Decimal


async def test_a_claim_filed_on_the_last_day_of_the_deadline_is_assessed() -> None:
    async with counter() as m:
        discharged = TODAY - timedelta(days=90)
        filed = await file(
            m,
            invoice("1000.00", on=discharged),
            admitted_on=discharged - timedelta(days=3),
            discharged_on=discharged,
        )
        assert (filed.status, filed.benefit, filed.filed_on) == ("approved", D("327.50"), TODAY)


async def test_a_claim_filed_past_the_deadline_is_recorded_and_rejected_with_the_reason() -> None:
    async with counter() as m:
        discharged = TODAY - timedelta(days=91)
        late = await file(
            m,
            invoice("1000.00", on=discharged),
            admitted_on=discharged - timedelta(days=3),
            discharged_on=discharged,
        )
        assert (late.status, late.rejection_code) == ("rejected", "past_deadline")
        assert "91 days after discharge; the plan allows 90" in (late.rejection_reason or "")
        assert late.benefit is None
        assert (await claim(m, late.claim_id or "")).status == "rejected"  # kept, for the reports


async def test_an_invoice_is_claimed_once_city_wide_however_its_number_is_written() -> None:
    async with counter() as m:
        first = await file(m, invoice("1000.00", "FP-2026 0001"))
        neighbour = Counter(m.claims, str(uuid.uuid4()))
        await enrolment_heard(neighbour)
        again = replace(invoice("1000.00", "ｆｐ20260001"), hospital="dh-01")
        with pytest.raises(Conflict) as refused:
            await file(neighbour, again)
        assert (refused.value.status, refused.value.code) == (409, "duplicate_invoice")
        assert refused.value.details["held_by"] == first.claim_id
        assert (await file(neighbour, invoice("1000.00", "FP-2026 0002"))).status == "approved"


async def test_a_claim_is_filed_only_at_a_service_point_members_registered() -> None:
    async with counter() as m:
        before = await m.store.head_position()
        for place, code in (
            (f"{DINGHAI}/shipyard", "not_a_service_point"),  # a unit
            (f"{DINGHAI}/nowhere", "unknown_service_point"),
        ):
            with pytest.raises(DomainError) as refused:
                await file(m, service_point=place)
            assert (refused.value.status, refused.value.code) == (422, code)
        assert await m.store.head_position() == before  # nothing filed, no invoice claimed


async def test_a_claim_waits_for_the_enrolment_then_is_assessed_when_it_is_heard() -> None:
    async with counter(enrolled=False) as m:
        waiting = await file(m, invoice("1000.00"))
        assert (waiting.status, waiting.benefit) == ("awaiting_eligibility", None)
        await enrolment_heard(m, year=2025)  # another plan year's: still waiting
        assert (await claim(m, waiting.claim_id or "")).status == "awaiting_eligibility"
        await enrolment_heard(m)
        assessed = await claim(m, waiting.claim_id or "")
        assert (assessed.status, assessed.benefit) == ("approved", D("327.50"))
        assert assessed.insuring_district == DINGHAI
        assert assessed.assessed_on == TODAY  # the counter's clock, not the machine's


async def test_claims_waiting_for_one_enrolment_share_the_annual_cap_when_it_arrives() -> None:
    async with counter(enrolled=False) as m:
        waiting = [await file(m, invoice("15000.00")) for _ in range(3)]
        await enrolment_heard(m)
        assessed = [await claim(m, w.claim_id or "") for w in waiting]
        assert [(a.status, a.benefit) for a in assessed] == [
            ("assessed", D("8000.00")),  # the per-claim cap; an officer approves it
            ("assessed", D("4000.00")),  # what the annual cap of 12,000.00 leaves
            ("rejected", None),
        ]
        assert assessed[2].rejection_code == "over_cap"


async def test_a_claim_names_a_plan_year_with_rules() -> None:
    async with counter() as m:
        with pytest.raises(DomainError) as refused:
            await file(
                m,
                invoice("1000.00", on=date(2025, 12, 30)),
                admitted_on=date(2025, 12, 20),
                discharged_on=date(2025, 12, 30),
            )
        assert refused.value.code == "unknown_plan_year"
