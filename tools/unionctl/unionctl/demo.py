"""`unionctl demo`: a city with three districts, a mutual-aid plan that moves from district to
city pooling on 1 May, members enrolled, and the headline flow: a claim filed at another
district's service point and paid at a third district's, then the settlement between them.

It talks HTTP to services started by `unionctl up`; running it again on the same data is fine
(organisations and members that exist already are reused; each run files new claims).
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
from members.domain.national_id import make_national_id
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from union_events.clock import DEFAULT_TIMEZONE
from union_events.clock import today as today_in

CITY = "zhoushan"
DISTRICTS = ("dinghai", "putuo", "shengsi")
UNITS = {
    "dinghai": ("fishery-co", "port-authority"),
    "putuo": ("shipyard", "hospital"),
    "shengsi": ("ferry-co", "seafood-plant"),
}
# The names staff read in the console (组织名称), by path segment.
DISTRICT_NAMES = {"dinghai": "定海区", "putuo": "普陀区", "shengsi": "嵊泗县"}
UNIT_NAMES = {
    "fishery-co": "渔业公司工会",
    "port-authority": "港务局工会",
    "shipyard": "造船厂工会",
    "hospital": "医院工会",
    "ferry-co": "客运公司工会",
    "seafood-plant": "水产加工厂工会",
}
# The city's hospital registry (claims): code -> (name, district or None for the city's own).
HOSPITALS = {
    "ZS-001": ("舟山医院", None),
    "DH-001": ("定海区人民医院", "dinghai"),
    "PT-001": ("普陀医院", "putuo"),
    "SS-001": ("嵊泗县人民医院", "shengsi"),
}
NAMES = ("周海", "林波", "王静", "陈涛", "李娜", "张伟", "赵敏", "孙浩", "吴芳")
PLAN = "inpatient"
CITY_POOLING_FROM = (5, 1)  # month, day: the district joined city-level pooling on 1 May


def rules(year: int) -> dict[str, Any]:
    """An inpatient plan (住院自付): district pooling from 1 January, city pooling from 1 May."""
    return {
        "pooling": [
            {"level": "district", "effective_from": f"{year}-01-01"},
            {"level": "city", "effective_from": date(year, *CITY_POOLING_FROM).isoformat()},
        ],
        "deductible": "500.00",  # 起付线
        "tiers": [{"up_to": "5000.00", "ratio": "0.5"}, {"up_to": None, "ratio": "0.7"}],
        "per_claim_cap": "30000.00",
        "annual_cap": "50000.00",
        "deadline_days": 90,
        "auto_approve_below": "5000.00",
    }


def orgs() -> list[tuple[str, str, str]]:
    """(path, name, level), parents before children."""
    out = [(CITY, "舟山市总工会", "city")]
    for d in DISTRICTS:
        name = DISTRICT_NAMES[d]
        out.append((f"{CITY}/{d}", f"{name}总工会", "district"))
        out += [(f"{CITY}/{d}/{u}", f"{name}{UNIT_NAMES[u]}", "unit") for u in UNITS[d]]
        out.append((f"{CITY}/{d}/center", f"{name}职工服务中心", "service_point"))
        out.append((f"{CITY}/{d}/roving", f"{name}巡回服务点", "service_point"))
    return out


def federation_today() -> date:
    """Today in the federation's time zone (UNION_TIMEZONE), as the services decide it: the
    settlement of a payment made at 07:00 in Beijing counts on Beijing's date."""
    return today_in(os.environ.get("UNION_TIMEZONE") or DEFAULT_TIMEZONE)


def hospital_of(district: str) -> str:
    """The code of the district's own hospital (the city's if it has none)."""
    return next((c for c, (_, d) in HOSPITALS.items() if d == district), "ZS-001")


@dataclass
class Outcome:
    orgs_created: int = 0
    orgs_existing: int = 0
    members_created: int = 0
    members_existing: int = 0
    enrolled: int = 0
    claims: list[dict[str, Any]] = field(default_factory=list)
    settlement: dict[str, Any] = field(default_factory=dict)

    @property
    def paid(self) -> list[dict[str, Any]]:
        return [c for c in self.claims if c.get("status") == "paid"]

    @property
    def paid_total(self) -> Decimal:
        return sum((Decimal(c["benefit"]) for c in self.paid), Decimal("0.00"))


class DemoError(RuntimeError):
    pass


def _check(response: httpx.Response, *ok: int) -> dict[str, Any]:
    if response.status_code not in ok:
        raise DemoError(
            f"{response.request.method} {response.request.url} → {response.status_code}: "
            f"{response.text[:300]}"
        )
    body: dict[str, Any] = response.json() if response.content else {}
    return body


