"""Rejection, return and the annual cap at the counter, on the in-memory store: what a claim
holds of the annual cap (12,000.00 a year here) is given back once when it is closed, however
it is closed; the cap binds across the member's claims, filed one after another or at once."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from claims.app import filing
from union_events.errors import Conflict, DomainError

from .counter import (
    ADMITTED,
    CLERK,
    CTX,
    DISCHARGED,
    TODAY,
    approve,
    claim,
    counter,
    file,
    invoice,
    pay,
    reject,
    return_,
)

D = Decimal


async def test_the_annual_cap_binds_across_claims() -> None:
    async with counter() as m:
        first = await file(m, invoice("15000.00"))  # 8,000.00: the per-claim cap
        second = await file(m, invoice("15000.00"))
        assert (second.benefit, second.capped_by) == (D("4000.00"), "annual")
        assert second.assessment is not None and second.assessment.used_before == D("8000.00")
        third = await file(m, invoice("1000.00"))
        assert (third.status, third.rejection_code, third.benefit) == ("rejected", "over_cap", None)
        assert "annual cap of 12000.00" in (third.rejection_reason or "")
        for done in (first, second):
            await approve(m, done.claim_id or "")
            await pay(m, done.claim_id or "")


async def test_claims_filed_at_the_same_moment_never_pass_the_annual_cap() -> None:
    async with counter() as m:
        filed = await asyncio.gather(*[file(m, invoice("15000.00")) for _ in range(5)])
        benefits = sorted((c.benefit for c in filed if c.benefit is not None), reverse=True)
        assert benefits == [D("8000.00"), D("4000.00")]
        assert sorted(c.rejection_code or "" for c in filed) == [
            "",
            "",
            "over_cap",
            "over_cap",
            "over_cap",
        ]


async def test_a_rejected_claim_gives_back_what_it_held_of_the_annual_cap() -> None:
    async with counter() as m:
        held = await file(m, invoice("15000.00"))
        rejected = await reject(m, held.claim_id or "", "invalid_document")
        assert (rejected.status, rejected.rejection_code) == ("rejected", "invalid_document")
        again = await file(m, invoice("15000.00"))
        assert again.assessment is not None and again.assessment.used_before == D("0.00")
        assert again.benefit == D("8000.00")


async def test_a_claim_returned_then_rejected_gives_back_once_and_the_cap_still_binds() -> None:
    async with counter() as m:
        held = await file(m, invoice("15000.00"))
        returned = await return_(m, held.claim_id or "")
        assert (returned.status, returned.returned_reason) == ("returned", "缺分割单")
        assert (await reject(m, held.claim_id or "")).status == "rejected"
        later = [await file(m, invoice("15000.00")) for _ in range(3)]
        # Closed twice, given back once: the year's next claims start from nothing used, and
        # the cap still binds them.
        assert [c.benefit for c in later] == [D("8000.00"), D("4000.00"), None]
        assert [c.assessment.used_before for c in later[:2] if c.assessment] == [
            D("0.00"),
            D("8000.00"),
        ]
        assert later[2].rejection_code == "over_cap"


async def test_a_closed_claim_is_not_closed_again_nor_paid() -> None:
    async with counter() as m:
        rejected = await file(m, invoice("1000.00"))
        await reject(m, rejected.claim_id or "")
        for step, code in ((reject, "already_rejected"), (return_, "already_rejected")):
            with pytest.raises(Conflict) as refused:
                await step(m, rejected.claim_id or "")
            assert (refused.value.status, refused.value.code) == (409, code)
        with pytest.raises(Conflict) as refused:
            await pay(m, rejected.claim_id or "")
        assert refused.value.code == "not_approved"


async def test_a_paid_claim_is_neither_rejected_nor_returned() -> None:
    async with counter() as m:
        paid = await file(m, invoice("1000.00"))
        await pay(m, paid.claim_id or "")
        for step in (reject, return_):
            with pytest.raises(Conflict) as refused:
                await step(m, paid.claim_id or "")
            assert refused.value.code == "already_paid"
        assert (await claim(m, paid.claim_id or "")).status == "paid"
        # what it was paid still counts against the cap
        assert (await file(m, invoice("15000.00"))).assessment.used_before == D("327.50")


async def test_a_rejection_names_a_known_code_and_a_reason() -> None:
    async with counter() as m:
        held = await file(m, invoice("1000.00"))
        with pytest.raises(DomainError) as refused:
            await reject(m, held.claim_id or "", "because")
        assert refused.value.code == "unknown_rejection_code"
        assert (await claim(m, held.claim_id or "")).status == "approved"


async def test_a_returned_claim_is_resubmitted_under_its_id_and_assessed_again() -> None:
    async with counter() as m:
        receipt = invoice("15000.00")
        held = await file(m, receipt)
        await return_(m, held.claim_id or "")
        corrected = await filing.resubmit_claim(
            m.claims,
            held.claim_id or "",
            service_point=None,
            admitted_on=ADMITTED,
            discharged_on=DISCHARGED,
            invoices=(receipt, invoice("1000.00")),  # its own invoice does not block it
            documents=("settlement_statement", "split_certificate"),
            major_disease=None,
            today=TODAY,
            ctx=CTX,
            actor=CLERK,
        )
        assert (corrected.claim_id, corrected.status, corrected.benefit) == (
            held.claim_id,
            "assessed",
            D("8000.00"),
        )
        assert corrected.assessment is not None and corrected.assessment.used_before == D("0.00")
        assert (await file(m, invoice("15000.00"))).benefit == D("4000.00")  # one reservation
