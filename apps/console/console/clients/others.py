"""Relief and outreach, as their desks use them."""

from __future__ import annotations

from typing import Any

from .base import ServiceClient

JSON = dict[str, Any]


class ReliefClient(ServiceClient):
    service = "relief"

    async def standard(self, district: str, on: str | None = None) -> JSON | None:
        """The minimum living standard in force (None: none set)."""
        from .base import ServiceError

        params = {"district": district, **({"on": on} if on else {})}
        try:
            body: JSON = await self._call("GET", "/standards", params=params)
        except ServiceError as exc:
            if exc.code == "no_standard":
                return None
            raise
        return body

    async def set_standard(self, district: str, amount: str, effective_from: str) -> JSON:
        body = {"district": district, "amount": amount, "effective_from": effective_from}
        answer: JSON = await self._call("POST", "/standards", json=body)
        return answer

    async def files(self, *, district: str | None = None, page: int = 1, size: int = 50) -> JSON:
        params: JSON = {"page": page, "size": size}
        if district:
            params["district"] = district
        body: JSON = await self._call("GET", "/files", params=params)
        return body

    async def file(self, file_id: str) -> JSON:
        body: JSON = await self._call("GET", f"/files/{file_id}")
        return body

    async def open_file(self, body: JSON) -> JSON:
        answer: JSON = await self._call("POST", "/files", json=body)
        return answer

    async def review_file(self, file_id: str, body: JSON) -> JSON:
        answer: JSON = await self._call("POST", f"/files/{file_id}/review", json=body)
        return answer

    async def close_file(self, file_id: str, reason: str) -> JSON:
        answer: JSON = await self._call("POST", f"/files/{file_id}/close", json={"reason": reason})
        return answer

    async def record_visit(self, file_id: str, body: JSON) -> JSON:
        """`POST /files/{id}/visits` {on?, by?}: a quarterly follow-up of the active card."""
        answer: JSON = await self._call("POST", f"/files/{file_id}/visits", json=body)
        return answer

    async def overdue_visits(self, on: str | None = None) -> list[JSON]:
        """`GET /reports/overdue-visits`: per district, the cards whose visit is overdue."""
        params = {"on": on} if on else {}
        body: list[JSON] = await self._call("GET", "/reports/overdue-visits", params=params)
        return body

    async def run_month(self, month: str) -> JSON:
        answer: JSON = await self._call("POST", "/subsidy-runs", json={"month": month})
        return answer

    async def budget(self, district: str, year: int, kind: str) -> JSON:
        params = {"district": district, "year": year, "kind": kind}
        body: JSON = await self._call("GET", "/budgets", params=params)
        return body

    async def set_budget(self, district: str, year: int, kind: str, amount: str) -> JSON:
        body = {"district": district, "year": year, "kind": kind, "amount": amount}
        answer: JSON = await self._call("PUT", "/budgets", json=body)
        return answer

    async def applications(self, *, page: int = 1, size: int = 50, **filters: Any) -> JSON:
        params = {k: v for k, v in filters.items() if v not in (None, "")}
        params |= {"page": page, "size": size}
        body: JSON = await self._call("GET", "/applications", params=params)
        return body

    async def application(self, application_id: str) -> JSON:
        body: JSON = await self._call("GET", f"/applications/{application_id}")
        return body

    async def apply(self, member_id: str, district: str, kind: str, amount: str) -> JSON:
        body = {"member_id": member_id, "district": district, "kind": kind, "amount": amount}
        answer: JSON = await self._call("POST", "/applications", json=body)
        return answer

    async def set_recipient(self, application_id: str, member_id: str) -> JSON:
        path = f"/applications/{application_id}/recipient"
        answer: JSON = await self._call("PUT", path, json={"member_id": member_id})
        return answer

    async def step(self, application_id: str, step: str, body: JSON | None = None) -> JSON:
        """submit, approve ({amount}), reject ({reason}), disburse, receipt."""
        path = f"/applications/{application_id}/{step}"
        answer: JSON = await self._call("POST", path, json=body)
        return answer

    async def district_report(self, period: JSON, district: str | None) -> list[JSON]:
        """`GET /reports/districts`: person-times and amounts by kind, per district."""
        params = period | ({"district": district} if district else {})
        body: list[JSON] = await self._call("GET", "/reports/districts", params=params)
        return body


class OutreachClient(ServiceClient):
    service = "outreach"

    async def _get(self, path: str, **params: Any) -> JSON:
        query = {k: v for k, v in params.items() if v not in (None, "")}
        body: JSON = await self._call("GET", path, params=query)
        return body

    async def _post(self, path: str, body: JSON) -> JSON:
        answer: JSON = await self._call("POST", path, json=body)
        return answer

    async def campaigns(self, page: int = 1, size: int | None = None) -> JSON:
        return await self._get("/campaigns", page=page, size=size)

    async def campaign(self, campaign_id: str) -> JSON:
        return await self._get(f"/campaigns/{campaign_id}")

    async def open_campaign(self, body: JSON) -> JSON:
        return await self._post("/campaigns", body)

    async def hand_out(self, campaign_id: str, body: JSON) -> JSON:
        return await self._post(f"/campaigns/{campaign_id}/hand-outs", body)

    async def points(self, page: int = 1, size: int = 50) -> JSON:
        return await self._get("/points", page=page, size=size)

    async def set_point_open(self, point: str, open_: bool, reason: str = "") -> JSON:
        """`PUT /points/{path}/status` {open, reason}."""
        body = {"open": open_, "reason": reason}
        answer: JSON = await self._call("PUT", f"/points/{point}/status", json=body)
        return answer

    async def missed_sessions(self, month: str) -> JSON:
        """`GET /reports/missed-sessions`: the roving points with no held session that month."""
        return await self._get("/reports/missed-sessions", month=month)

    async def point(self, point: str) -> JSON:
        return await self._get(f"/points/{point}")

    async def register_point(self, body: JSON) -> JSON:
        return await self._post("/points", body)

    async def sessions(self, start: str, end: str, page: int = 1) -> JSON:
        return await self._get("/sessions", page=page, **{"from": start, "to": end})

    async def session(self, session_id: str) -> JSON:
        return await self._get(f"/sessions/{session_id}")

    async def schedule(self, body: JSON) -> JSON:
        return await self._post("/sessions", body)

    async def hold(self, session_id: str, staff: int) -> JSON:
        return await self._post(f"/sessions/{session_id}/held", {"staff": staff})

    async def check_in(self, session_id: str, body: JSON) -> JSON:
        return await self._post(f"/sessions/{session_id}/check-ins", body)

    async def intakes(
        self, status: str | None = None, page: int = 1, size: int | None = None
    ) -> JSON:
        return await self._get("/intakes", status=status, page=page, size=size)

    async def intake(self, intake_id: str) -> JSON:
        return await self._get(f"/intakes/{intake_id}")

    async def record_intake(self, body: JSON) -> JSON:
        return await self._post("/intakes", body)

    async def close_intake(self, intake_id: str, body: JSON) -> JSON:
        return await self._post(f"/intakes/{intake_id}/close", body)

    async def district_report(self, period: JSON, district: str) -> JSON:
        """`GET /reports/districts` of one district: sessions, person-times, intakes, items."""
        return await self._get("/reports/districts", **period, district=district)