def _poll(fetch: Callable[[], dict[str, Any] | None], timeout: float, what: str) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        found = fetch()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise DemoError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.2)


@dataclass
class Demo:
    members_url: str
    claims_url: str
    token: str = ""
    members_per_district: int = 2
    today: date = field(default_factory=federation_today)  # as the services read "today"
    timeout: float = 30.0
    console: Console = field(default_factory=Console)

    def run(self) -> Outcome:
        outcome = Outcome()
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        with (
            httpx.Client(base_url=self.members_url, headers=headers, timeout=10) as members,
            httpx.Client(base_url=self.claims_url, headers=headers, timeout=10) as claims,
            self._progress() as progress,
        ):
            self._orgs(members, progress, outcome)
            self._service_points_heard(claims)
            self._hospitals(claims)
            self._plan(claims, members)
            people = self._members(members, progress, outcome)
            self._claims(claims, people, progress, outcome)
            self._settlement(claims, outcome)
        return outcome

    def _progress(self) -> Progress:
        return Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
        )

    def _orgs(self, members: httpx.Client, progress: Progress, outcome: Outcome) -> None:
        todo = orgs()
        task = progress.add_task("organisations", total=len(todo))
        for path, name, level in todo:
            response = members.post("/orgs", json={"path": path, "name": name, "level": level})
            _check(response, 201, 409)
            if response.status_code == 201:
                outcome.orgs_created += 1
            else:
                outcome.orgs_existing += 1
            progress.advance(task)

    def _service_points_heard(self, claims: httpx.Client) -> None:
        """Claims hears members' orgs over NATS: it files and pays only at service points it
        has heard of."""
        for path, _, level in orgs():
            if level == "service_point":

                def heard(path: str = path) -> dict[str, Any] | None:
                    response = claims.get(f"/orgs/{path}")
                    return _check(response, 200) if response.status_code != 404 else None

                _poll(heard, self.timeout, f"claims to hear of {path} from members")

    def _hospitals(self, claims: httpx.Client) -> None:
        for code, (name, district) in HOSPITALS.items():
            body = {"name": name, "city": CITY, "district": district and f"{CITY}/{district}"}
            _check(claims.put(f"/hospitals/{code}", json=body), 200)

    @property
    def year(self) -> int:
        return self.today.year

    def _plan(self, claims: httpx.Client, members: httpx.Client) -> None:
        """Set this year's rules in claims, then wait until members heard of the plan year
        (over NATS): members refuses enrolments in plan years it does not know."""
        _check(claims.put(f"/plans/{PLAN}/years/{self.year}", json=rules(self.year)), 200)

        def known() -> dict[str, Any] | None:
            answer = members.get(f"/plan-years/{PLAN}/{self.year}")
            return _check(answer, 200) if answer.status_code == 200 else None

        _poll(known, self.timeout, f"members to hear of plan year {PLAN} {self.year}")

    def _people(self) -> Iterator[tuple[int, str, str]]:
        n = 0
        for d in DISTRICTS:
            for i in range(self.members_per_district):
                unit = UNITS[d][i % len(UNITS[d])]
                yield n, d, f"{CITY}/{d}/{unit}"
                n += 1

    def _members(
        self, members: httpx.Client, progress: Progress, outcome: Outcome
    ) -> list[tuple[str, str]]:
        """(member_id, home district) of each demo member, enrolled in the plan this year."""
        people = list(self._people())
        task = progress.add_task("members and enrolments", total=len(people))
        out = []
        for n, district, unit in people:
            body = {
                "national_id": make_national_id("330902", date(1975 + n % 20, 3, 1 + n % 28), n),
                "name": NAMES[n % len(NAMES)],
                "phone": f"1360000{n:04d}",
                "unit": unit,
            }
            response = members.post("/members", json=body)
            answer = _check(response, 201, 409)
            if response.status_code == 201:
                outcome.members_created += 1
                member_id = answer["member_id"]
            else:
                outcome.members_existing += 1
                member_id = answer["error"]["member_id"]
            enrolment = {"plan_id": PLAN, "year": self.year}
            enrolled = members.post(f"/members/{member_id}/enrolments", json=enrolment)
            _check(enrolled, 201, 409)
            outcome.enrolled += enrolled.status_code == 201
            out.append((member_id, district))
            progress.advance(task)
        return out

    def _claims(
        self,
        claims: httpx.Client,
        people: list[tuple[str, str]],
        progress: Progress,
        outcome: Outcome,
    ) -> None:
        """Each member files at the next district's centre and is paid at the one after."""
        task = progress.add_task("claims filed → paid", total=len(people))
        run = f"{int(time.time() * 1000):x}"
        admitted = max(date(self.year, 1, 1), self.today - timedelta(days=10))
        city_pooling = self.today >= date(self.year, *CITY_POOLING_FROM)
        for n, (member_id, home) in enumerate(people):
            i = DISTRICTS.index(home)
            filed_at = DISTRICTS[(i + 1) % len(DISTRICTS)]
            paid_at = DISTRICTS[(i + 2) % len(DISTRICTS)]
            amount = Decimal("4800.00") + Decimal(n * 715)
            claim = {
                "member_id": member_id,
                "service_point": f"{CITY}/{filed_at}/center",
                "plan_id": PLAN,
                "admitted_on": admitted.isoformat(),
                "discharged_on": self.today.isoformat(),
                "invoices": [
                    {
                        "hospital": hospital_of(home),
                        "number": f"DEMO-{run}-{n:03d}",
                        "amount": f"{amount:.2f}",
                        "issued_on": self.today.isoformat(),
                    }
                ],
            }
            claim_id = _check(claims.post("/claims", json=claim), 202)["claim_id"]
            state = _poll(
                functools.partial(self._decided, claims, claim_id),
                self.timeout,
                f"claim {claim_id} to be assessed (enrolment arriving over NATS)",
            )
            if state["status"] == "assessed":  # above the auto-approval threshold
                state = _check(claims.post(f"/claims/{claim_id}/approve"), 200)
            row = {
                "claim_id": claim_id,
                "insured_in": home,
                "filed_at": filed_at,
                "paid_at": paid_at,
                "invoice": f"{amount:.2f}",
                "benefit": state.get("benefit"),
                "status": state["status"],
            }
            if state["status"] == "approved":
                payment = claims.post(
                    f"/claims/{claim_id}/payment",
                    json={"service_point": f"{CITY}/{paid_at}/center"},
                )
                if payment.status_code == 403 and not city_pooling:
                    row["status"] = "refused: district pooling until 1 May"
                else:
                    row["status"] = _check(payment, 200)["status"]
            outcome.claims.append(row)
            progress.advance(task)

    @staticmethod
    def _decided(claims: httpx.Client, claim_id: str) -> dict[str, Any] | None:
        state = _check(claims.get(f"/claims/{claim_id}"), 200)
        return None if state["status"] in ("filed", "awaiting_eligibility") else state

    def _settlement(self, claims: httpx.Client, outcome: Outcome) -> None:
        if not outcome.paid:
            return
        params = {"from": date(self.year, 1, 1).isoformat(), "to": self.today.isoformat()}
        expected = len(outcome.paid)

        def settled() -> dict[str, Any] | None:
            report = _check(claims.get("/settlements", params=params), 200)
            counted = sum(int(f["claims"]) for f in report.get("flows", []))
            return report if counted >= expected else None

        outcome.settlement = _poll(settled, self.timeout, "the settlement report")


