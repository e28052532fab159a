"""QR sign-up campaigns (扫码入会) with daily, weekly and monthly targets."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from union_events.commands import load
from union_events.errors import DomainError, NotFound
from union_events.errors_http import ErrorBody
from union_events.http_deps import PageNo, PageSize
from union_events.orgs import validate_org_path

from ..app import aggregates as agg
from ..app.handlers import Members
from ..app.signups import open_campaign, sign_up
from ..domain.campaign import Campaign, progress
from ..privacy import PersonalData
from ..projections.campaigns import campaigns_of, signups_of
from .deps import Context, CurrentPrincipal, MembersDep, SettingsDep, Today, authorize
from .schemas import (
    CampaignDetailOut,
    CampaignIn,
    CampaignOpened,
    CampaignPage,
    CampaignProgressOut,
    CampaignSignUpOut,
    CampaignSignUpPage,
    DayCount,
    SignedUp,
    SignUpBatch,
    SignUpOut,
    SignUpRefused,
)
from .shown import mask_phone, shown, states_of

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


class BatchTooLarge(DomainError):
    status = 413
    code = "batch_too_large"


_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


async def _campaign_id(
    campaign_id: Annotated[str, Path(max_length=64, description="e.g. riders-2026")],
) -> str:
    """A campaign id as `POST /campaigns` allows them; 422 `invalid_campaign_id` otherwise."""
    if not (campaign_id[:1].isalnum() and all(c in _ID_CHARS for c in campaign_id)):
        raise DomainError(
            "a campaign id is lower-case letters, digits and '-', starting with a letter or a "
            "digit, e.g. 'riders-2026'",
            code="invalid_campaign_id",
        )
    return campaign_id


CampaignId = Annotated[str, Depends(_campaign_id)]


@router.get("")
async def list_campaigns(
    request: Request,
    who: CurrentPrincipal,
    district: Annotated[
        str | None,
        Query(
            max_length=200,
            description="a district (zhoushan/dinghai) or a city (zhoushan, every district); "
            "the caller's jurisdiction when left out",
        ),
    ] = None,
    page: PageNo = 1,
    size: PageSize = 50,
) -> CampaignPage:
    """The QR sign-up campaigns of a district (or a city's), newest first, page by page."""
    org = who.scope if district is None else validate_org_path(district, what="district")
    if org.count("/") > 1:
        raise DomainError(
            f"district {district!r} must name a district or a city, e.g. 'zhoushan/dinghai'",
            code="invalid_org_path",
        )
    authorize(who, "members.read", org)
    total, rows = await campaigns_of(request.app.state.runtime.store.engine, org, page, size)
    return CampaignPage.model_validate(
        {"total": total, "page": page, "size": size, "campaigns": rows}
    )


@router.get("/{campaign_id}")
async def get_campaign(
    campaign_id: CampaignId, m: MembersDep, who: CurrentPrincipal
) -> CampaignDetailOut:
    """One campaign: its district, name, targets, the day it opened and its totals (from the
    log, as one member is: consistent right after it was opened)."""
    state = await _campaign(m, campaign_id)
    authorize(who, "members.read", state.district)
    t = state.targets
    return CampaignDetailOut(
        campaign_id=state.campaign_id,
        district=state.district,
        name=state.name,
        daily_target=t.daily,
        weekly_target=t.weekly,
        monthly_target=t.monthly,
        starts_on=state.starts_on.isoformat(),
        total=state.total,
        duplicates=state.duplicates,
        days=[DayCount(on=on.isoformat(), count=n) for on, n in state.per_day],
    )


@router.get("/{campaign_id}/signups")
async def list_signups(
    campaign_id: CampaignId,
    request: Request,
    m: MembersDep,
    who: CurrentPrincipal,
    page: PageNo = 1,
    size: PageSize = 50,
) -> CampaignSignUpPage:
    """The people who signed up through the campaign, the latest first, page by page: name,
    card, unit, the ID number and the phone masked."""
    authorize(who, "members.read", (await _campaign(m, campaign_id)).district)
    engine = request.app.state.runtime.store.engine
    total, page_rows = await signups_of(engine, campaign_id, page, size)
    days = dict(page_rows)
    members = await shown(m, who, await states_of(m, [i for i, _ in page_rows]))
    signups = [
        CampaignSignUpOut(
            member_id=out.member_id,
            card_no=out.card_no,
            name=out.name,
            national_id_masked=out.national_id_masked,
            phone_masked=mask_phone(out.phone) if out.phone else None,
            unit=out.unit,
            status=out.status,
            signed_up_on=days[out.member_id],
        )
        for out in members
    ]
    return CampaignSignUpPage(
        total=total, page=page, size=size, campaign_id=campaign_id, signups=signups
    )


@router.post("", status_code=201)
async def create(
    body: CampaignIn, m: MembersDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> CampaignOpened:
    """Open a sign-up campaign in a district, with its targets (日过百、周过千、月达万)."""
    authorize(who, "signups.open", body.district)
    campaign = await open_campaign(
        m,
        body.campaign_id,
        body.district,
        body.name,
        body.daily_target,
        body.weekly_target,
        body.monthly_target,
        today,
        ctx,
    )
    return CampaignOpened(campaign_id=campaign.campaign_id, district=campaign.district)


@router.post(
    "/{campaign_id}/signups",
    response_model=SignUpOut,
    responses={
        413: {
            "model": ErrorBody,
            "description": "More sign-ups than one batch may hold (`batch_too_large`), or a "
            "body over MEMBERS_SIGNUP_MAX_BODY_BYTES (`body_too_large`)",
        }
    },
)
async def signups(
    campaign_id: str,
    body: SignUpBatch,
    m: MembersDep,
    who: CurrentPrincipal,
    settings: SettingsDep,
    today: Today,
    ctx: Context,
) -> SignUpOut:
    """Take a batch of QR sign-ups; existing members count as duplicates."""
    authorize(who, "signups.take", (await _campaign(m, campaign_id)).district)
    if len(body.signups) > settings.signup_batch_limit:
        raise BatchTooLarge(
            f"{len(body.signups)} sign-ups in one batch; at most {settings.signup_batch_limit}",
            limit=settings.signup_batch_limit,
        )
    people = [(PersonalData(s.name, s.national_id, s.phone), s.unit) for s in body.signups]
    result = await sign_up(m, campaign_id, people, today, ctx)
    return SignUpOut(
        accepted=len(result.accepted),
        duplicates=len(result.duplicates),
        rejected=[SignUpRefused(index=i, reason=r) for i, r in result.rejected],
        members=[SignedUp(index=i, member_id=mid, card_no=c) for i, mid, c in result.accepted],
    )


@router.get("/{campaign_id}/progress")
async def campaign_progress(
    campaign_id: CampaignId, m: MembersDep, who: CurrentPrincipal, today: Today
) -> CampaignProgressOut:
    """Sign-ups today, this week and this month against the targets."""
    state = await _campaign(m, campaign_id)
    authorize(who, "members.read", state.district)
    return CampaignProgressOut.model_validate(asdict(progress(state, today)))


async def _campaign(m: Members, campaign_id: str) -> Campaign:
    state, _ = await load(m.store, agg.campaigns, agg.campaign_stream(campaign_id))
    if state is None:
        raise NotFound(f"no campaign {campaign_id}", code="campaign_not_found")
    return state
