"""The annual cap on a real store: a reservation is released at most once, usage is never
negative and the cap still binds; a claim the cap leaves nothing for is rejected, not paid 0.00."""

from __future__ import annotations

from decimal import Decimal

import pytest
from claims.app import facts
from union_events.errors import DomainError
from union_events.events import NewEvent

from .desk import approve, desk, file, invoice, pay, reject, released_for, return_, used

D = Decimal


async def test_a_claim_returned_then_rejected_gives_its_benefit_back_once(tmp_path) -> None:
    async with desk(tmp_path) as c:
        claim = await file(c, invoice("1000.00"))
        assert (claim.status, claim.benefit, await used(c)) == ("approved", D("1000.00"), 1000)
        await return_(c, claim.claim_id)
        rejected = await reject(c, claim.claim_id, "invalid_document")
        assert rejected.status == "rejected"
        assert await released_for(c, claim.claim_id) == [D("1000.00")]  # once, not twice
        assert await used(c) == 0  # was −1,000.00
        later = await file(c, invoice("1200.00"))  # was 422 invalid_amount "-1000.00"
        assert (later.status, later.benefit) == ("approved", D("1200.00"))
        capped = await file(c, invoice("600.00"))
        assert (capped.status, capped.benefit) == ("approved", D("300.00"))  # the cap binds
        assert await used(c) == D("1500.00")


async def test_a_rejected_claim_rejected_again_or_returned_gives_nothing_more_back(tmp_path):
    async with desk(tmp_path) as c:
        claim = await file(c, invoice("900.00"))
        other = await file(c, invoice("400.00"))
        await reject(c, claim.claim_id)
        for again in (reject, return_):
            with pytest.raises(DomainError) as refused:
                await again(c, claim.claim_id)
            assert (refused.value.status, refused.value.code) == (409, "already_rejected")
        assert await released_for(c, claim.claim_id) == [D("900.00")]
        assert await used(c) == other.benefit == D("400.00")


async def test_a_log_that_released_a_claim_twice_still_reads_as_no_usage(tmp_path) -> None:
    """Logs written before the fix hold a second release: the fold never goes below zero."""
    async with desk(tmp_path) as c:
        claim = await file(c, invoice("1000.00"))
        await return_(c, claim.claim_id)
        stream = facts.usage_stream(claim.member_id or "", "inpatient", 2026)
        data = {"claim_id": claim.claim_id, "amount": "1000.00"}
        await c.store.append(stream, None, [NewEvent(facts.BENEFIT_RELEASED, data)])
        assert await used(c) == 0
        assert (await file(c, invoice("1500.00"))).benefit == D("1500.00")
        assert (await file(c, invoice("10.00"))).status == "rejected"  # over the cap now


async def test_a_claim_the_annual_cap_leaves_nothing_for_is_rejected_over_cap(tmp_path) -> None:
    async with desk(tmp_path) as c:
        first = await file(c, invoice("1500.00"))
        await pay(c, first.claim_id)
        capped = await file(c, invoice("800.00"))
        assert (capped.status, capped.rejection_code) == ("rejected", "over_cap")
        assert "annual cap of 1500.00" in (capped.rejection_reason or "")
        assert "1500.00 used" in (capped.rejection_reason or "")
        assert capped.benefit is None and await used(c) == D("1500.00")
        paid = [e for e in await c.store.read_all() if e.type == "union.claims.claim.paid.v1"]
        assert [e.data["amount"] for e in paid] == ["1500.00"]  # nothing paid 0.00 to settle


async def test_an_officer_cannot_approve_nor_a_desk_pay_a_claim_rejected_over_cap(tmp_path):
    async with desk(tmp_path) as c:
        await file(c, invoice("1500.00"))
        capped = await file(c, invoice("800.00"))
        for step, code in ((approve, "not_awaiting_approval"), (pay, "not_approved")):
            with pytest.raises(DomainError) as refused:
                await step(c, capped.claim_id)
            assert (refused.value.status, refused.value.code) == (409, code)
