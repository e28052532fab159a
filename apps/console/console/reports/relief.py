"""The relief report (困难帮扶统计): per district, person-times and amounts of each kind of
help (the hardship cards' monthly subsidies, living assistance, major-illness aid, grants,
festival condolences) and in all. From relief's `GET /reports/districts` (its read models)."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from ..clients import Platform
from ..i18n.labels import GRANT_KINDS
from .framework import Column, Jurisdiction, Period, Report, bars, pie

KINDS = {"card_subsidy": "每月生活补助", **GRANT_KINDS}
SOURCES = (
    "数据来源：困难帮扶服务的统计读模型。救助按发放日期统计；每月生活补助按所属月份统计"
    "（无论哪天发放）。人次为发放次数。年度救助预算为统计期间结束所在年度各类救助预算之和，"
    "已用为已批准或已发放的救助金额。"
)


async def relief_report(platform: Platform, period: Period, where: Jurisdiction) -> Report:
    district = None if where.city_wide else where.districts[0][0]
    figures = {
        f["district"]: f for f in await platform.relief.district_report(period.query, district)
    }
    kinds = [k for k in KINDS if any(k in f["kinds"] for f in figures.values())]
    columns = [Column("person_times", "合计人次"), Column("amount", "合计金额", "yuan")]
    for k in kinds:
        columns += [
            Column(f"{k}_n", f"{KINDS[k]}人次"),
            Column(f"{k}_amount", f"{KINDS[k]}金额", "yuan"),
        ]
    year = period.end.year  # the budgets of the year the period ends in
    columns += [
        Column("budget", f"{year}年度救助预算", "yuan"),
        Column("committed", f"{year}年度预算已用", "yuan"),
    ]
    budgets = await asyncio.gather(
        *(
            platform.relief.budget(path, year, kind)
            for path, _ in where.districts
            for kind in GRANT_KINDS
        )
    )
    rows = []
    for i, (path, name) in enumerate(where.districts):
        mine = budgets[i * len(GRANT_KINDS) : (i + 1) * len(GRANT_KINDS)]
        f = figures.get(path, {"kinds": {}, "person_times": 0, "amount": "0.00"})
        row: dict[str, Any] = {"label": name, "district": path}
        row["person_times"], row["amount"] = int(f["person_times"]), Decimal(f["amount"])
        for k in kinds:
            one = f["kinds"].get(k, {"person_times": 0, "amount": "0.00"})
            row[f"{k}_n"], row[f"{k}_amount"] = int(one["person_times"]), Decimal(one["amount"])
        row["budget"] = sum((Decimal(b["amount"] or "0") for b in mine), Decimal("0.00"))
        row["committed"] = sum((Decimal(b["committed"]) for b in mine), Decimal("0.00"))
        rows.append(row)
    report = Report("relief", "困难帮扶统计报表", period, where, columns, rows, SOURCES)
    each = "各区县" if where.city_wide else ""
    report.chart(
        f"{each}各类帮扶金额", bars(report, [f"{k}_amount" for k in kinds], stack=True), "yuan"
    )
    report.chart(f"{each}各类帮扶人次", bars(report, [f"{k}_n" for k in kinds], stack=True))
    if kinds:
        totals = report.totals
        report.chart(
            "帮扶金额构成",
            pie("帮扶金额", [(KINDS[k], float(totals[f"{k}_amount"])) for k in kinds]),
            "yuan",
        )
    return report
