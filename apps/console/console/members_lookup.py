"""A member as the desks (claims, relief, outreach) find one: by the union card number
(会员服务卡号), the ID number (身份证号) or the member id. Members finds a card or ID number
anywhere in the city (`POST /members/lookup`): a member of another district comes in the
withheld form (the name masked to the surname, the ID number masked), which is all the
desks need."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from .auth.sessions import Session, SessionStore
from .clients import Platform, ServiceError

MEMBER_ID: Final = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NOT_FOUND: Final = "没有找到该会员，请核对会员服务卡号或身份证号后重新输入。"


@dataclass(frozen=True)
class Found:
    member_id: str = ""
    member: dict[str, Any] | None = None  # what members shows (withheld for another district)
    problem: str = ""  # why no member was found, in Chinese
    note: str = ""  # found by id, but not readable here

    @property
    def elsewhere(self) -> bool:
        """A member of another district (members shows them withheld)."""
        return bool(self.member) and (self.member or {}).get("personal_data") == "withheld"


def number_key(ref: str) -> tuple[str, str] | None:
    """A card number (16 digits) or an ID number (18, the last may be X)."""
    digits = ref.replace(" ", "").replace("-", "").upper()
    if len(digits) == 16 and digits.isdigit():
        return "card_no", digits
    if len(digits) == 18 and digits[:17].isdigit():
        return "national_id", digits
    return None


async def find_member(platform: Platform, ref: str) -> Found:
    ref = ref.strip().lower()
    if not ref:
        return Found(problem="请填写会员服务卡号或身份证号")
    if MEMBER_ID.fullmatch(ref):
        try:
            return Found(ref, await platform.members.member(ref))
        except ServiceError as exc:
            if exc.status == 403:
                return Found(ref, note="该会员不属于本区县，此处不显示会员信息；按会员编号受理。")
            if exc.status == 404:
                return Found(problem="没有找到该会员编号，请核对后重新输入。")
            raise
    key = number_key(ref)
    if key is None:
        return Found(problem="会员服务卡号为 16 位数字，身份证号为 18 位；请核对后重新输入。")
    try:
        rows = await platform.members.lookup(*key)
    except ServiceError as exc:
        if exc.status >= 500 or exc.status in (401, 403):
            raise
        return Found(problem=exc.message)
    if not rows:
        return Found(problem=NOT_FOUND)
    return Found(str(rows[0]["member_id"]), rows[0])


async def remember(sessions: SessionStore, session: Session, found: Found, ref: str) -> None:
    """How a member of another district was found, to show them again on the next pages (on
    any console replica): kept in the session store, by the card number members showed (the
    ID number typed is not stored where a card number does as well)."""
    key = number_key(ref.strip())
    if not found.elsewhere or key is None:
        return
    card_no = str((found.member or {}).get("card_no") or "")
    if card_no.isdigit() and len(card_no) == 16:
        key = ("card_no", card_no)
    await sessions.remember_found(session, found.member_id, key)


async def shown_member(
    platform: Platform, sessions: SessionStore, session: Session, member_id: str
) -> dict[str, Any] | None:
    """What members shows of the member: the record in the clerk's jurisdiction, else the
    withheld form (masked name and ID number) of a member found in this session by card or
    ID number (on whichever replica)."""
    try:
        return await platform.members.member(member_id)
    except ServiceError as exc:
        if exc.status != 403:
            return None
    key = await sessions.found(session, member_id)
    if key is None:
        return None
    try:
        rows = await platform.members.lookup(*key)
    except ServiceError:
        return None
    return next((r for r in rows if r["member_id"] == member_id), None)
