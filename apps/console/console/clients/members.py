"""The members service's API, as the console uses it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import ServiceClient, ServiceError


@dataclass(frozen=True)
class Org:
    path: str
    name: str
    level: str


class MembersClient(ServiceClient):
    service = "members"

    async def org(self, path: str) -> Org | None:
        """One org of the registry, None when it is not registered."""
        try:
            body = await self._call("GET", f"/orgs/{path}")
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise
        return _org(body)

    async def orgs(self, *, parent: str | None = None, level: str | None = None) -> list[Org]:
        params = {k: v for k, v in {"parent": parent, "level": level}.items() if v}
        return [_org(row) for row in await self._call("GET", "/orgs", params=params)]

    async def member(self, member_id: str) -> dict[str, Any]:
        body: dict[str, Any] = await self._call("GET", f"/members/{member_id}")
        return body

    # the members desk: lookups keep the ID number and the phone in the body, never a URL

    async def lookup(self, key: str, value: str) -> list[dict[str, Any]]:
        """Members by exactly one of national_id, card_no, name or phone."""
        body = await self._call("POST", "/members/lookup", json={key: value})
        return list(body["members"])

    async def register(self, *, national_id: str, name: str, phone: str, unit: str) -> Any:
        """201 {member_id, card_no}; a ServiceError 409 `member_exists` names the holder."""
        person = {"national_id": national_id, "name": name, "phone": phone, "unit": unit}
        return await self._call("POST", "/members", json=person)

    async def members_of_unit(self, unit: str, page: int = 1, size: int = 200) -> dict[str, Any]:
        params = {"unit": unit, "page": page, "size": size}
        body: dict[str, Any] = await self._call("GET", "/members", params=params)
        return body

    async def transfer(self, member_id: str, unit: str) -> Any:
        return await self._call("POST", f"/members/{member_id}/transfer", json={"unit": unit})

    async def leave(self, member_id: str, reason: str) -> Any:
        return await self._call("POST", f"/members/{member_id}/leave", json={"reason": reason})

    async def rejoin(self, member_id: str, unit: str) -> Any:
        return await self._call("POST", f"/members/{member_id}/rejoin", json={"unit": unit})

    async def enrol(self, member_id: str, plan_id: str, year: int) -> Any:
        body = {"plan_id": plan_id, "year": year}
        return await self._call("POST", f"/members/{member_id}/enrolments", json=body)

    async def erase(self, member_id: str) -> Any:
        return await self._call("DELETE", f"/members/{member_id}/personal-data")

    # QR enrolment drives (扫码入会)

    async def campaigns(
        self, district: str | None = None, page: int = 1, size: int = 20
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"page": page, "size": size}
        if district:
            params["district"] = district
        body: dict[str, Any] = await self._call("GET", "/campaigns", params=params)
        return body

    async def campaign(self, campaign_id: str) -> dict[str, Any]:
        body: dict[str, Any] = await self._call("GET", f"/campaigns/{campaign_id}")
        return body

    async def open_campaign(self, body: dict[str, Any]) -> dict[str, Any]:
        opened: dict[str, Any] = await self._call("POST", "/campaigns", json=body)
        return opened

    async def campaign_progress(self, campaign_id: str) -> dict[str, Any]:
        body: dict[str, Any] = await self._call("GET", f"/campaigns/{campaign_id}/progress")
        return body

    async def campaign_signups(
        self, campaign_id: str, page: int = 1, size: int = 20
    ) -> dict[str, Any]:
        params = {"page": page, "size": size}
        path = f"/campaigns/{campaign_id}/signups"
        body: dict[str, Any] = await self._call("GET", path, params=params)
        return body

    async def plan_years(self) -> list[dict[str, Any]]:
        return list((await self._call("GET", "/plan-years"))["plan_years"])

    async def district_report(
        self, period: dict[str, str], district: str | None
    ) -> list[dict[str, Any]]:
        """`GET /reports/districts`: per district, active, joined, left, moved, enrolled."""
        params = period | ({"district": district} if district else {})
        body: list[dict[str, Any]] = await self._call("GET", "/reports/districts", params=params)
        return body


def _org(body: dict[str, Any]) -> Org:
    return Org(str(body["path"]), str(body["name"]), str(body["level"]))
