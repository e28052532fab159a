"""The claims app on the in-memory event store (`union_events.memory`), no SQL, HTTP or NATS: a
clerk's counter with a fixed clock. What claims hears from members (orgs, enrolments) is handed
to claims' members consumer as members publishes it, without a transaction (`conn=None`: the
in-memory store has none), so waiting claims proceed as they would over NATS."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from claims.app import filing, handlers, queries, registry
from claims.app.handlers import Claims
from claims.consumers.members import members_consumer
from claims.domain.claim import Claim
from claims.domain.events import Actor, Invoice
from claims.domain.rules import PlanRules, PoolingPeriod, Tier
from union_events import codec
from union_events.contracts import EventPayload
from union_events.events import EventContext, RecordedEvent
from union_events.memory import InMemoryEventStore
from union_events.published.members import MemberEnrolled, OrgRegistered
from union_events.wire import IncomingEvent

TODAY = date(2026, 6, 1)  # the counter's clock: every command is decided on this day
ADMITTED, DISCHARGED = date(2026, 5, 20), date(2026, 5, 25)
CITY, DINGHAI, PUTUO = "zhoushan", "zhoushan/dinghai", "zhoushan/putuo"
DINGHAI_POINT, PUTUO_POINT = f"{DINGHAI}/center", f"{PUTUO}/center"
ORGS = (
    (CITY, "city"),
    (DINGHAI, "district"),
    (PUTUO, "district"),
    (DINGHAI_POINT, "service_point"),
    (PUTUO_POINT, "service_point"),
    (f"{DINGHAI}/shipyard", "unit"),
)
HOSPITAL = "DH-01"  # 定海医院, in the city's registry
CLERK = Actor("clerk-li", "clerk")
OFFICER = Actor("officer-wang", "district_officer")
CTX = EventContext(correlation_id="counter")

# 起付线 500.00; the first 10,000.00 above it at 0.655 (a ratio of three places, kept exact),
# the rest at 0.8; at most 8,000.00 a claim and 12,000.00 a year; an officer approves a
# benefit of 3,000.00 or more; claims within 90 days of discharge.
RULES = PlanRules(
    plan_id="inpatient",
    year=2026,
    pooling=(PoolingPeriod("district", date(2026, 1, 1)), PoolingPeriod("city", date(2026, 5, 1))),
    deductible=Decimal("500.00"),
    tiers=(Tier(Decimal("10000.00"), Decimal("0.655")), Tier(None, Decimal("0.8"))),
    per_claim_cap=Decimal("8000.00"),
    annual_cap=Decimal("12000.00"),
    deadline_days=90,
    auto_approve_below=Decimal("3000.00"),
)
_numbers = itertools.count(1)


@dataclass
class Counter:
    """The claims app (`claims`) and the member whose claims the counter files."""

    claims: Claims
    member_id: str

    @property
    def store(self) -> Any:
        return self.claims.store


@asynccontextmanager
async def counter(rules: PlanRules = RULES, *, enrolled: bool = True) -> AsyncIterator[Counter]:
    """A fresh in-memory claims app: the orgs heard from members, the hospital registered, the
    plan year's rules set, and a member (enrolled through Dinghai, unless `enrolled=False`)."""
    store = InMemoryEventStore()
    c = Claims(store, today=lambda: TODAY)
    for path, level in ORGS:
        parent = path.rsplit("/", 1)[0] if "/" in path else None
        await members_said(c, OrgRegistered(path=path, name=path, level=level, parent=parent))
    await registry.set_hospital(
        store, HOSPITAL, name="定海医院", city=CITY, district=DINGHAI, ctx=CTX
    )
    await handlers.set_rules(c, rules, CTX)
    member = Counter(c, str(uuid.uuid4()))
    if enrolled:
        await enrolment_heard(member)
    try:
        yield member
    finally:
        await store.close()


async def members_said(c: Claims, payload: EventPayload) -> None:
    """Hand claims' members consumer an event as members' relay publishes it."""
    data = codec.loads(payload.model_dump_json())
    event_id = str(uuid.uuid4())
    recorded = RecordedEvent(1, "s-1", 1, event_id, payload.event_type(), data, datetime.now(UTC))
    event = IncomingEvent(
        id=recorded.id,
        source="/union/members",
        type=recorded.type,
        subject=recorded.stream_id,
        time=recorded.occurred_at,
        data=recorded.data,
        context=EventContext(correlation_id="members-feed"),
    )
    await members_consumer({"claims": c}).handler(None, event)


async def enrolment_heard(m: Counter, district: str = DINGHAI, year: int = 2026) -> None:
    enrolled = MemberEnrolled(
        member_id=m.member_id,
        plan_id="inpatient",
        year=year,
        insuring_district=district,
        on=date(year, 1, 5),
    )
    await members_said(m.claims, enrolled)


def invoice(amount: Decimal | str, number: str | None = None, on: date = DISCHARGED) -> Invoice:
    return Invoice(HOSPITAL, number or f"FP-{next(_numbers):06d}", Decimal(amount), on)


async def file(m: Counter, *invoices: Invoice, **change: Any) -> Claim:
    """File a claim of the member at Dinghai's service point, with these invoices."""
    command: dict[str, Any] = dict(
        member_id=m.member_id,
        service_point=DINGHAI_POINT,
        plan_id="inpatient",
        admitted_on=ADMITTED,
        discharged_on=DISCHARGED,
        invoices=invoices or (invoice("1000.00"),),
        major_disease=None,
        today=TODAY,
        ctx=CTX,
        actor=CLERK,
    )
    return await filing.file_claim(m.claims, **{**command, **change})


async def approve(m: Counter, claim_id: str) -> Claim:
    return await handlers.approve(m.claims, claim_id, "officer-wang", TODAY, CTX, actor=OFFICER)


async def pay(m: Counter, claim_id: str, point: str = DINGHAI_POINT) -> Claim:
    return await handlers.pay(m.claims, claim_id, point, TODAY, CTX, actor=CLERK)


async def reject(m: Counter, claim_id: str, code: str = "invalid_document") -> Claim:
    reason = "发票为复印件"
    return await handlers.reject(m.claims, claim_id, code, reason, TODAY, CTX, actor=OFFICER)


async def return_(m: Counter, claim_id: str, reason: str = "缺分割单") -> Claim:
    return await handlers.return_to_filer(m.claims, claim_id, reason, TODAY, CTX, actor=OFFICER)


async def claim(m: Counter, claim_id: str) -> Claim:
    """The claim as its log says now (what the desk's claim page shows)."""
    (state,) = await queries.claims_by_id(m.store, [claim_id])
    return state


async def paid_events(m: Counter) -> list[RecordedEvent]:
    return [e for e in await m.store.read_all(0, 10_000) if e.type == "union.claims.claim.paid.v1"]
