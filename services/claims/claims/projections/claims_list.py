"""Which claims a list shows: by status, district, service point, day or member, within the
caller's jurisdiction, page by page (from the claims view; the items themselves are read from
the log, so that a list item and `GET /claims/{id}` are the same claim in the same shape)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncEngine
from union_events.published.vocabularies import CLAIM_STATUSES

from .claims_view import claims_view

AWAITING_APPROVAL: Final = "awaiting_approval"
# `status=` values: the statuses of a claim, and the approval queue. A claim stays `assessed`
# only while it waits for an officer (one under the threshold is approved in the same
# decision), so the queue is the assessed claims, oldest first.
LISTED_STATUSES: Final = (*CLAIM_STATUSES[:3], AWAITING_APPROVAL, *CLAIM_STATUSES[3:])
# `sort=` values: a column of the view, `-` before it for descending. Claims not yet assessed
# have no benefit: they come last either way. Ties keep the order of filing (newest first).
SORTS: Final = ("filed_on", "-filed_on", "claimed", "-claimed", "benefit", "-benefit")


@dataclass(frozen=True)
class ClaimFilter:
    scope: str | None  # the caller's jurisdiction (an org path); None: the member's own only
    member_id: str | None = None
    status: str | None = None
    district: str | None = None  # filed, insured or paid there
    service_point: str | None = None
    role: str = "filed"  # with service_point: filed there, or paid there
    filed_on: date | None = None
    filed_from: date | None = None  # inclusive
    filed_to: date | None = None  # inclusive
    sort: str | None = None  # one of SORTS; None: newest first (the approval queue oldest first)


def _within(column: Any, scope: str) -> Any:
    return or_(column == scope, column.startswith(scope + "/", autoescape=True))


def _where(f: ClaimFilter) -> Any:
    c = claims_view.c
    terms = []
    if f.scope is not None:  # what the caller may read: filed, insured or paid within it
        terms.append(
            or_(_within(c.filed_at, f.scope), _within(c.insuring_district, f.scope),
                _within(c.paid_at, f.scope))
        )  # fmt: skip
    if f.member_id is not None:
        terms.append(c.member_id == f.member_id)
    if f.status is not None:
        terms.append(c.status == ("assessed" if f.status == AWAITING_APPROVAL else f.status))
    if f.district is not None:
        d = f.district
        terms.append(or_(c.filing_district == d, c.insuring_district == d, c.paying_district == d))
    if f.service_point is not None:
        terms.append((c.paid_at if f.role == "paid" else c.filed_at) == f.service_point)
    if f.filed_on is not None:
        terms.append(c.filed_on == f.filed_on)
    if f.filed_from is not None:
        terms.append(c.filed_on >= f.filed_from)
    if f.filed_to is not None:
        terms.append(c.filed_on <= f.filed_to)
    return and_(true(), *terms)


async def claim_ids(
    engine: AsyncEngine, f: ClaimFilter, page: int, size: int
) -> tuple[int, list[str]]:
    """(how many claims match, the ids of this page): in `f.sort`'s order, else newest
    first; the approval queue oldest first."""
    c = claims_view.c
    where = _where(f)
    oldest_first = f.status == AWAITING_APPROVAL
    if f.sort is not None:
        order = _order(f.sort)
    elif oldest_first:  # in the order they were filed
        order = (c.filed_on.asc(), c.filed_position.asc())
    else:
        order = (c.filed_on.desc(), c.filed_position.desc())
    query = select(c.claim_id).where(where).order_by(*order)
    async with engine.connect() as conn:
        total = await conn.scalar(select(func.count()).select_from(claims_view).where(where))
        rows = await conn.execute(query.limit(size).offset((page - 1) * size))
        return int(total or 0), [r[0] for r in rows]


def _order(sort: str) -> tuple[Any, ...]:
    """The ORDER BY of an allowed `sort` (see SORTS): the column, missing values last, then
    the order of filing, newest first."""
    if sort not in SORTS:
        raise ValueError(sort)
    c = claims_view.c
    column = getattr(c, sort.lstrip("-"))
    direction = column.desc() if sort.startswith("-") else column.asc()
    return (column.is_(None), direction, c.filed_position.desc())
