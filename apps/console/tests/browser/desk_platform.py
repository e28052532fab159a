"""The console with members and the services of a desk (relief, outreach) as real processes on
one NATS (the embedded default), for the desks' browser tests: the city's orgs seeded through
members' API, and members registered there, which the other services hear of over NATS."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from console.settings import ConsoleSettings
from members.domain.national_id import make_national_id
from union_events.testing.tokens import token

from .claims_platform import ORGS, call
from .platform import Platform, Process, start

# How each service says it knows a member (relief and outreach hear them from members).
KNOWS_MEMBER = {
    "relief": "/members/{member_id}",
    "outreach": None,  # outreach has no member read: a hand-out or check-in tells
}


@dataclass
class DeskPlatform(Platform):
    services: dict[str, Process] = field(default_factory=dict)

    def admin_token(self) -> str:
        return token(self.data_dir, "city_admin", "zhoushan")

    def member(self, n: int, name: str) -> dict[str, str]:
        """A Dinghai member registered at members, once relief (if running) heard of them."""
        assert self.members is not None
        national_id = make_national_id("330902", date(1978, 6, 6), n)
        body = {"national_id": national_id, "name": name, "phone": "13700000000"}
        body["unit"] = "zhoushan/dinghai/fishery"
        status, created = call(self.members.url + "/members", "POST", self.admin_token(), body)
        assert status == 201, created
        for name_, process in self.services.items():
            path = KNOWS_MEMBER.get(name_)
            if path is None:
                continue
            deadline = time.monotonic() + 20
            known = process.url + path.format(member_id=created["member_id"])
            while call(known, "GET", self.admin_token())[0] != 200:
                assert time.monotonic() < deadline, f"{name_} never heard of the member"
                time.sleep(0.1)
        return {"member_id": created["member_id"], "card_no": created["card_no"]}

    def stop(self) -> None:
        self.console.stop()
        for process in (*self.services.values(), self.members):
            if process is not None:
                process.stop()


def start_desk_platform(root: Path, nats_url: str, services: tuple[str, ...]) -> DeskPlatform:
    data_dir = root / "data"
    data_dir.mkdir(parents=True)

    def env(name: str) -> dict[str, str]:
        return {
            "NATS_URL": nats_url,
            "UNION_DATA_DIR": str(data_dir),
            "SERVICE_NAME": name,
            "DATABASE_URL": f"sqlite+aiosqlite:///{data_dir / f'{name}.db'}",
            "OTEL_TRACES_EXPORTER": "none",
        }

    members = start("members", "members.main:app", env("members"), root)
    started = {name: start(name, f"{name}.main:app", env(name), root) for name in services}
    console_env = {"UNION_DATA_DIR": str(data_dir), "CONSOLE_MEMBERS_URL": members.url}
    console_env |= {f"CONSOLE_{name.upper()}_URL": p.url for name, p in started.items()}
    console = start("console", "console.main:app", console_env, root)
    running = DeskPlatform(
        data_dir, console, members, ConsoleSettings(data_dir=data_dir), services=started
    )
    try:
        members.wait_ready()
        for process in started.values():
            process.wait_ready()
        for path, name, level in ORGS:
            body = {"path": path, "name": name, "level": level}
            status, answer = call(members.url + "/orgs", "POST", running.admin_token(), body)
            assert status == 201, answer
        console.wait_ready()
    except BaseException:
        running.stop()
        raise
    return running
