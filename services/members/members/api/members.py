"""Members: register, read, transfer, leave, rejoin, enrol, erase personal data."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from union_events.auth import report_scope
from union_events.errors import NotFound
from union_events.http_deps import PageNo, PageSize, check_period

from ..app import aggregates as agg
from ..app import handlers
from ..privacy import PersonalData
from ..projections.movements import district_movements
from ..projections.queries import counts_per_district, members_of_unit
from .deps import (
    Context,
    CurrentPrincipal,
    MemberId,
    MembersDep,
    Today,
    authorize,
    load_member,
)
from .schemas import (
    DistrictCounts,
    DistrictMovements,
    EnrolIn,
    Enrolment,
    LeaveIn,
    MemberIn,
    MemberOut,
    MemberPage,
    Registered,
    RejoinIn,
    TransferIn,
)
from .shown import member_out, shown, states_of

router = APIRouter(tags=["members"])


@router.post("/members", status_code=201, response_model=Registered)
async def register(
    body: MemberIn, m: MembersDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> Registered:
    """Register a member (one per national ID; 409 with the existing member_id otherwise)."""
    authorize(who, "members.register", body.unit)
    data = PersonalData(body.name, body.national_id, body.phone, body.address)
    member_id, card_no = await handlers.register_member(m, data, body.unit, today, ctx)
    return Registered(member_id=member_id, card_no=card_no)


@router.get("/members", response_model=MemberPage)
async def list_members(
    m: MembersDep,
    who: CurrentPrincipal,
    unit: str = Query(min_length=1, max_length=200, description="org path of the unit"),
    page: PageNo = 1,
    size: PageSize = 50,
) -> MemberPage:
    """Members of a unit, page by page, each shown as `GET /members/{id}` shows it."""
    authorize(who, "members.read", unit)
    total, ids = await members_of_unit(m.store.engine, unit, page, size)
    members = await shown(m, who, await states_of(m, ids))
    return MemberPage(total=total, page=page, size=size, members=members)


@router.get("/members/by-card/{card_no}", response_model=MemberOut)
async def by_card(card_no: str, m: MembersDep, who: CurrentPrincipal) -> MemberOut:
    """A member by union card number (会员服务卡号)."""
    issued = await m.store.read_stream(agg.card_stream(card_no)) if card_no.isdigit() else []
    if not issued:
        raise NotFound(f"no member with card {card_no}", code="member_not_found")
    return await get_member(issued[0].data["member_id"], m, who)


@router.get("/members/{member_id}", response_model=MemberOut)
async def get_member(member_id: MemberId, m: MembersDep, who: CurrentPrincipal) -> MemberOut:
    """A member, with personal data unless it was erased (a member reads only their own).
    Staff of another district find the member by card or ID number (`POST /members/lookup`),
    in the withheld form."""
    state = await load_member(m, member_id)
    authorize(who, "members.read", state.unit, owner_member_id=member_id)
    return await _member_out(m, member_id)


@router.post("/members/{member_id}/transfer", response_model=MemberOut)
async def transfer(
    member_id: MemberId,
    body: TransferIn,
    m: MembersDep,
    who: CurrentPrincipal,
    today: Today,
    ctx: Context,
) -> MemberOut:
    """Move the member to another unit (and district); the history is kept."""
    authorize(who, "members.change", (await load_member(m, member_id)).unit)
    await handlers.transfer(m, member_id, body.unit, today, ctx)
    return await _member_out(m, member_id)


@router.post("/members/{member_id}/leave", response_model=MemberOut)
async def leave(
    member_id: MemberId,
    body: LeaveIn,
    m: MembersDep,
    who: CurrentPrincipal,
    today: Today,
    ctx: Context,
) -> MemberOut:
    """The member leaves the union."""
    authorize(who, "members.change", (await load_member(m, member_id)).unit)
    await handlers.leave(m, member_id, body.reason, today, ctx)
    return await _member_out(m, member_id)


@router.post("/members/{member_id}/rejoin", response_model=MemberOut)
async def rejoin(
    member_id: MemberId,
    body: RejoinIn,
    m: MembersDep,
    who: CurrentPrincipal,
    today: Today,
    ctx: Context,
) -> MemberOut:
    """A member who left joins again, in a unit of the caller's jurisdiction; history kept."""
    await load_member(m, member_id)
    authorize(who, "members.register", body.unit)
    await handlers.rejoin(m, member_id, body.unit, today, ctx)
    return await _member_out(m, member_id)


@router.post("/members/{member_id}/enrolments", status_code=201, response_model=Enrolment)
async def enrol(
    member_id: MemberId,
    body: EnrolIn,
    m: MembersDep,
    who: CurrentPrincipal,
    today: Today,
    ctx: Context,
) -> Enrolment:
    """Enrol the member in a plan year (参保); the insuring district is recorded."""
    authorize(who, "members.change", (await load_member(m, member_id)).unit)
    outcome = await handlers.enrol(m, member_id, body.plan_id, body.year, today, ctx)
    event = outcome.events[-1]
    return Enrolment(
        plan_id=body.plan_id, year=body.year, insuring_district=event.insuring_district
    )


@router.delete("/members/{member_id}/personal-data", response_model=MemberOut)
async def erase(
    member_id: MemberId, m: MembersDep, who: CurrentPrincipal, today: Today, ctx: Context
) -> MemberOut:
    """Erase the member's personal data for good (crypto-shredding); history stays."""
    authorize(who, "members.erase", (await load_member(m, member_id)).unit)
    await handlers.erase(m, member_id, today, ctx)
    return await _member_out(m, member_id)


@router.get("/stats/districts", response_model=list[DistrictCounts])
async def districts(m: MembersDep, who: CurrentPrincipal) -> list[dict[str, Any]]:
    """Members per district (active and left): city-wide figures."""
    authorize(who, "reports.read", None)
    return await counts_per_district(m.store.engine)


@router.get("/reports/districts", response_model=list[DistrictMovements])
async def district_report(
    m: MembersDep,
    who: CurrentPrincipal,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    district: Annotated[str | None, Query(max_length=200)] = None,
) -> list[dict[str, Any]]:
    """Per district and period: members active at its end, joined, left, moved in and out,
    enrolled per plan year (the city's districts, or one: by default the caller's own)."""
    check_period(start, end)
    return await district_movements(m.store.engine, start, end, report_scope(who, district))


async def _member_out(m: handlers.Members, member_id: str) -> MemberOut:
    """The member in full (the caller was authorized for it)."""
    state = await load_member(m, member_id)
    data = None if state.erased or not state.sealed else await m.vault.open(member_id, state.sealed)
    return member_out(member_id, state, data, full_id=True)
