"""The claims service's API, as the console uses it (the claims desk's calls)."""

from __future__ import annotations

from typing import Any

import httpx

from .base import ServiceClient, TokenSource
from .shared_reads import SharedReads

JSON = dict[str, Any]


class ClaimsClient(ServiceClient):
    service = "claims"

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        token: TokenSource,
        shared: SharedReads | None = None,
    ) -> None:
        super().__init__(http, base_url, token)
        self.shared = shared or SharedReads(ttl_s=0)  # none given: every read asks

    async def claim(self, claim_id: str) -> JSON:
        body: JSON = await self._call("GET", f"/claims/{claim_id}")
        return body

    async def claims(self, **filters: Any) -> JSON:
        """`GET /claims`: status, district, service_point, role, filed_on,
        filed_from, filed_to (inclusive), page, size."""
        params = {k: v for k, v in filters.items() if v not in (None, "")}
        body: JSON = await self._call("GET", "/claims", params=params)
        return body

    async def claims_of_member(self, member_id: str, *, page: int = 1, size: int = 100) -> JSON:
        params = {"page": page, "size": size}
        body: JSON = await self._call("GET", f"/members/{member_id}/claims", params=params)
        return body

    async def payable_claims(self, member_id: str, service_point: str) -> JSON:
        """The member's approved claims, city-wide, that `service_point` may pay today."""
        params = {"service_point": service_point}
        body: JSON = await self._call("GET", f"/members/{member_id}/payable-claims", params=params)
        return body

    async def usage(self, member_id: str, plan_id: str, year: int) -> JSON:
        """What the member has used of the plan year's annual cap, and what remains."""
        path = f"/members/{member_id}/plans/{plan_id}/years/{year}/usage"
        body: JSON = await self._call("GET", path)
        return body

    async def file(self, claim: JSON) -> JSON:
        body: JSON = await self._call("POST", "/claims", json=claim)
        return body

    async def resubmit(self, claim_id: str, correction: JSON) -> JSON:
        """A returned claim filed again, corrected, under the same claim id."""
        body: JSON = await self._call("POST", f"/claims/{claim_id}/resubmission", json=correction)
        return body

    async def approve(self, claim_id: str) -> JSON:
        body: JSON = await self._call("POST", f"/claims/{claim_id}/approve", json={})
        return body

    async def reject(self, claim_id: str, code: str, reason: str) -> JSON:
        payload = {"code": code, "reason": reason}
        body: JSON = await self._call("POST", f"/claims/{claim_id}/reject", json=payload)
        return body

    async def return_to_filer(self, claim_id: str, code: str, reason: str) -> JSON:
        payload = {"code": code, "reason": reason}
        body: JSON = await self._call("POST", f"/claims/{claim_id}/return", json=payload)
        return body

    async def pay(self, claim_id: str, service_point: str) -> JSON:
        payload = {"service_point": service_point}
        body: JSON = await self._call("POST", f"/claims/{claim_id}/payment", json=payload)
        return body

    async def rules(self, plan_id: str, year: int) -> JSON:
        path = f"/plans/{plan_id}/years/{year}"
        body: JSON = await self.shared.get(path, lambda: self._call("GET", path))
        return body

    async def set_rules(self, plan_id: str, year: int, rules: JSON) -> JSON:
        path = f"/plans/{plan_id}/years/{year}"
        body: JSON = await self._call("PUT", path, json=rules)
        self.shared.forget(path)
        return body

    async def hospitals(self, *, page: int = 1, size: int = 500) -> JSON:
        params = {"page": page, "size": size}
        key = f"/hospitals?page={page}&size={size}"
        fetch = lambda: self._call("GET", "/hospitals", params=params)  # noqa: E731
        body: JSON = await self.shared.get(key, fetch)
        return body

    async def set_hospital(self, code: str, hospital: JSON) -> JSON:
        body: JSON = await self._call("PUT", f"/hospitals/{code}", json=hospital)
        self.shared.forget("/hospitals")
        return body

    async def settlements(self, start: str, end: str) -> JSON:
        params = {"from": start, "to": end}
        body: JSON = await self._call("GET", "/settlements", params=params)
        return body

    async def district_report(self, period: dict[str, str], district: str | None) -> list[JSON]:
        """`GET /reports/districts`: per district, filed, paid, amounts (the caller's own
        jurisdiction when `district` is None)."""
        params = period | ({"district": district} if district else {})
        body: list[JSON] = await self._call("GET", "/reports/districts", params=params)
        return body

    async def rejection_report(self, period: dict[str, str], district: str | None) -> list[JSON]:
        """`GET /reports/rejections`: claims rejected per district and reason code."""
        params = period | ({"district": district} if district else {})
        body: list[JSON] = await self._call("GET", "/reports/rejections", params=params)
        return body

    async def settlement(self, period: dict[str, str], district: str | None) -> JSON:
        """`GET /settlements` for a report: the flows of the caller's jurisdiction."""
        params = period | ({"district": district} if district else {})
        body: JSON = await self._call("GET", "/settlements", params=params)
        return body
