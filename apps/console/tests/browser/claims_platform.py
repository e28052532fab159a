"""The console with members and claims as real processes on one NATS (the embedded default),
for the claims desk's browser tests; the city's orgs, seeded through members' API, heard by
claims over NATS before a test begins."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from console.settings import ConsoleSettings
from members.domain.national_id import make_national_id
from union_events.testing.tokens import token

from .platform import _DIRECT, Platform, Process, start

ORGS = (
    ("zhoushan", "舟山市总工会", "city"),
    ("zhoushan/dinghai", "定海区总工会", "district"),
    ("zhoushan/putuo", "普陀区总工会", "district"),
    ("zhoushan/shengsi", "嵊泗县总工会", "district"),
    ("zhoushan/dinghai/center", "定海区职工服务中心", "service_point"),
    ("zhoushan/putuo/center", "普陀区职工服务中心", "service_point"),
    ("zhoushan/shengsi/center", "嵊泗县职工服务中心", "service_point"),
    ("zhoushan/dinghai/fishery", "定海渔业公司工会", "unit"),
)


def call(url: str, method: str, bearer: str, body: Any = None) -> tuple[int, Any]:
    """One JSON request to a service (the status and the body), as a seeding script makes."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with _DIRECT.open(request, timeout=10) as response:
            return int(response.status), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


@dataclass
class ClaimsPlatform(Platform):
    claims: Process | None = None

    def admin_token(self) -> str:
        return token(self.data_dir, "city_admin", "zhoushan")

    def enrolled_member(self, n: int, name: str, plan_id: str, year: int) -> dict[str, str]:
        """A Dinghai member registered and enrolled through members' API."""
        assert self.members is not None
        national_id = make_national_id("330902", date(1980, 2, 2), n)
        body = {"national_id": national_id, "name": name, "phone": "13600000000"}
        body["unit"] = "zhoushan/dinghai/fishery"
        status, created = call(self.members.url + "/members", "POST", self.admin_token(), body)
        assert status == 201, created
        deadline = time.monotonic() + 20  # members hears claims' plan years over NATS
        known = f"{self.members.url}/plan-years/{plan_id}/{year}"
        while call(known, "GET", self.admin_token())[0] != 200:
            assert time.monotonic() < deadline, f"members never heard of {plan_id} {year}"
            time.sleep(0.1)
        enrolment = {"plan_id": plan_id, "year": year}
        url = f"{self.members.url}/members/{created['member_id']}/enrolments"
        status, answer = call(url, "POST", self.admin_token(), enrolment)
        assert status == 201, answer
        found = {"member_id": created["member_id"], "card_no": created["card_no"]}
        return found | {"national_id": national_id}

    def stop(self) -> None:
        self.console.stop()
        for process in (self.claims, self.members):
            if process is not None:
                process.stop()


def start_claims_platform(root: Path, nats_url: str) -> ClaimsPlatform:
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
    claims = start("claims", "claims.main:app", env("claims"), root)
    console_env = {
        "UNION_DATA_DIR": str(data_dir),
        "CONSOLE_MEMBERS_URL": members.url,
        "CONSOLE_CLAIMS_URL": claims.url,
    }
    console = start("console", "console.main:app", console_env, root)
    running = ClaimsPlatform(
        data_dir, console, members, ConsoleSettings(data_dir=data_dir), claims=claims
    )
    try:
        members.wait_ready()
        claims.wait_ready()
        bearer = running.admin_token()
        for path, name, level in ORGS:
            body = {"path": path, "name": name, "level": level}
            status, answer = call(members.url + "/orgs", "POST", bearer, body)
            assert status == 201, answer
        deadline = time.monotonic() + 30
        for path, _, _ in ORGS:  # claims hears them from members, over NATS
            while call(f"{claims.url}/orgs/{path}", "GET", bearer)[0] != 200:
                assert time.monotonic() < deadline, f"claims never heard of {path}"
                time.sleep(0.2)
        console.wait_ready()
    except BaseException:
        running.stop()
        raise
    return running
