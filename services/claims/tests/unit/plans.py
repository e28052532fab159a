"""The plan most tests use: an inpatient plan that joined city pooling on 1 May 2026."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from claims.domain.rules import MajorDisease, PlanRules, PoolingPeriod, Tier

CITY_POOLING_FROM = date(2026, 5, 1)

INPATIENT = PlanRules(
    plan_id="inpatient",
    year=2026,
    pooling=(
        PoolingPeriod("district", date(2026, 1, 1)),
        PoolingPeriod("city", CITY_POOLING_FROM),
    ),
    deductible=Decimal("500.00"),  # 起付线
    tiers=(Tier(Decimal("5000.00"), Decimal("0.5")), Tier(None, Decimal("0.7"))),
    per_claim_cap=Decimal("30000.00"),
    annual_cap=Decimal("50000.00"),
    deadline_days=90,
    auto_approve_below=Decimal("5000.00"),
    major_diseases=(MajorDisease("cancer", Decimal("15000.00")),),
)
