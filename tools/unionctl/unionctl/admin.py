"""`unionctl admin`: the console's first city admin, made directly in the console's database
(the same account rules and event log the console uses)."""

from __future__ import annotations

from pathlib import Path

from console.accounts.service import Issued
from console.bootstrap import open_accounts
from console.i18n import chinese_message
from console.settings import ConsoleSettings
from union_events.errors import DomainError


class AdminError(Exception):
    pass


def _settings(data_dir: Path) -> ConsoleSettings:
    """The console's settings from the environment (CONSOLE_DATABASE_URL…), this data dir."""
    return ConsoleSettings(data_dir=data_dir)


async def create_city_admin(data_dir: Path, user: str, org: str, name: str) -> Issued:
    accounts = await open_accounts(_settings(data_dir))
    try:
        return await accounts.create(
            None, username=user, display_name=name, role="city_admin", org=org
        )
    except DomainError as exc:
        raise AdminError(f"{exc.message} ({exc.code}: {chinese_message(exc.code)})") from exc
    finally:
        await accounts.store.close()


async def account_count(data_dir: Path) -> int:
    accounts = await open_accounts(_settings(data_dir))
    try:
        return await accounts.directory.count()
    finally:
        await accounts.store.close()
