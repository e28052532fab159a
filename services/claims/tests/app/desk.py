"""The claims app on a real SQLite event store, no HTTP and no NATS: a plan year, a member whose
enrolment was heard, and the commands a desk gives, with the facts they leave behind."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from claims.app import facts, filing, handlers
from claims.app.handlers import Claims
from claims.domain.claim import Claim
from claims.domain.events import Actor, Invoice
from claims.domain.rules import PlanRules, PoolingPeriod, Tier
from union_events.events import EventContext, NewEvent
from union_events.store import EventStore

from ..places import DINGHAI, DINGHAI_HOSPITAL, POINT, register_places

TODAY = date(2026, 6, 1)
ADMITTED, DISCHARGED = date(2026, 5, 20), date(2026, 5, 25)
MEMBER = "0b7e2c1a-3f4d-4e5f-8a9b-0c1d2e3f4a5b"
CLERK = Actor("clerk-li", "clerk")
OFFICER = Actor("officer-wang", "district_officer")
CTX = EventContext()
# The plan year: an annual cap of 1,500; a benefit is what was claimed (ratio 1).
PLAN = PlanRules(
    plan_id="inpatient",
    year=2026,
    pooling=(PoolingPeriod("city", date(2026, 1, 1)),),
    deductible=Decimal("0.00"),
    tiers=(Tier(None, Decimal("1")),),
    per_claim_cap=Decimal("1500.00"),
    annual_cap=Decimal("1500.00"),
    deadline_days=90,
    auto_approve_below=Decimal("5000.00"),
)
_numbers = itertools.count(1)


@asynccontextmanager
async def desk(directory: Path, rules: PlanRules = PLAN) -> AsyncIterator[Claims]:
    """A claims app on a fresh SQLite file: Dinghai's service point and the hospitals
    registered, the plan year set and MEMBER's enrolment heard."""
    store = await EventStore.open(f"sqlite+aiosqlite:///{directory / 'claims.db'}")
    try:
        c = Claims(store, today=lambda: TODAY)
        await register_places(store)
        await handlers.set_rules(c, rules, CTX)
        await enrolment_heard(c, MEMBER, rules.year)
        yield c
    finally:
        await store.close()


async def enrolment_heard(c: Claims, member_id: str, year: int) -> None:
    data = {"plan_id": "inpatient", "year": year, "insuring_district": DINGHAI}
    noted = NewEvent(facts.ENROLMENT_NOTED, data)
    await c.store.append(facts.member_stream(member_id), None, [noted])


def invoice(amount: Decimal | str, number: str | None = None, on: date = DISCHARGED) -> Invoice:
    return Invoice(DINGHAI_HOSPITAL, number or f"INV-{next(_numbers)}", Decimal(amount), on)


async def file(c: Claims, *invoices: Invoice, **change: Any) -> Claim:
    command: dict[str, Any] = dict(
        member_id=MEMBER,
        service_point=POINT,
        plan_id="inpatient",
        admitted_on=ADMITTED,
        discharged_on=DISCHARGED,
        invoices=invoices,
        major_disease=None,
        today=TODAY,
        ctx=CTX,
        actor=CLERK,
    )
    return await filing.file_claim(c, **{**command, **change})


async def resubmit(c: Claims, claim_id: str, *invoices: Invoice, **change: Any) -> Claim:
    command: dict[str, Any] = dict(
        service_point=None,
        admitted_on=ADMITTED,
        discharged_on=DISCHARGED,
        invoices=invoices,
        documents=("settlement_statement", "split_certificate"),
        major_disease=None,
        today=TODAY + timedelta(days=3),
        ctx=CTX,
        actor=CLERK,
    )
    return await filing.resubmit_claim(c, claim_id, **{**command, **change})


async def return_(c: Claims, claim_id: str, reason: str = "缺分割单") -> Claim:
    return await handlers.return_to_filer(c, claim_id, reason, TODAY, CTX, actor=OFFICER)


async def reject(c: Claims, claim_id: str, code: str = "invalid_document") -> Claim:
    return await handlers.reject(c, claim_id, code, "发票为复印件", TODAY, CTX, actor=OFFICER)


async def approve(c: Claims, claim_id: str) -> Claim:
    return await handlers.approve(c, claim_id, "officer-wang", TODAY, CTX, actor=OFFICER)


async def pay(c: Claims, claim_id: str) -> Claim:
    return await handlers.pay(c, claim_id, POINT, TODAY, CTX, actor=CLERK)


async def usage_stream(c: Claims, year: int = 2026) -> list[Any]:
    return await c.store.read_stream(facts.usage_stream(MEMBER, "inpatient", year))


async def used(c: Claims, year: int = 2026) -> Decimal:
    return facts.used(await usage_stream(c, year))


async def released_for(c: Claims, claim_id: str) -> list[Decimal]:
    return [
        Decimal(e.data["amount"])
        for e in await usage_stream(c)
        if e.type == facts.BENEFIT_RELEASED and e.data["claim_id"] == claim_id
    ]
