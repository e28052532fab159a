"""QR sign-up campaigns (扫码入会) with daily, weekly and monthly targets."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from union_events.commands import load
from union_events.errors import DomainError, NotFound
from union_events.errors_http import ErrorBody

from ..app import aggregates as agg
from ..app.handlers import Members
from ..app.signups import open_campaign, sign_up
from ..domain.campaign import Campaign, progress
from ..privacy import PersonalData
from .deps import Context, CurrentPrincipal, MembersDep, SettingsDep, Today, authorize
from .schemas import (
    CampaignIn,
    CampaignOpened,
    CampaignProgressOut,
    SignedUp,
    SignUpBatch,
    SignUpOut,
    SignUpRefused,
)

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


class BatchTooLarge(DomainError):
    status = 413
    code = "batch_too_large"


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
    campaign_id: str, m: MembersDep, who: CurrentPrincipal, today: Today
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
