"""An account's events in the words of the account page: when, what, by whom."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..i18n import label
from ..web.formats import datetime_cn
from . import events as e
from .service import HistoryEntry


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    what: str
    by: str


def describe(
    entry: HistoryEntry,
    name_of: Callable[[str], str],
    timezone: str,
    org_name: Callable[[str], str] = str,
) -> HistoryRow:
    event = entry.event
    match event:
        case e.AccountCreated():
            what = f"新建账号：{label(event.role)}，所属单位 {org_name(event.org)}"
            return HistoryRow(event.at, what, _by(event.by, name_of))
        case e.PasswordChanged():
            return HistoryRow(event.at, "本人修改密码", "本人")
        case e.PasswordReset():
            return HistoryRow(event.at, "重置密码（发放一次性密码）", _by(event.by, name_of))
        case e.AccountDisabled():
            return HistoryRow(event.at, "停用账号", _by(event.by, name_of))
        case e.AccountEnabled():
            return HistoryRow(event.at, "启用账号", _by(event.by, name_of))
        case e.SignInFailed():
            return HistoryRow(event.at, "登录失败（密码错误）", "本人")
        case e.AccountLocked():
            what = f"连续密码错误，账号锁定至 {datetime_cn(event.until, timezone)}"
            return HistoryRow(event.at, what, "系统")
        case e.SignedIn():
            return HistoryRow(event.at, "登录", "本人")
    raise AssertionError(f"unknown event {entry.type}")


def _by(account_id: str, name_of: Callable[[str], str]) -> str:
    return "运维人员（unionctl）" if account_id == "unionctl" else name_of(account_id)
