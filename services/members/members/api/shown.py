"""How a member is shown: one shape (`MemberOut`) for every read, with what the caller's
jurisdiction allows of it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from union_events.auth import Principal, authorize
from union_events.errors import Forbidden

from ..app import aggregates as agg
from ..app.handlers import Members
from ..domain.member import Member
from ..privacy import PersonalData
from .schemas import Enrolment, MemberOut

Visibility = Literal["full", "limited"]


def visibility(who: Principal, state: Member) -> Visibility | None:
    """`full` when the caller may read the member (their jurisdiction, or their own record);
    `limited` for staff of another district of the same city, who file and pay claims for
    members insured anywhere in the city (ids, status, org paths and enrolments, no personal
    data); None otherwise."""
    try:
        authorize(who, "members.read", state.unit, owner_member_id=state.member_id)
        return "full"
    except Forbidden:
        pass
    try:
        authorize(who, "claims.file", state.unit, cross_district=True)
        return "limited"
    except Forbidden:
        return None


async def states_of(m: Members, member_ids: Sequence[str]) -> dict[str, Member]:
    """The members' states from the log (one read), those that exist."""
    streams = await m.store.read_streams([agg.member_stream(i) for i in member_ids])
    states: dict[str, Member] = {}
    for member_id in member_ids:
        state = agg.members.initial()
        for recorded in streams.get(agg.member_stream(member_id), []):
            state = agg.members.evolve(state, agg.members.decode(recorded.type, recorded.data))
        if state.member_id is not None:
            states[member_id] = state
    return states


async def shown(
    m: Members, who: Principal, states: dict[str, Member], *, limited: bool = False
) -> list[MemberOut]:
    """The members the caller may see, in the order given; with `limited`, also those of other
    districts of the city in the limited form."""
    seen: list[tuple[str, Member, Visibility]] = []
    for member_id, state in states.items():
        level = visibility(who, state)
        if level == "full" or (level == "limited" and limited):
            seen.append((member_id, state, level))
    sealed = [(i, s.sealed) for i, s, _ in seen if s.sealed]
    opened = await m.vault.open_many(sealed) if sealed else {}
    return [member_out(i, s, opened.get(i), withheld=level == "limited") for i, s, level in seen]


def member_out(
    member_id: str,
    state: Member,
    data: PersonalData | None,
    *,
    withheld: bool = False,
    full_id: bool = False,
) -> MemberOut:
    """`full_id`: the ID number in full, for the one record read (`GET /members/{id}` and the
    answers of commands on it); lists and lookups carry it masked only."""
    erased = state.erased or (data is None and not withheld)
    return MemberOut(
        member_id=member_id,
        card_no=state.card_no or "",
        status=state.status,  # type: ignore[arg-type]
        unit=state.unit or "",
        district=state.district or "",
        joined_on=state.units[0][1] if state.units else None,
        erased=state.erased,
        personal_data="withheld" if withheld else "erased" if erased else "shown",
        # Staff of another district who pay the member's claim see the name and ID number
        # masked, to match the person at the desk with their card, and nothing more.
        name=(mask_name(data.name) if withheld else data.name) if data else None,
        # In full only where the member is seen in full (the record page of the jurisdiction).
        national_id=data.national_id if full_id and data and not withheld and not erased else None,
        national_id_masked=mask(data.national_id) if data else None,
        phone=None if withheld else data.phone if data else None,
        address=None if withheld else data.address if data else None,
        units=[] if withheld else list(state.units),
        enrolments=[
            Enrolment(plan_id=p, year=y, insuring_district=d)
            for p, y, d in state.enrolment_districts
        ],
    )


def mask_name(name: str) -> str:
    """李海涛 → 李**: the surname only."""
    return name[:1] + "*" * (len(name) - 1)


def mask(national_id: str) -> str:
    return national_id[:6] + "*" * 8 + national_id[-4:]


def mask_phone(phone: str) -> str:
    """13912345678 → 139****5678."""
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:] if len(phone) > 7 else "*" * len(phone)
