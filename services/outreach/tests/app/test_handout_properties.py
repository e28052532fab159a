"""Property: whatever sequence of hand-outs clerks make — at any point of the city, some at the
same moment, the member id typed in any letter case or form, members outreach never heard of
among them — a member gets at most one item of a campaign, only members outreach knows get
one, and the stock never goes below zero. The hand-out commands on a real event store (SQLite).
"""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from outreach.app import handlers, handouts
from outreach.app.aggregates import campaign_stream
from outreach.app.handlers import Outreach
from outreach.app.members import note_member
from outreach.domain.campaigns import Recipient
from union_events.db import write_transaction
from union_events.errors import Conflict, DomainError
from union_events.events import EventContext
from union_events.store import EventStore

DAY = date(2026, 7, 15)
POINTS = (
    "zhoushan/dinghai/ferry-square",
    "zhoushan/dinghai/pier-station",
    "zhoushan/putuo/harbour-home",
    "zhoushan/putuo/fish_market",
)
KNOWN = 4  # members outreach heard of; the ids after these it never heard of
MEMBERS = [str(uuid.UUID(int=n * 7919 + 1, version=4)) for n in range(KNOWN + 2)]


def spelt(member_id: str, upper: list[bool], form: str) -> str:
    """The same member id as a clerk might type it."""
    cased = "".join(c.upper() if up else c for c, up in zip(member_id, upper, strict=False))
    return {
        "plain": cased,
        "braces": "{" + cased + "}",
        "no_dashes": cased.replace("-", ""),
        "urn": "urn:uuid:" + cased,
        "padded": f"  {cased} ",
    }[form]


hand_out = st.tuples(
    st.integers(0, len(MEMBERS) - 1),  # who
    st.lists(st.booleans(), min_size=36, max_size=36),  # which letters in upper case
    st.sampled_from(["plain", "braces", "no_dashes", "urn", "padded"]),
    st.integers(0, len(POINTS) - 1),  # where
)
# Batches of hand-outs: those of one batch run at the same moment.
batches = st.lists(st.lists(hand_out, min_size=1, max_size=4), min_size=1, max_size=8)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stock=st.integers(1, 5), batches=batches)
def test_one_item_per_member_city_wide_whatever_the_spelling_or_point_and_stock_never_negative(
    stock, batches
):
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(_run(Path(tmp), stock, batches))


async def _run(tmp: Path, stock: int, batches: list) -> None:
    store = await EventStore.open(f"sqlite+aiosqlite:///{tmp / 'events.db'}")
    o, ctx = Outreach(store), EventContext()
    try:
        for point in POINTS:
            await handlers.register_point(
                o, point=point, name="点", kind="roving_point", amenities=(), hours={},
                today=DAY, ctx=ctx,
            )  # fmt: skip
        for n, member_id in enumerate(MEMBERS[:KNOWN]):
            async with write_transaction(store.engine) as conn:
                district = "/".join(POINTS[n % len(POINTS)].split("/")[:2])
                await note_member(
                    store, conn, member_id=member_id, district=district, on=DAY, moved=False,
                    ctx=EventContext(causation_id=str(uuid.uuid4())),
                )  # fmt: skip
        await handouts.open_campaign(
            o, campaign_id="cool", name="夏送清凉", kind="cooling_supplies", stock=stock,
            categories=(), districts=(), starts_on=DAY, ends_on=DAY, city="zhoushan", ctx=ctx,
        )  # fmt: skip

        async def attempt(who: int, upper: list[bool], form: str, at: int) -> str:
            recipient = Recipient(spelt(MEMBERS[who], upper, form), "outdoor_worker")
            try:
                _, member_id = await handouts.hand_out(o, "cool", recipient, POINTS[at], DAY, ctx)
            except (Conflict, DomainError) as refused:
                return refused.code
            assert member_id == MEMBERS[who]  # canonical, whatever was typed
            return "handed_out"

        asked: set[str] = set()
        for batch in batches:
            outcomes = await asyncio.gather(*(attempt(*command) for command in batch))
            for (who, *_), outcome in zip(batch, outcomes, strict=True):
                if who >= KNOWN:
                    assert outcome == "unknown_member"
                else:
                    asked.add(MEMBERS[who])
                    assert outcome in ("handed_out", "already_received", "out_of_stock")

        items = [e.data for e in await store.read_stream(campaign_stream("cool"))][1:]
        given_to = [item["member_id"] for item in items]
        assert len(given_to) == len(set(given_to))  # one item a member, city-wide
        assert set(given_to) <= set(MEMBERS[:KNOWN])  # only to members outreach knows
        assert len(given_to) == min(stock, len(asked))  # none lost, none beyond the stock
        markers = [await store.read_stream(f"campaign-cool-member-{m}") for m in MEMBERS]
        assert [len(m) for m in markers] == [int(m in given_to) for m in MEMBERS]
    finally:
        await store.close()
