"""Approval and payment at the counter, on the in-memory store: an officer approves a benefit at
or above the threshold; a claim is paid once, whichever service points try at the same moment,
and where the pooling in force allows (city pooling from 1 May in these rules)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from claims.domain.rules import PoolingPeriod
from union_events.errors import Conflict, DomainError, Forbidden

from .counter import (
    DINGHAI,
    DINGHAI_POINT,
    OFFICER,
    PUTUO,
    PUTUO_POINT,
    RULES,
    TODAY,
    approve,
    claim,
    counter,
    file,
    invoice,
    paid_events,
    pay,
)

D = Decimal


async def test_a_benefit_at_the_threshold_waits_for_an_officer_then_is_paid() -> None:
    async with counter() as m:
        assessed = await file(m, invoice("6000.00"))
        assert (assessed.status, assessed.needs_approval) == ("assessed", True)
        with pytest.raises(Conflict) as refused:
            await pay(m, assessed.claim_id or "")
        assert refused.value.code == "not_approved"
        approved = await approve(m, assessed.claim_id or "")
        assert (approved.status, approved.approved_by) == ("approved", "officer-wang")
        assert (approved.approved_by_actor, approved.approved_on) == (OFFICER, TODAY)
        paid = await pay(m, assessed.claim_id or "")
        assert (paid.status, paid.paid_amount, paid.paid_at) == (
            "paid",
            D("3602.50"),
            DINGHAI_POINT,
        )


async def test_a_claim_approved_already_is_not_approved_again() -> None:
    async with counter() as m:
        automatic = await file(m, invoice("1000.00"))
        assert (automatic.approved_by, automatic.approved_automatically) == ("auto", True)
        with pytest.raises(Conflict) as refused:
            await approve(m, automatic.claim_id or "")
        assert (refused.value.status, refused.value.code) == (409, "not_awaiting_approval")


async def test_a_claim_is_paid_once_and_a_second_payment_is_refused() -> None:
    async with counter() as m:
        approved = await file(m, invoice("1000.00"))
        paid = await pay(m, approved.claim_id or "")
        assert (paid.status, paid.paid_amount, paid.paying_district) == (
            "paid",
            D("327.50"),
            DINGHAI,
        )
        with pytest.raises(Conflict) as refused:
            await pay(m, approved.claim_id or "", PUTUO_POINT)
        assert (refused.value.status, refused.value.code) == (409, "already_paid")
        assert refused.value.details["paid_at"] == DINGHAI_POINT
        assert [e.data["amount"] for e in await paid_events(m)] == ["327.50"]


async def test_two_service_points_paying_at_the_same_moment_pay_once() -> None:
    async with counter() as m:
        approved = await file(m, invoice("1000.00"))
        tries = [pay(m, approved.claim_id or "", p) for p in (DINGHAI_POINT, PUTUO_POINT) * 3]
        outcomes = await asyncio.gather(*tries, return_exceptions=True)
        assert sum(not isinstance(o, BaseException) for o in outcomes) == 1
        refused = [o for o in outcomes if isinstance(o, BaseException)]
        assert {getattr(o, "code", None) for o in refused} == {"already_paid"}
        (paid,) = await paid_events(m)
        state = await claim(m, approved.claim_id or "")
        assert (state.status, paid.data["service_point"]) == ("paid", state.paid_at)


async def test_a_payment_records_the_paying_and_the_insuring_district() -> None:
    async with counter() as m:  # city pooling on the day: Putuo pays a claim insured in Dinghai
        approved = await file(m, invoice("1000.00"))
        paid = await pay(m, approved.claim_id or "", PUTUO_POINT)
        assert (paid.paying_district, paid.insuring_district) == (PUTUO, DINGHAI)
        (event,) = await paid_events(m)
        assert (event.data["paying_district"], event.data["insuring_district"]) == (PUTUO, DINGHAI)


async def test_under_district_pooling_only_the_insuring_district_pays() -> None:
    district_only = replace(RULES, pooling=(PoolingPeriod("district", date(2026, 1, 1)),))
    async with counter(district_only) as m:
        approved = await file(m, invoice("1000.00"))
        with pytest.raises(Forbidden) as refused:
            await pay(m, approved.claim_id or "", PUTUO_POINT)
        assert (refused.value.status, refused.value.code) == (403, "pooling_forbids")
        assert await paid_events(m) == []
        assert (await pay(m, approved.claim_id or "", DINGHAI_POINT)).status == "paid"


async def test_a_claim_is_paid_only_at_a_registered_service_point() -> None:
    async with counter() as m:
        approved = await file(m, invoice("1000.00"))
        with pytest.raises(DomainError) as refused:
            await pay(m, approved.claim_id or "", f"{DINGHAI}/shipyard")
        assert refused.value.code == "not_a_service_point"
        assert await paid_events(m) == []
