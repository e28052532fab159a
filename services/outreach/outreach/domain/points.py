"""Service points of a district: fixed roving points (巡回服务点), outdoor-worker stations
(工会驿站) with amenities, workers' homes (职工之家); opening hours; open or closed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from union_events.errors import Conflict, DomainError, NotFound
from union_events.orgs import district_of, validate_org_path

from .events import PointClosed, PointOpened, PointRegistered
from .vocabulary import AMENITIES, POINT_KINDS, many_of, one_of, opening_hours

PointEvent = PointRegistered | PointOpened | PointClosed


@dataclass(frozen=True)
class Point:
    point: str = ""
    district: str = ""
    kind: str = ""
    registered_on: date | None = None
    open: bool = False
    name: str = ""
    amenities: tuple[str, ...] = ()
    hours: tuple[str, ...] = ()

    @property
    def exists(self) -> bool:
        return self.registered_on is not None


def evolve_point(state: Point, event: PointEvent) -> Point:
    match event:
        case PointRegistered():
            return Point(
                event.point,
                event.district,
                event.kind,
                event.on,
                True,
                event.name,
                event.amenities,
                event.hours,
            )
        case PointOpened():
            return replace(state, open=True)
        case PointClosed():
            return replace(state, open=False)
    return state


def decide_register(
    state: Point,
    *,
    point: str,
    name: str,
    kind: str,
    amenities: Sequence[str],
    hours: Mapping[str, str],
    today: date,
) -> list[PointEvent]:
    if state.exists:
        raise Conflict(f"service point {state.point} is registered already", code="point_exists")
    point = validate_org_path(point, depth=3, what="service point")
    kind = one_of(kind, POINT_KINDS, "point_kind")
    chosen = many_of(amenities, AMENITIES, "amenity")
    if chosen and kind != "station":
        raise DomainError(
            "amenities are listed for outdoor-worker stations (工会驿站) only",
            code="amenities_for_stations",
        )
    if not name.strip():
        raise DomainError("a service point has a name", code="name_required")
    return [
        PointRegistered(
            point=point,
            district=district_of(point),
            name=name.strip(),
            kind=kind,
            amenities=chosen,
            hours=opening_hours(hours),
            on=today,
        )
    ]


def decide_open(state: Point, today: date) -> list[PointEvent]:
    require_point(state)
    return [] if state.open else [PointOpened(state.point, state.district, today)]


def decide_close(state: Point, reason: str, today: date) -> list[PointEvent]:
    require_point(state)
    if not state.open:
        return []
    return [PointClosed(state.point, state.district, reason.strip(), today)]


def require_point(state: Point) -> Point:
    if not state.exists:
        raise NotFound("no such service point", code="point_not_found")
    return state