def summary_tables(outcome: Outcome) -> list[Table]:
    summary = Table(title="demo summary")
    summary.add_column("what")
    summary.add_column("count", justify="right")
    orgs_done = f"{outcome.orgs_created} / {outcome.orgs_existing}"
    summary.add_row("organisations created / existing", orgs_done)
    summary.add_row(
        "members created / existing", f"{outcome.members_created} / {outcome.members_existing}"
    )
    summary.add_row("new enrolments", str(outcome.enrolled))
    summary.add_row("claims filed", str(len(outcome.claims)))
    summary.add_row("claims paid in a third district", str(len(outcome.paid)))
    summary.add_row("paid (yuan)", f"{outcome.paid_total:.2f}")

    claims = Table(title="claims: insured in A, filed in B, paid in C")
    for column in ("claim", "insured in", "filed at", "paid at", "invoice", "benefit", "status"):
        claims.add_column(column, justify="right" if column in ("invoice", "benefit") else "left")
    for c in outcome.claims:
        claims.add_row(
            c["claim_id"][:8],
            c["insured_in"],
            c["filed_at"],
            c["paid_at"],
            c["invoice"],
            c["benefit"] or "-",
            c["status"],
        )
    tables = [summary, claims]
    if outcome.settlement:
        balances = Table(title="settlement between districts (this year)")
        for column in ("paying district", "insuring district", "claims", "amount"):
            balances.add_column(
                column, justify="right" if column in ("claims", "amount") else "left"
            )
        for flow in outcome.settlement.get("flows", []):
            balances.add_row(
                flow["paying_district"],
                flow["insuring_district"],
                str(flow["claims"]),
                flow["amount"],
            )
        tables.append(balances)
    return tables
