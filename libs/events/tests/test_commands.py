"""Commands against an aggregate: decide on fresh state, never merge, never exceed a rule
(on SQLite, PostgreSQL and the in-memory store: `store_url`)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

import pytest
from union_events.commands import Aggregate, Work, execute, load, run
from union_events.errors import Conflict
from union_events.events import EventContext
from union_events.testing.stores import open_store

# A tiny pure domain: a campaign hands out items from a stock, one per member.


@dataclass(frozen=True)
class Stock:
    left: int = 0
    takers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Stocked:
    items: int


@dataclass(frozen=True)
class HandedOut:
    member: str


def decide_hand_out(state: Stock, member: str) -> list[HandedOut]:
    if member in state.takers:
        raise Conflict(f"{member} already has one", code="already_handed_out")
    if state.left <= 0:
        raise Conflict("out of stock", code="out_of_stock")
    return [HandedOut(member)]


def evolve(state: Stock, event: Stocked | HandedOut) -> Stock:
    if isinstance(event, Stocked):
        return replace(state, left=state.left + event.items)
    return replace(state, left=state.left - 1, takers=state.takers | {event.member})


def encode(event: Stocked | HandedOut):
    if isinstance(event, Stocked):
        return "union.test.campaign.stocked.v1", {"items": event.items}
    return "union.test.campaign.handed_out.v1", {"member": event.member}


def decode(event_type: str, data) -> Stocked | HandedOut:
    if event_type == "union.test.campaign.stocked.v1":
        return Stocked(data["items"])
    return HandedOut(data["member"])


campaign = Aggregate(Stock, evolve, encode, decode)


async def opened(url):
    store = await open_store(url)
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
async def store(store_url):
    async for store in opened(store_url):
        yield store


async def test_concurrent_commands_never_exceed_what_the_rules_allow(store):
    await execute(store, campaign, "cooling-2026", lambda s: [Stocked(5)])
    attempts = [
        execute(store, campaign, "cooling-2026", lambda s, m=m: decide_hand_out(s, m))
        for m in [f"member-{i}" for i in range(12)]
    ]
    outcomes = await asyncio.gather(*attempts, return_exceptions=True)
    handed = [o for o in outcomes if not isinstance(o, BaseException)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(handed), len(refused)) == (5, 7)
    assert {r.code for r in refused} == {"out_of_stock"}
    state, version = await load(store, campaign, "cooling-2026")
    assert state.left == 0 and len(state.takers) == 5 and version == 6


async def test_a_rule_is_checked_against_the_state_the_command_commits_on(store):
    await execute(store, campaign, "gym-2026", lambda s: [Stocked(3)])
    twice = [
        execute(store, campaign, "gym-2026", lambda s: decide_hand_out(s, "member-1"))
        for _ in range(2)
    ]
    outcomes = await asyncio.gather(*twice, return_exceptions=True)
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1
    assert (await load(store, campaign, "gym-2026"))[0].left == 2


async def test_a_command_caused_by_the_same_event_twice_appends_once(store):
    await execute(store, campaign, "gifts", lambda s: [Stocked(2)])
    cause = EventContext(correlation_id="c-1", causation_id="event-42")
    # A redelivered cause whose decision does not look at the state again (no rule hit):
    first = await execute(store, campaign, "gifts", lambda s: [HandedOut("m-1")], context=cause)
    again = await execute(store, campaign, "gifts", lambda s: [HandedOut("m-1")], context=cause)
    assert first.result == again.result
    assert len(await store.read_stream("gifts")) == 2


async def test_a_decision_without_events_appends_nothing(store):
    outcome = await execute(store, campaign, "empty", lambda s: [])
    assert outcome.result is None and await store.head_position() == 0


async def test_commands_one_event_causes_on_several_subjects_keep_their_own_events(store):
    """One event (an enrolment heard) decides a command per waiting claim; each appends to
    the claim's stream and to one shared stream (the member's usage): none is taken for a
    replay of another, and a redelivery of the cause still appends nothing twice."""
    cause = EventContext(correlation_id="c-2", causation_id="enrolled-7")

    def reserve(claim: str):
        async def command(work):
            await work.read(f"claim-{claim}", "usage-m-1")
            work.append(f"claim-{claim}", [("assessed", {"claim": claim})])
            work.append("usage-m-1", [("reserved", {"claim": claim})])

        return command

    for _delivery in range(2):
        for claim in ("a", "b", "c"):
            await run(store, reserve(claim), context=cause)
    usage = await store.read_stream("usage-m-1")
    assert [e.data["claim"] for e in usage] == ["a", "b", "c"]


async def test_a_command_over_two_streams_moves_stock_without_losing_any(store):
    """`run`: both streams read at once, both appended at the versions read, in one batch."""
    await execute(store, campaign, "depot", lambda s: [Stocked(6)])

    async def move_one(work: Work) -> None:
        depot = await work.load(campaign, "depot")
        decide_hand_out(replace(depot, takers=frozenset()), "truck")  # out of stock: refused
        work.emit(campaign, "depot", [HandedOut("truck")])
        work.emit(campaign, "truck", [Stocked(1)])

    outcomes = await asyncio.gather(
        *[run(store, move_one) for _ in range(8)], return_exceptions=True
    )
    assert sum(isinstance(o, Conflict) for o in outcomes) == 2
    depot, _ = await load(store, campaign, "depot")
    truck, _ = await load(store, campaign, "truck")
    assert (depot.left, truck.left) == (0, 6)


@pytest.fixture
async def sql_store(database_url):
    """A consumer's transaction is a SQL one: SQLite and PostgreSQL (no in-memory store)."""
    async for store in opened(database_url):
        yield store


async def test_what_a_consumer_appends_is_caused_by_the_incoming_event(sql_store):
    store = sql_store
    from union_events.commands import derived_event_id
    from union_events.consumer import caused_by, run_caused
    from union_events.db import write_transaction
    from union_events.wire import IncomingEvent

    incoming = IncomingEvent(
        "event-7",
        "/union/members",
        "union.members.member.registered.v1",
        None,
        None,
        {},
        EventContext(correlation_id="corr-1", org_path="zhoushan/dinghai", actor="clerk-li"),
    )
    assert caused_by(incoming) == EventContext("corr-1", "event-7", "zhoushan/dinghai")
    started = replace(incoming, context=EventContext())
    assert caused_by(started, org_path="zhoushan/putuo") == EventContext(
        "event-7", "event-7", "zhoushan/putuo"
    )

    async def stock_once(work: Work) -> int:
        work.emit(campaign, "caused", [Stocked(1)])
        return len(await work.stream("caused"))

    for _ in range(2):  # a redelivered cause decides the same ids: appended once
        async with write_transaction(store.engine) as conn:
            await run_caused(store, conn, incoming, stock_once)
    [stocked] = await store.read_stream("caused")
    assert stocked.id == derived_event_id("event-7", "caused", 0)
    assert stocked.context.causation_id == "event-7"
    assert (stocked.context.correlation_id, stocked.context.org_path) == (
        "corr-1",
        "zhoushan/dinghai",
    )
