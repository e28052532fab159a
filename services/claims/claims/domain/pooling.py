"""Pooling (统筹): which service points may pay a claim.

Under `district` pooling only the service points of the member's insuring district pay;
under `city` pooling any service point of the same city does (纵向联动). A plan can move from
one to the other on a date, as when a district's mutual aid joined city pooling on 1 May.
"""

from __future__ import annotations

from datetime import date

from union_events.orgs import city_of, district_of

from .rules import PlanRules, pooling_level_on

__all__ = ["city_of", "district_of", "may_pay"]  # the toolkit's, one definition


def may_pay(rules: PlanRules, day: date, service_point: str, insuring_district: str) -> bool:
    if pooling_level_on(rules, day) == "city":
        return city_of(service_point) == city_of(insuring_district)
    return district_of(service_point) == district_of(insuring_district)
