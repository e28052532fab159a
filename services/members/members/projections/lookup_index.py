"""Blind indexes for finding members by name or phone without keeping either (查找会员).

`member_index` holds, per member, the HMAC of the normalized name and of the normalized phone
under the blind-index key (an HKDF sub-key of the members secret, `privacy.blind_index`), never
the values. It is built from the log by opening each registration's sealed data with the
member's own key: an erased member's key is gone, so a rebuild cannot index them, and the live
index drops their rows when the erasure is recorded. Nothing searchable of an erased person
stays in this table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Column, String, Table, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from union_events.errors import DomainError
from union_events.events import RecordedEvent

from ..domain.person import normalize_phone
from ..privacy import KeyVault, PersonalData, Secrets, blind_index, normalize_name
from .views import members_view, views

member_index = Table(
    "member_index",
    views,
    Column("member_id", String(64), primary_key=True),
    Column("field", String(16), primary_key=True),  # name | phone
    Column("digest", String(64), nullable=False, index=True),
)
_REGISTERED = "union.members.member.registered.v1"
_ERASED = "union.members.member.personal_data_erased.v1"

Keys = tuple[KeyVault, Secrets]


def digests(secrets: Secrets, data: PersonalData) -> dict[str, str]:
    """The blind indexes of one person's data."""
    try:
        phone = normalize_phone(data.phone)
    except DomainError:  # a phone stored before the rule: indexed as it was
        phone = data.phone
    return {
        "name": blind_index(secrets, "name", normalize_name(data.name)),
        "phone": blind_index(secrets, "phone", phone),
    }


class MemberIndexView:
    """The blind indexes; `keys()` gives the vault and the secrets (wired at start-up)."""

    name = "member-index-view"
    tables: Sequence[Table] = (member_index,)
    event_types = (_REGISTERED, _ERASED)  # the only ones read from the log

    def __init__(self, keys: Callable[[AsyncEngine], Keys]) -> None:
        self._keys = keys

    async def apply_batch(self, conn: AsyncConnection, batch: Sequence[RecordedEvent]) -> None:
        registered: list[tuple[str, str]] = []  # (member id, sealed), in order
        for recorded in batch:
            if recorded.type == _REGISTERED:
                registered.append((recorded.data["member_id"], recorded.data["sealed"]))
            elif recorded.type == _ERASED:
                await self._index(conn, registered)
                registered = []
                member_id = recorded.stream_id.removeprefix("member-")
                await conn.execute(
                    delete(member_index).where(member_index.c.member_id == member_id)
                )
        await self._index(conn, registered)

    async def apply(self, conn: AsyncConnection, recorded: RecordedEvent) -> None:
        await self.apply_batch(conn, [recorded])

    async def _index(self, conn: AsyncConnection, registered: list[tuple[str, str]]) -> None:
        if not registered:
            return
        vault, secrets = self._keys(conn.engine)
        opened = await vault.open_many(registered)
        rows = [
            {"member_id": member_id, "field": field, "digest": digest}
            for member_id, data in opened.items()
            if data is not None  # erased since: nothing to index
            for field, digest in digests(secrets, data).items()
        ]
        if rows:
            await conn.execute(insert(member_index), rows)


async def members_matching(
    engine: AsyncEngine, field: str, digest: str, scope: str | None, limit: int
) -> list[str]:
    """Ids of the members whose `field` has this blind index, in `scope` (an org path: its
    districts and units; None: anywhere), oldest first."""
    query = (
        select(member_index.c.member_id)
        .join(members_view, members_view.c.member_id == member_index.c.member_id)
        .where(member_index.c.field == field, member_index.c.digest == digest)
        .order_by(members_view.c.joined_on, members_view.c.member_id)
        .limit(limit)
    )
    if scope is not None:
        query = query.where(
            _within(members_view.c.district, scope) | _within(members_view.c.unit, scope)
        )
    async with engine.connect() as conn:
        return [row[0] for row in await conn.execute(query)]


def _within(column: Any, scope: str) -> Any:
    return (column == scope) | column.startswith(scope + "/", autoescape=True)
