"""Benefit campaigns (普惠服务): cooling supplies for outdoor workers, cinema or gym vouchers,
festival gifts. Eligibility by member category and district, a stock, and one item per member
per campaign city-wide, handed out at any service point.

The stock is this aggregate's (stream `campaign-<id>`, appended at the version read); one item a
member is also a stream of its own at version 0, appended in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from union_events.errors import Conflict, DomainError, Forbidden, NotFound
from union_events.orgs import city_of, validate_org_path

from .events import CampaignOpened, ItemHandedOut, MemberServed
from .members import KnownMember, require_member
from .points import Point
from .vocabulary import CAMPAIGN_KINDS, one_of

CampaignEvent = CampaignOpened | ItemHandedOut
MAX_STOCK = 1_000_000


@dataclass(frozen=True)
class Campaign:
    campaign_id: str = ""
    kind: str = ""
    stock: int = 0
    handed_out: int = 0
    categories: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    starts_on: date | None = None
    ends_on: date | None = None
    members: frozenset[str] = frozenset()
    name: str = ""
    city: str = ""

    @property
    def exists(self) -> bool:
        return self.starts_on is not None

    @property
    def remaining(self) -> int:
        return self.stock - self.handed_out


def evolve_campaign(state: Campaign, event: CampaignEvent) -> Campaign:
    match event:
        case CampaignOpened():
            return Campaign(
                event.campaign_id,
                event.kind,
                event.stock,
                0,
                event.categories,
                event.districts,
                event.starts_on,
                event.ends_on,
                name=event.name,
                city=event.city,
            )
        case ItemHandedOut():
            return replace(
                state,
                handed_out=state.handed_out + 1,
                members=state.members | {event.member_id},
            )
    return state


def decide_open(
    state: Campaign,
    *,
    campaign_id: str,
    name: str,
    kind: str,
    stock: int,
    categories: Sequence[str],
    districts: Sequence[str],
    starts_on: date,
    ends_on: date,
    city: str = "",
) -> list[CampaignEvent]:
    """`city`: where a campaign for all districts runs (the opener's city); with districts
    named, their city."""
    if state.exists:
        raise Conflict(f"campaign {campaign_id} exists already", code="campaign_exists")
    one_of(kind, CAMPAIGN_KINDS, "campaign_kind")
    if not 1 <= stock <= MAX_STOCK:
        raise DomainError(f"the stock is 1 to {MAX_STOCK} items", code="invalid_stock")
    if ends_on < starts_on:
        raise DomainError("a campaign ends on or after its start", code="invalid_period")
    if not name.strip():
        raise DomainError("a campaign has a name", code="name_required")
    cleaned = tuple(sorted({c.strip() for c in categories if c.strip()}))
    places = tuple(sorted({validate_org_path(d, depth=2, what="district") for d in districts}))
    cities = {city_of(d) for d in places} or {city}
    if len(cities) != 1:
        raise DomainError("a campaign runs in the districts of one city", code="invalid_districts")
    return [
        CampaignOpened(
            campaign_id,
            name.strip(),
            kind,
            stock,
            cleaned,
            places,
            starts_on,
            ends_on,
            cities.pop(),
        )
    ]


@dataclass(frozen=True)
class Recipient:
    member_id: str  # canonical (a lower-case UUID)
    category: str  # as checked at the counter (outdoor worker, gig worker, ...)
    district: str | None = None  # as the clerk gave it; members' record decides


def decide_hand_out(
    state: Campaign, *, recipient: Recipient, member: KnownMember, point: Point, today: date
) -> tuple[ItemHandedOut, MemberServed]:
    """One item to an eligible member outreach knows (`member`, from members' events), if any
    is left and the member has none yet."""
    if not state.exists:
        raise NotFound("no such campaign", code="campaign_not_found")
    assert state.starts_on is not None and state.ends_on is not None
    if not point.exists:
        raise NotFound(f"no service point {point.point}", code="point_not_found")
    if not point.open:
        raise DomainError(f"service point {point.point} is closed", code="point_closed")
    if not state.starts_on <= today <= state.ends_on:
        raise DomainError(
            f"the campaign runs {state.starts_on.isoformat()} to {state.ends_on.isoformat()}",
            code="campaign_not_running",
        )
    known = require_member(member, recipient.member_id)
    if recipient.district is not None and recipient.district != known.district:
        raise DomainError(
            f"members records member {known.member_id} in {known.district}, "
            f"not in {recipient.district}",
            code="member_district_mismatch",
        )
    if state.categories and recipient.category not in state.categories:
        raise Forbidden(
            f"the campaign is for {', '.join(state.categories)}; not {recipient.category!r}",
            code="not_eligible",
        )
    if state.districts and known.district not in state.districts:
        raise Forbidden(
            f"the campaign is for members of {', '.join(state.districts)}", code="not_eligible"
        )
    if known.member_id in state.members:
        raise Conflict("the member has had an item of this campaign", code="already_received")
    if state.remaining <= 0:
        raise Conflict("the campaign's stock is used up", code="out_of_stock")
    handed = ItemHandedOut(state.campaign_id, known.member_id, point.point, point.district, today)
    return handed, MemberServed(state.campaign_id, point.point, today)
