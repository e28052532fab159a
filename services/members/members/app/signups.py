"""QR sign-up campaigns (扫码入会): open a campaign, take a batch of sign-ups at once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from union_events.commands import Work, execute, fold, run
from union_events.errors import ConcurrencyError, Conflict, DomainError, NotFound
from union_events.events import EventContext

from ..domain.campaign import Campaign, decide_open_campaign, decide_record_signups
from ..domain.identity import decide_claim
from ..domain.member import decide_register
from ..domain.orgs import Org
from ..privacy import PersonalData, identity_hash
from . import aggregates as agg
from .cards import new_card_no
from .handlers import Members, admissible, find_org, free_card, registration


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
    already (or twice in the batch) count as duplicates; bad rows are rejected with a reason.
    A concurrent registration of one of them sorts the batch again (`run`)."""
    chosen = Chosen()

    async def command(work: Work) -> SignUpResult:
        return await _sign_up(work, m, campaign_id, people, today, chosen)

    try:
        return await run(m.store, command, context=ctx)
    except ConcurrencyError as exc:  # still clashing after the last attempt
        raise Conflict(
            "the batch kept clashing with concurrent sign-ups; send it again",
            code="concurrent_signups",
        ) from exc


@dataclass
class Chosen:
    """Per identity stream, the new member's id and sealed data: chosen once, so a batch
    decided again seals nobody twice."""

    member_ids: dict[str, str] = field(default_factory=dict)
    sealed: dict[str, str] = field(default_factory=dict)


def new_cards(count: int) -> list[str]:
    """`count` distinct card numbers (two members of a batch never draw the same one)."""
    cards: set[str] = set()
    while len(cards) < count:
        cards.add(new_card_no())
    return list(cards)


async def _sign_up(
    work: Work,
    m: Members,
    campaign_id: str,
    people: list[tuple[PersonalData, str]],
    today: date,
    chosen: Chosen,
) -> SignUpResult:
    campaign = await work.load(agg.campaigns, agg.campaign_stream(campaign_id))
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
    streams = [stream for _, stream, _, _ in fresh]
    ids = {s: chosen.member_ids.setdefault(s, str(uuid.uuid4())) for s in streams}
    cards = dict(zip(streams, new_cards(len(streams)), strict=True))
    # One read: every identity stream and every new card's (appended at the versions read).
    found = await work.read(*streams, *(agg.card_stream(cards[s]) for s in streams))
    identities = {s: fold(agg.identities, found[s]) for s in streams}
    newcomers = [f for f in fresh if identities[f[1]].holder is None]
    result.duplicates += [f[0] for f in fresh if identities[f[1]].holder is not None]
    unsealed = [(s, p) for _, s, p, _ in newcomers if s not in chosen.sealed]
    sealed = await m.vault.seal_many([(ids[s], p) for s, p in unsealed])
    chosen.sealed.update(zip((s for s, _ in unsealed), sealed, strict=True))
    taken = set(cards.values())
    for index, stream, _person, unit_path in newcomers:
        member_id = ids[stream]
        card_no = await free_card(work, cards[stream], taken)
        taken.add(card_no)
        try:
            events = decide_register(
                agg.members.initial(),
                member_id=member_id,
                card_no=card_no,
                unit=units[unit_path],
                sealed=chosen.sealed[stream],
                today=today,
                channel="qr_campaign",
            )
        except DomainError as exc:
            result.rejected.append((index, exc.message))
            continue
        claimed = decide_claim(identities[stream], member_id=member_id)
        registration(work, stream, claimed, member_id, card_no, events)
        result.accepted.append((index, member_id, card_no))
    recorded = decide_record_signups(
        campaign,
        member_ids=tuple(a[1] for a in result.accepted),
        duplicates=len(result.duplicates),
        today=today,
    )
    work.emit(agg.campaigns, agg.campaign_stream(campaign_id), recorded)
    return result
