"""QR sign-up campaigns (扫码入会): open a campaign, take a batch of sign-ups at once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from union_events.appending import AppendRequest
from union_events.commands import execute, load
from union_events.errors import ConcurrencyError, Conflict, DomainError, NotFound
from union_events.events import EventContext

from ..domain.campaign import Campaign, decide_open_campaign, decide_record_signups
from ..domain.identity import Identity, decide_claim
from ..domain.member import decide_register
from ..domain.orgs import Org
from ..privacy import PersonalData, identity_hash
from . import aggregates as agg
from .cards import new_card_no
from .handlers import IdentityClaim, Members, admissible, find_org, registration, stored


@dataclass
class SignUpResult:
    accepted: list[tuple[int, str, str]] = field(default_factory=list)  # (index, member, card)
    duplicates: list[int] = field(default_factory=list)  # indexes already members
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (index, reason)


async def open_campaign(
    m: Members,
    campaign_id: str,
    district: str,
    name: str,
    daily: int,
    weekly: int,
    monthly: int,
    today: date,
    ctx: EventContext,
) -> Campaign:
    org = await find_org(m.store, district)
    outcome = await execute(
        m.store,
        agg.campaigns,
        agg.campaign_stream(campaign_id),
        lambda existing: decide_open_campaign(
            existing,
            campaign_id=campaign_id,
            district=org,
            name=name,
            daily_target=daily,
            weekly_target=weekly,
            monthly_target=monthly,
            today=today,
        ),
        context=ctx,
    )
    assert outcome.state is not None
    return outcome.state


async def sign_up(
    m: Members,
    campaign_id: str,
    people: list[tuple[PersonalData, str]],
    today: date,
    ctx: EventContext,
) -> SignUpResult:
    """Register every new person of the batch in one transaction; people who are members
    already (or twice in the batch) count as duplicates; bad rows are rejected with a reason."""
    for _attempt in range(5):  # a concurrent registration of one of them: sort again
        try:
            return await _sign_up_once(m, campaign_id, people, today, ctx)
        except ConcurrencyError:
            continue
    raise Conflict(
        "the batch kept clashing with concurrent sign-ups; send it again", code="concurrent_signups"
    )


async def identities_of(m: Members, streams: list[str]) -> dict[str, tuple[Identity, int]]:
    """Each identity stream's holder and version, read at once (a number of an erased member
    is free again)."""
    found = await m.store.read_streams(streams) if streams else {}
    states: dict[str, tuple[Identity, int]] = {}
    for stream in streams:
        identity, version = Identity(), 0
        for recorded in found.get(stream, []):
            identity = agg.identities.evolve(
                identity, agg.identities.decode(recorded.type, recorded.data)
            )
            version = recorded.version
        states[stream] = (identity, version)
    return states


async def _sign_up_once(
    m: Members,
    campaign_id: str,
    people: list[tuple[PersonalData, str]],
    today: date,
    ctx: EventContext,
) -> SignUpResult:
    campaign, version = await load(m.store, agg.campaigns, agg.campaign_stream(campaign_id))
    if campaign is None:
        raise NotFound(f"no campaign {campaign_id}", code="campaign_not_found")
    result, fresh = SignUpResult(), []
    units: dict[str, Org | None] = {}
    seen: set[str] = set()
    for index, (data, unit_path) in enumerate(people):
        try:
            person = admissible(PersonalData(data.name, data.national_id, data.phone), today)
        except DomainError as exc:
            result.rejected.append((index, exc.message))
            continue
        if unit_path not in units:
            units[unit_path] = await find_org(m.store, unit_path)
        unit = units[unit_path]
        if unit is None or unit.level != "unit":
            result.rejected.append((index, f"unknown unit {unit_path!r}"))
            continue
        hashed = identity_hash(m.secrets, person.national_id)
        if hashed in seen:
            result.duplicates.append(index)
            continue
        seen.add(hashed)
        fresh.append((index, agg.identity_stream(hashed), person, unit_path))
    identities = await identities_of(m, [stream for _, stream, _, _ in fresh])
    requests: list[AppendRequest] = []
    newcomers = [f for f in fresh if identities[f[1]][0].holder is None]
    result.duplicates += [f[0] for f in fresh if identities[f[1]][0].holder is not None]
    ids = [str(uuid.uuid4()) for _ in newcomers]
    sealed = await m.vault.seal_many([(i, f[2]) for i, f in zip(ids, newcomers, strict=True)])
    for member_id, (index, stream, _p, unit_path), seal in zip(ids, newcomers, sealed, strict=True):
        card_no = new_card_no()
        try:
            events = decide_register(
                agg.members.initial(),
                member_id=member_id,
                card_no=card_no,
                unit=units[unit_path],
                sealed=seal,
                today=today,
                channel="qr_campaign",
            )
        except DomainError as exc:
            result.rejected.append((index, exc.message))
            continue
        identity, identity_version = identities[stream]
        claimed = tuple(decide_claim(identity, member_id=member_id))
        claim = IdentityClaim(stream, identity_version, claimed)
        requests += registration(claim, member_id, card_no, events, ctx)
        result.accepted.append((index, member_id, card_no))
    recorded = decide_record_signups(
        campaign,
        member_ids=tuple(a[1] for a in result.accepted),
        duplicates=len(result.duplicates),
        today=today,
    )
    if recorded:
        requests.append(
            AppendRequest(
                agg.campaign_stream(campaign_id), version, tuple(stored(e, ctx) for e in recorded)
            )
        )
    if requests:
        await m.store.append_batch(requests)
    return result
