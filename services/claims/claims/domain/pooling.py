"""Pooling (统筹): which service points may pay a claim.

Under `district` pooling only the service points of the member's insuring district pay;
under `city` pooling any service point of the same city does (纵向联动). A plan can move from
one to the other on a date, as when a district's mutual aid joined city pooling on 1 May.
"""

from __future__ import annotations

from datetime import date

from union_events.errors import DomainError

from .rules import PlanRules, pooling_level_on


def city_of(org_path: str) -> str:
    """`zhoushan/dinghai/center` → `zhoushan`."""
    return _segments(org_path, 1)[0]


def district_of(org_path: str) -> str:
    """`zhoushan/dinghai/center` → `zhoushan/dinghai`."""
    return "/".join(_segments(org_path, 2)[:2])


def may_pay(rules: PlanRules, day: date, service_point: str, insuring_district: str) -> bool:
    if pooling_level_on(rules, day) == "city":
        return city_of(service_point) == city_of(insuring_district)
    return district_of(service_point) == district_of(insuring_district)


def _segments(org_path: str, at_least: int) -> list[str]:
    segments = org_path.strip().strip("/").split("/")
    if len(segments) < at_least or not all(segments):
        raise DomainError(
            f"{org_path!r} is not an org path of at least {at_least} segment(s)",
            code="invalid_org_path",
        )
    return segments
