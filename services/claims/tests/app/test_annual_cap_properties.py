"""Whatever a desk does to one member's claims of one plan year — file, return, resubmit,
reject, approve, pay, in any order — on a real SQLite store: the usage of the annual cap is
never negative nor above the cap, and equals what the open claims were assessed; no claim is
approved or paid 0.00; what is paid stays within the annual cap."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from claims.app.handlers import claim_stream
from claims.domain.rules import Tier
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from union_events.errors import DomainError

from .desk import PLAN, approve, desk, file, invoice, pay, reject, resubmit, return_, used

# A deductible, a ratio and caps that bite often; some benefits need an officer.
RULES = replace(
    PLAN,
    deductible=Decimal("100.00"),
    tiers=(Tier(None, Decimal("0.8")),),
    per_claim_cap=Decimal("1000.00"),
    annual_cap=Decimal("1500.00"),
    auto_approve_below=Decimal("600.00"),
)
HOLDING = ("assessed", "approved", "paid")  # statuses in which a claim holds its benefit
yuan = st.integers(min_value=1, max_value=2_500).map(lambda n: Decimal(n).quantize(Decimal("0.01")))
ACTIONS = ["file", "file", "return", "reject", "resubmit", "approve", "pay", "pay"]
steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        yuan,  # the amount of the invoice filed or resubmitted
        st.integers(0, 2),  # which claim: the latest, the one before, ...
        st.booleans(),  # an invoice filed before (a duplicate, or the claim's own) or a new one
    ),
    min_size=2,
    max_size=16,
).map(lambda script: [("file", Decimal("900.00"), 0, False), *script])


async def run(script: list[tuple[str, Decimal, int, bool]], directory: Path) -> None:
    async with desk(directory, RULES) as c:
        claims: list[str] = []
        numbers: list[Any] = []
        for name, amount, pick, reuse in script:
            number = numbers[-1 - pick % len(numbers)] if reuse and numbers else invoice(amount)
            numbers.append(number)
            corrected = replace(number, amount=amount)
            try:
                if name == "file":
                    claims.append((await file(c, corrected)).claim_id or "")
                elif claims:
                    claim_id = claims[-1 - pick % len(claims)]
                    if name == "resubmit":
                        await resubmit(c, claim_id, corrected)
                    else:
                        act = {"return": return_, "reject": reject, "approve": approve, "pay": pay}
                        await act[name](c, claim_id)
            except DomainError:
                pass  # refused (a duplicate invoice, not returned, already paid...): no effect
            await holds_the_invariants(c, claims)
        assert claims, "the script's first claim was refused: the desk is not set up to file"


async def holds_the_invariants(c: Any, claims: list[str]) -> None:
    usage = await used(c)
    assert Decimal(0) <= usage <= RULES.annual_cap
    held, paid = Decimal(0), Decimal(0)
    for claim_id in claims:
        history = await c.store.read_stream(claim_stream(claim_id))
        status, benefit = "filed", None
        for event in history:
            kind = event.type.split(".")[-2]
            if kind == "assessed":
                benefit = Decimal(event.data["benefit"])
            if kind in ("approved", "paid"):
                assert benefit is not None and benefit > 0, f"{kind} with benefit {benefit}"
            if kind == "paid":
                assert Decimal(event.data["amount"]) == benefit > 0
                paid += benefit
            if kind == "filed":
                benefit = None
            status = {"eligibility_awaited": "awaiting_eligibility"}.get(kind, kind)
        if status in HOLDING:
            held += benefit or 0
    assert usage == held  # the usage is what the open claims were assessed, nothing released twice
    assert paid <= RULES.annual_cap


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_usage_never_negative_and_never_above_the_annual_cap_whatever_the_sequence(script):
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(run(script, Path(directory)))
