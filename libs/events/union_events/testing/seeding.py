"""Set-up that cross-service tests share: a city's orgs registered in members and heard by
claims, the city's hospital registry claims files invoices against, plan years members has
heard of, members registered and enrolled, and a waiting claim.

Each helper takes the HTTP clients of the services it talks to (with a city admin's token, as
`service_client` gives) and asserts each answer, so a test reads as its scenario.
"""

from __future__ import annotations

import uuid
from typing import Any

from .people import person
from .plans import HOSPITAL_CODE, claim, plan_rules
from .waiting import eventually

CITY = "zhoushan"
HOSPITAL = {"code": HOSPITAL_CODE, "name": "舟山医院", "city": CITY}
ENROLMENT_NOTED = "union.claims.member.enrolment_noted.v1"


def city_orgs(
    *districts: str, units: tuple[str, ...] = ("u1",), points: tuple[str, ...] = ("center",)
) -> list[tuple[str, str]]:
    """(path, level) of zhoushan and, for each district, the district, its units and its
    service points, parents first: `city_orgs("dinghai")` is zhoushan, zhoushan/dinghai,
    zhoushan/dinghai/u1 and zhoushan/dinghai/center."""
    orgs = [(CITY, "city")]
    for district in districts:
        path = f"{CITY}/{district}"
        orgs.append((path, "district"))
        orgs += [(f"{path}/{unit}", "unit") for unit in units]
        orgs += [(f"{path}/{point}", "service_point") for point in points]
    return orgs


async def register_orgs(members: Any, orgs: list[tuple[str, str]]) -> None:
    """Each org registered in members (an HTTP client of the members service), named by its
    path."""
    for path, level in orgs:
        created = await members.post("/orgs", json={"path": path, "name": path, "level": level})
        assert created.status_code == 201, created.text


async def orgs_heard(claims: Any, *paths: str, timeout: float = 20) -> None:
    """Until claims (an HTTP client of the claims service, with a city admin's token) has heard
    of each org from members over NATS, polled with a deadline."""

    async def known() -> bool:
        for path in paths:
            if (await claims.get(f"/orgs/{path}")).status_code != 200:
                return False
        return True

    await eventually(known, timeout=timeout, message="claims heard the orgs from members")


async def claims_heard(claims: Any, *paths: str, timeout: float = 20) -> None:
    """Until claims has heard of each org (`orgs_heard`); then the city's hospital `ZS-001` is
    registered."""
    await orgs_heard(claims, *paths, timeout=timeout)
    hospital = {"name": HOSPITAL["name"], "city": HOSPITAL["city"]}
    registered = await claims.put(f"/hospitals/{HOSPITAL['code']}", json=hospital)
    assert registered.status_code == 200, registered.text


async def seeded_city(
    members: Any, claims: Any, orgs: list[tuple[str, str]], timeout: float = 20
) -> None:
    """The orgs registered in members, heard by claims, and the city's hospital registered in
    claims."""
    await register_orgs(members, orgs)
    await claims_heard(claims, *(path for path, _ in orgs), timeout=timeout)


async def plan_year_heard(
    members: Any, plan_id: str = "inpatient", year: int = 2026, timeout: float = 20
) -> None:
    """Until members has heard of claims' plan year over NATS: only then may a member be
    enrolled in it."""

    async def known() -> bool:
        return (await members.get(f"/plan-years/{plan_id}/{year}")).status_code == 200

    await eventually(known, timeout=timeout, message=f"members heard of {plan_id} {year}")


async def plan_year_set(
    claims: Any,
    members: Any,
    rules: dict[str, Any],
    plan_id: str = "inpatient",
    year: int = 2026,
    timeout: float = 20,
) -> None:
    """The plan year's rules set in claims, and heard by members."""
    answer = await claims.put(f"/plans/{plan_id}/years/{year}", json=rules)
    assert answer.status_code == 200, answer.text
    await plan_year_heard(members, plan_id, year, timeout)


async def registered_member(members: Any, n: int, unit: str, **details: Any) -> str:
    """The member id of person n (`people.person`, with `details`) registered in `unit`."""
    created = await members.post("/members", json=person(n, unit, **details))
    assert created.status_code == 201, created.text
    return str(created.json()["member_id"])


async def enrol(members: Any, member_id: str, plan_id: str = "inpatient", year: int = 2026) -> None:
    """The member enrolled in the plan year (members must have heard of it)."""
    body = {"plan_id": plan_id, "year": year}
    enrolled = await members.post(f"/members/{member_id}/enrolments", json=body)
    assert enrolled.status_code == 201, enrolled.text


async def claims_heard_enrolment(claims: Any, member_id: str) -> None:
    """Until claims (an in-process client: `service_client`) has noted an enrolment of the
    member from members' events, so that its claims are assessed at once."""
    runtime = claims._transport.app.state.runtime

    async def noted() -> bool:
        facts = await runtime.store.read_stream(f"member-{member_id}")
        return any(e.type == ENROLMENT_NOTED for e in facts)

    await eventually(noted, timeout=20, message="claims heard the enrolment")


# The plan year of `waiting_claim`s (kept by this name for the tests that use it).
CITY_POOLED_RULES = plan_rules()


def waiting_claim(number: str, service_point: str) -> dict[str, Any]:
    """A claim of a member claims has not heard of: it is filed and waits (claim.filed);
    `number` is its invoice number (unique per claim)."""
    member_id = str(uuid.uuid4())
    return claim(
        member_id, service_point, number, admitted_on="2026-03-01", discharged_on="2026-03-10"
    )
