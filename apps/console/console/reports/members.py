"""The members report (会员统计): per district, members at the end of the period, joined,
left, transferred in and out, and enrolments per plan year. From members' `GET
/reports/districts`: read models, never a scan of the log."""

from __future__ import annotations

from typing import Any

from ..clients import Platform
from .framework import Column, Jurisdiction, Period, Report, bars

SOURCES = (
    "数据来源：会员服务的统计读模型（会员变动、参保登记）。期末会员数为统计期间最后一天的会员数；"
    "新入会含重新入会；参保人数按参保登记的日期和参保区县统计。"
)


async def members_report(platform: Platform, period: Period, where: Jurisdiction) -> Report:
    district = None if where.city_wide else where.districts[0][0]
    figures = {
        f["district"]: f for f in await platform.members.district_report(period.query, district)
    }
    years = sorted({y for f in figures.values() for y in f["enrolled"]})
    columns = [
        Column("active", "期末会员数"),
        Column("joined", "新入会"),
        Column("left", "退会"),
        Column("moved_in", "转入"),
        Column("moved_out", "转出"),
        *(Column(f"enrolled_{y}", f"参保人数（{y}年度）") for y in years),
    ]
    rows = []
    for path, name in where.districts:
        f = figures.get(path, {})
        row: dict[str, Any] = {"label": name, "district": path}
        for key in ("active", "joined", "left", "moved_in", "moved_out"):
            row[key] = int(f.get(key, 0))
        for y in years:
            row[f"enrolled_{y}"] = int(f.get("enrolled", {}).get(y, 0))
        rows.append(row)
    report = Report("members", "会员统计报表", period, where, columns, rows, SOURCES)
    each = "各区县" if where.city_wide else ""
    report.chart(f"{each}期末会员数", bars(report, ["active"]))
    report.chart(
        f"{each}入会、退会和转移", bars(report, ["joined", "left", "moved_in", "moved_out"])
    )
    if years:
        report.chart(f"{each}参保人数（按年度）", bars(report, [f"enrolled_{y}" for y in years]))
    return report
