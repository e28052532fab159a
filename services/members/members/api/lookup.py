"""Finding a member at the desk (查找会员): by national ID number, card number, name or phone,
in a POST body (URLs end up in logs)."""

from __future__ import annotations

from fastapi import APIRouter
from union_events.auth import permitted
from union_events.errors import DomainError

from ..app import aggregates as agg
from ..app.handlers import Members, identity_of
from ..domain.national_id import validate_national_id
from ..domain.person import normalize_phone
from ..privacy import blind_index, normalize_name
from ..projections.lookup_index import members_matching
from .deps import CurrentPrincipal, MembersDep, Today
from .schemas import LookupIn, MemberMatches
from .shown import shown, states_of

router = APIRouter(tags=["members"])

KEYS = ("national_id", "card_no", "name", "phone")
MOST = 50  # matches shown for a name or a phone


@router.post("/members/lookup", response_model=MemberMatches)
async def lookup(
    body: LookupIn, m: MembersDep, who: CurrentPrincipal, today: Today
) -> MemberMatches:
    """Find members by exactly one of national_id, card_no (anywhere in the city: another
    district's member shows without personal data), name or phone (within the caller's
    jurisdiction, by blind index). No match is an empty list."""
    given = [key for key in KEYS if getattr(body, key) is not None]
    if len(given) != 1:
        raise DomainError(
            "give exactly one of national_id, card_no, name or phone", code="invalid_lookup"
        )
    permitted(who, "members.read")
    key, value = given[0], str(getattr(body, given[0]))
    if key == "national_id":
        _, identity, _ = await identity_of(m, validate_national_id(value, today))
        ids = [identity.holder] if identity.holder else []
    elif key == "card_no":
        ids = await holder_of_card(m, value)
    else:
        normalized = normalize_phone(value) if key == "phone" else normalize_name(value)
        if not normalized:
            raise DomainError("a name to look up has at least one letter", code="invalid_lookup")
        scope = None if who.role == "member" else who.scope
        digest = blind_index(m.secrets, key, normalized)
        ids = await members_matching(m.store.engine, key, digest, scope, MOST)
    found = await shown(m, who, await states_of(m, ids), limited=key in ("national_id", "card_no"))
    return MemberMatches(total=len(found), members=found)


async def holder_of_card(m: Members, card_no: str) -> list[str]:
    """The member holding a union card number (spaces and dashes allowed)."""
    digits = card_no.replace(" ", "").replace("-", "")
    if len(digits) != 16 or not digits.isascii() or not digits.isdigit():
        raise DomainError("a union card number has 16 digits", code="invalid_card_no")
    issued = await m.store.read_stream(agg.card_stream(digits))
    return [issued[0].data["member_id"]] if issued else []
