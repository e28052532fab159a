"""What the members desk's browser tests start from: units, a plan year members has heard of
(claims' `plan_year.set`, published as claims' relay would), members registered over the API."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from members.domain.national_id import make_national_id
from union_events.clock import today
from union_events.published.claims import PlanYearSet
from union_events.testing.jetstream import publish_event
from union_events.testing.tokens import token

from .platform import _DIRECT, Platform

UNITS = (
    ("zhoushan/dinghai/shipyard", "定海船舶修造有限公司工会"),
    ("zhoushan/dinghai/fishery", "定海海洋渔业公司工会"),
    ("zhoushan/putuo/port", "普陀港务公司工会"),
)
# The federation's current year: enrolment in it is open until its last day.
PLAN_ID, YEAR = "inpatient", today("Asia/Shanghai").year


def national_id(sequence: int) -> str:
    """A valid Dinghai (330902) ID number, one per sequence."""
    return make_national_id("330902", date(1986, 4, 12), sequence)


def call(platform: Platform, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """The members service as a city admin (set-up only: the tests drive the console)."""
    assert platform.members is not None
    bearer = token(platform.data_dir, "city_admin", "zhoushan")
    request = urllib.request.Request(
        platform.members.url + path,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"},
    )
    try:
        with _DIRECT.open(request, timeout=10) as response:
            return int(response.status), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def register(platform: Platform, sequence: int, name: str, unit: str, phone: str) -> dict[str, str]:
    person = {"national_id": national_id(sequence), "name": name, "phone": phone, "unit": unit}
    status, body = call(platform, "POST", "/members", person)
    assert status == 201, body
    return dict(body)


def set_up(platform: Platform, nats_url: str) -> None:
    for path, name in UNITS:
        org = {"path": path, "name": name, "level": "unit"}
        status, body = call(platform, "POST", "/orgs", org)
        assert status == 201, body
    data = {"plan_id": PLAN_ID, "year": YEAR, "enrolment_closes_on": f"{YEAR}-12-31"}
    publish = publish_event(
        nats_url, "/union/claims", f"plan-{PLAN_ID}-{YEAR}", f"{PlanYearSet.event_name}.v1", data
    )
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's loop
        thread.submit(asyncio.run, publish).result()
    deadline = time.monotonic() + 30
    while call(platform, "GET", f"/plan-years/{PLAN_ID}/{YEAR}")[0] != 200:
        assert time.monotonic() < deadline, "members never heard of the plan year"
        time.sleep(0.1)
