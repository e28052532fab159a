"""How staff read values: dates 2026年5月1日, amounts ¥3,011.00, masked ID numbers and phones."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from union_events.clock import zone


def _instant(value: object, timezone: str) -> date | datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value.astimezone(zone(timezone)) if value.tzinfo else value
    return value if isinstance(value, date) else None


def date_cn(value: object, timezone: str = "Asia/Shanghai") -> str:
    """2026年5月1日 (a datetime in the federation's zone)."""
    moment = _instant(value, timezone)
    if moment is None:
        return ""
    return f"{moment.year}年{moment.month}月{moment.day}日"


def datetime_cn(value: object, timezone: str = "Asia/Shanghai") -> str:
    """2026年5月1日 14:05."""
    moment = _instant(value, timezone)
    if not isinstance(moment, datetime):
        return date_cn(moment, timezone)
    return f"{date_cn(moment, timezone)} {moment:%H:%M}"


def time_cn(value: object, timezone: str = "Asia/Shanghai") -> str:
    moment = _instant(value, timezone)
    return f"{moment:%H:%M}" if isinstance(moment, datetime) else ""


def yuan(value: object) -> str:
    """¥3,011.00 from a decimal string or number; empty for nothing."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def mask_id(value: str | None) -> str:
    """330902********1234: the region and the last four."""
    if not value:
        return ""
    return value[:6] + "*" * max(len(value) - 10, 0) + value[-4:] if len(value) > 10 else value


def mask_phone(value: str | None) -> str:
    """138****0000."""
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else value
