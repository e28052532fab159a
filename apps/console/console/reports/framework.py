"""A report: its title, the period (from/to, checked), the jurisdiction (a district officer's
district; a city admin's every district and the city total), columns, rows, a totals row and
charts. Each report module builds one `Report`; the routes show it as a page or an .xlsx."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from fastapi import Request
from union_events.clock import zone
from union_events.orgs import city_of

from ..auth.sessions import Session
from ..clients import Platform
from ..web.desk_pages import my_district, today
from ..web.forms import Problems

Kind = Literal["count", "yuan"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = "count"


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def text(self) -> str:
        return f"{_cn(self.start)} 至 {_cn(self.end)}"

    @property
    def query(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


@dataclass(frozen=True)
class Jurisdiction:
    """The districts a report covers, and whether the totals row is the city's."""

    name: str  # 定海区总工会, or 舟山市总工会 (全市)
    districts: list[tuple[str, str]]  # (path, name)
    city_wide: bool

    @property
    def totals_label(self) -> str:
        return "全市合计" if self.city_wide else "合计"


@dataclass
class Report:
    key: str
    title: str
    period: Period
    jurisdiction: Jurisdiction
    columns: list[Column]
    rows: list[dict[str, Any]]  # each: "label" (the district's name) and the columns' keys
    sources: str  # where the figures come from, in words (shown under the table)
    charts: list[dict[str, Any]] = field(default_factory=list)  # title, option, format
    made_at: datetime | None = None
    derive: Callable[[dict[str, Any]], None] | None = None  # totals not summed (an average)

    @property
    def totals(self) -> dict[str, Any]:
        totals: dict[str, Any] = {"label": self.jurisdiction.totals_label}
        for c in self.columns:
            values = [r.get(c.key) or 0 for r in self.rows]
            totals[c.key] = sum((Decimal(str(v)) for v in values), Decimal("0.00"))
            if c.kind == "count":
                totals[c.key] = int(totals[c.key])
        if self.derive is not None:
            self.derive(totals)
        return totals

    def chart(self, title: str, option: dict[str, Any], fmt: str = "") -> None:
        self.charts.append({"title": title, "option": option, "format": fmt})


def read_period(request: Request, start: str, end: str) -> tuple[Period | None, Problems]:
    """The period asked for (default: this year to today), or the Chinese reasons it is not
    one: a date not written as 2026-05-01, or a start after the end."""
    now = today(request)
    values = {"start": start.strip() or date(now.year, 1, 1).isoformat()}
    values["end"] = end.strip() or now.isoformat()
    problems = Problems()
    days: dict[str, date] = {}
    for key, words in (("start", "开始日期"), ("end", "结束日期")):
        try:
            days[key] = date.fromisoformat(values[key])
        except ValueError:
            problems.add(key, f"{words}格式不正确，请按 2026-05-01 的格式填写")
    if not problems and days["start"] > days["end"]:
        problems.add(
            "start",
            f"开始日期（{_cn(days['start'])}）晚于结束日期（{_cn(days['end'])}），请重新选择统计期间",
        )
    if problems:
        return None, problems
    return Period(days["start"], days["end"]), problems


async def jurisdiction(platform: Platform, session: Session) -> Jurisdiction:
    """A district officer's district; a city admin's every district and the city total."""
    identity = session.identity
    if identity.role == "city_admin":
        city = city_of(identity.org)
        org = await platform.members.org(city)
        districts = await platform.members.orgs(parent=city, level="district")
        return Jurisdiction(
            f"{org.name if org else city}（全市）", [(o.path, o.name) for o in districts], True
        )
    district = my_district(session)
    org = await platform.members.org(district)
    name = org.name if org else district
    return Jurisdiction(name, [(district, name)], False)


def made_now(request: Request) -> datetime:
    return datetime.now(zone(request.app.state.settings.timezone))


def bars(
    report: Report, keys: list[str], *, stack: bool = False, horizontal_legend: bool = True
) -> dict[str, Any]:
    """An ECharts bar chart of some columns, one group per district (no functions inside)."""
    labels = {c.key: c.label for c in report.columns}
    names = [r["label"] for r in report.rows]
    series = [
        {
            "name": labels[k],
            "type": "bar",
            "data": [float(r.get(k) or 0) for r in report.rows],
            **({"stack": "all"} if stack else {}),
        }
        for k in keys
    ]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0} if horizontal_legend else {},
        "grid": {"left": 70, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": names},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": series,
    }


def pie(title: str, slices: list[tuple[str, float]]) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"top": 0},
        "series": [
            {
                "name": title,
                "type": "pie",
                "radius": ["35%", "65%"],
                "top": 30,
                "data": [{"name": n, "value": v} for n, v in slices],
            }
        ],
    }


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


Builder = Callable[[Platform, Period, Jurisdiction], Any]
