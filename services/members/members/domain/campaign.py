"""QR sign-up campaigns (扫码入会) for gig workers, with targets per day, ISO week and calendar
month: 日过百、周过千、月达万 (a hundred a day, a thousand a week, ten thousand a month)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from union_events.errors import Conflict, DomainError, NotFound

from .events import CampaignOpened, SignUpsRecorded
from .orgs import Org

CampaignEvent = CampaignOpened | SignUpsRecorded


@dataclass(frozen=True)
class Targets:
    daily: int
    weekly: int
    monthly: int


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    district: str
    name: str
    targets: Targets
    starts_on: date
    per_day: tuple[tuple[date, int], ...] = ()  # sign-ups that became members, by day
    total: int = 0
    duplicates: int = 0  # sign-ups of people who were members already


@dataclass(frozen=True)
class Tally:
    count: int
    target: int
    met: bool


@dataclass(frozen=True)
class CampaignProgress:
    campaign_id: str
    district: str
    as_of: date
    today: Tally
    this_week: Tally  # ISO week
    this_month: Tally  # calendar month
    total: int
    duplicates: int


def decide_open_campaign(
    existing: Campaign | None,
    *,
    campaign_id: str,
    district: Org | None,
    name: str,
    daily_target: int,
    weekly_target: int,
    monthly_target: int,
    today: date,
) -> list[CampaignOpened]:
    if existing is not None:
        raise Conflict(f"campaign {campaign_id!r} exists already", code="campaign_exists")
    if district is None or district.level != "district":
        raise DomainError(
            "a campaign belongs to a district in the org registry", code="unknown_district"
        )
    if not name.strip():
        raise DomainError("a campaign needs a name", code="name_required")
    if min(daily_target, weekly_target, monthly_target) < 1:
        raise DomainError("targets are positive numbers of sign-ups", code="invalid_target")
    if not daily_target <= weekly_target <= monthly_target:
        raise DomainError(
            "targets grow with the period: daily ≤ weekly ≤ monthly", code="inconsistent_targets"
        )
    return [
        CampaignOpened(
            campaign_id=campaign_id,
            district=district.path,
            name=name.strip(),
            daily_target=daily_target,
            weekly_target=weekly_target,
            monthly_target=monthly_target,
            starts_on=today,
        )
    ]


def decide_record_signups(
    state: Campaign | None, *, member_ids: tuple[str, ...], duplicates: int, today: date
) -> list[SignUpsRecorded]:
    if state is None:
        raise NotFound("no such campaign", code="campaign_not_found")
    if duplicates < 0:
        raise DomainError("a negative number of duplicates", code="invalid_duplicates")
    if not member_ids and not duplicates:
        return []
    return [SignUpsRecorded(on=today, member_ids=tuple(member_ids), duplicates=duplicates)]


def evolve_campaign(state: Campaign | None, event: CampaignEvent) -> Campaign | None:
    match event:
        case CampaignOpened():
            targets = Targets(event.daily_target, event.weekly_target, event.monthly_target)
            return Campaign(
                campaign_id=event.campaign_id,
                district=event.district,
                name=event.name,
                targets=targets,
                starts_on=event.starts_on,
            )
        case SignUpsRecorded() if state is not None:
            count = len(event.member_ids)
            return replace(
                state,
                per_day=_add(state.per_day, event.on, count),
                total=state.total + count,
                duplicates=state.duplicates + event.duplicates,
            )
    return state


def progress(state: Campaign, today: date) -> CampaignProgress:
    week, month = today.isocalendar()[:2], (today.year, today.month)
    on_day = sum(n for d, n in state.per_day if d == today)
    in_week = sum(n for d, n in state.per_day if d.isocalendar()[:2] == week)
    in_month = sum(n for d, n in state.per_day if (d.year, d.month) == month)
    t = state.targets
    return CampaignProgress(
        campaign_id=state.campaign_id,
        district=state.district,
        as_of=today,
        today=Tally(on_day, t.daily, on_day >= t.daily),
        this_week=Tally(in_week, t.weekly, in_week >= t.weekly),
        this_month=Tally(in_month, t.monthly, in_month >= t.monthly),
        total=state.total,
        duplicates=state.duplicates,
    )


def _add(
    per_day: tuple[tuple[date, int], ...], on: date, count: int
) -> tuple[tuple[date, int], ...]:
    """Add a day's count, keeping one entry per day in date order."""
    days = dict(per_day)
    days[on] = days.get(on, 0) + count
    return tuple(sorted(days.items()))
