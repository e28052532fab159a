"""Hypothesis strategies: amounts in fen, valid plan rules, and any well-typed claim event."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from claims.domain.events import (
    ClaimApproved,
    ClaimAssessed,
    ClaimFiled,
    ClaimPaid,
    ClaimRejected,
    ClaimReturned,
    EligibilityAwaited,
    Invoice,
)
from claims.domain.rules import MajorDisease, PlanRules, PoolingPeriod, Tier, validate_rules
from hypothesis import strategies as st
from union_events.published.vocabularies import RETURN_REASONS


def amounts(max_yuan: int = 200_000) -> st.SearchStrategy[Decimal]:
    return st.integers(min_value=0, max_value=max_yuan * 100).map(
        lambda fen: Decimal(fen).scaleb(-2)
    )


ratios = st.integers(min_value=1, max_value=100).map(lambda pct: Decimal(pct) / 100)


@st.composite
def plan_rules(draw: st.DrawFn) -> PlanRules:
    bounds = sorted(draw(st.sets(amounts(50_000).filter(bool), max_size=3)))
    last = draw(st.sampled_from([None, *bounds[-1:]]))
    ups = [*bounds[:-1], last] if bounds else [None]
    annual = draw(amounts(100_000).filter(bool))
    return validate_rules(
        PlanRules(
            plan_id="p",
            year=2026,
            pooling=(PoolingPeriod("district", date(2026, 1, 1)),),
            deductible=draw(amounts(2_000)),
            tiers=tuple(Tier(up, draw(ratios)) for up in ups),
            per_claim_cap=draw(amounts(100_000).filter(lambda cap: cap <= annual)),
            annual_cap=annual,
            deadline_days=90,
            auto_approve_below=draw(amounts(10_000)),
            major_diseases=(MajorDisease("cancer", draw(amounts(20_000))),),
        )
    )


text = st.text(max_size=10)
days = st.dates()
money = st.decimals(
    allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9
)
invoices = st.lists(st.builds(Invoice, text, text, money, days), max_size=3).map(tuple)
claim_events = st.one_of(
    st.builds(
        ClaimFiled,
        text,
        text,
        text,
        text,
        st.integers(),
        days,
        days,
        invoices,
        money,
        days,
        st.none() | text,
    ),
    st.builds(EligibilityAwaited, days),
    st.builds(
        ClaimAssessed, money, money, money, money, st.none() | text, text, st.booleans(), days
    ),
    st.builds(ClaimApproved, text, st.booleans(), days),
    st.builds(ClaimPaid, text, text, text, money, days),
    st.builds(ClaimRejected, text, text, days),
    st.builds(ClaimReturned, text, days, code=st.sampled_from(RETURN_REASONS)),
)
