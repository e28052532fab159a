"""A claim returned for correction is resubmitted under its own id and checked again: its own
invoices do not block it, but still block other claims; invoices it drops are free again."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from claims.domain.events import Actor
from union_events.errors import DomainError

from .desk import (
    CLERK,
    DISCHARGED,
    OFFICER,
    PLAN,
    TODAY,
    desk,
    file,
    invoice,
    resubmit,
    return_,
    used,
)

D = Decimal


async def test_a_returned_claim_is_resubmitted_with_its_own_invoices_and_assessed_again(tmp_path):
    async with desk(tmp_path) as c:
        receipt = invoice("1000.00", "DH-001")
        claim = await file(c, receipt)
        returned = await return_(c, claim.claim_id, "缺分割单")
        assert (returned.status, returned.returned_reason) == ("returned", "缺分割单")
        assert returned.returned_by == OFFICER and await used(c) == 0
        split = invoice("200.00", "DH-002")
        again = await resubmit(c, claim.claim_id, replace(receipt, amount=D("800.00")), split)
        assert (again.claim_id, again.status, again.benefit) == (
            claim.claim_id,
            "approved",
            D("1000.00"),
        )
        assert (again.filed_on, again.resubmitted_on) == (TODAY, TODAY + timedelta(days=3))
        assert again.documents == ("settlement_statement", "split_certificate")
        assert [(s.what, s.by, s.reason) for s in again.timeline] == [
            ("filed", CLERK, None),
            ("assessed", None, None),
            ("approved", None, None),
            ("returned", OFFICER, "缺分割单"),
            ("resubmitted", CLERK, None),
            ("assessed", None, None),
            ("approved", None, None),
        ]
        assert await used(c) == D("1000.00")


async def test_a_returned_claims_invoices_still_block_other_claims(tmp_path) -> None:
    async with desk(tmp_path) as c:
        receipt = invoice("1000.00", "DH-010")
        claim = await file(c, receipt)
        await return_(c, claim.claim_id)
        with pytest.raises(DomainError) as refused:
            await file(c, receipt)  # filed again as a new claim: the returned one holds it
        assert (refused.value.status, refused.value.code) == (409, "duplicate_invoice")
        assert refused.value.details["held_by"] == claim.claim_id
        await resubmit(c, claim.claim_id, receipt)
        with pytest.raises(DomainError) as still:
            await file(c, receipt)
        assert still.value.code == "duplicate_invoice"


async def test_an_invoice_a_resubmission_drops_is_free_for_the_claim_it_belongs_to(tmp_path):
    async with desk(tmp_path) as c:
        wrong = invoice("600.00", "PT-777")  # another patient's invoice, filed by mistake
        claim = await file(c, wrong)
        await return_(c, claim.claim_id, "发票不是本人的")
        await resubmit(c, claim.claim_id, invoice("500.00", "DH-020"))
        theirs = await file(c, wrong)
        assert theirs.status == "approved"


async def test_a_resubmission_with_an_invoice_another_claim_holds_is_refused(tmp_path) -> None:
    async with desk(tmp_path) as c:
        held = invoice("300.00", "DH-030")
        other = await file(c, held)
        claim = await file(c, invoice("400.00"))
        await return_(c, claim.claim_id)
        with pytest.raises(DomainError) as refused:
            await resubmit(c, claim.claim_id, held)
        assert (refused.value.status, refused.value.code) == (409, "duplicate_invoice")
        assert refused.value.details["held_by"] == other.claim_id
        assert "DH-030" in refused.value.message


async def test_only_a_returned_claim_is_resubmitted(tmp_path) -> None:
    async with desk(tmp_path) as c:
        claim = await file(c, invoice("400.00"))
        with pytest.raises(DomainError) as refused:
            await resubmit(c, claim.claim_id, invoice("400.00"))
        assert (refused.value.status, refused.value.code) == (409, "not_returned")
        with pytest.raises(DomainError) as unknown:
            await resubmit(c, "no-such-claim", invoice("400.00"))
        assert (unknown.value.status, unknown.value.code) == (404, "claim_not_found")


async def test_a_resubmission_is_held_to_the_deadline_again(tmp_path) -> None:
    async with desk(tmp_path, replace(PLAN, deadline_days=10)) as c:
        claim = await file(c, invoice("400.00"))
        await return_(c, claim.claim_id)
        late = DISCHARGED + timedelta(days=11)
        again = await resubmit(c, claim.claim_id, invoice("400.00", on=DISCHARGED), today=late)
        assert (again.status, again.rejection_code) == ("rejected", "past_deadline")
        assert await used(c) == 0


async def test_a_resubmission_may_move_the_stay_and_is_checked_for_its_plan_year(tmp_path):
    async with desk(tmp_path) as c:
        claim = await file(c, invoice("400.00"))
        await return_(c, claim.claim_id)
        with pytest.raises(DomainError) as refused:  # no rules for 2025: admission decides
            await resubmit(
                c,
                claim.claim_id,
                invoice("400.00"),
                admitted_on=DISCHARGED.replace(year=2025),
            )
        assert refused.value.code == "unknown_plan_year"
        someone = Actor("clerk-zhao", "clerk")
        again = await resubmit(c, claim.claim_id, invoice("400.00"), actor=someone)
        assert again.status == "approved" and again.timeline[-3].by == someone
