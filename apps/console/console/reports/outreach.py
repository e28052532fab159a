"""The outreach report (职工服务统计): per district, roving sessions held, person-times and
check-ins, intakes by kind and closed by outcome, items handed out. From outreach's `GET
/reports/districts` (its read models), one call per district."""

from __future__ import annotations

import asyncio
from typing import Any

from ..clients import Platform
from ..i18n.labels import INTAKE_KINDS, INTAKE_OUTCOMES
from .framework import Column, Jurisdiction, Period, Report, bars, pie

SOURCES = (
    "数据来源：职工服务的统计读模型。巡回服务场次和签到人次按服务日期统计；诉求按受理日期"
    "统计，办结结果按办结日期统计；普惠活动按发放日期统计。"
)


async def outreach_report(platform: Platform, period: Period, where: Jurisdiction) -> Report:
    answers = await asyncio.gather(
        *(platform.outreach.district_report(period.query, path) for path, _ in where.districts)
    )
    figures = dict(zip((p for p, _ in where.districts), answers, strict=True))
    kinds = [k for k in INTAKE_KINDS if any(k in f["intakes_by_kind"] for f in answers)]
    outcomes = [
        o for o in INTAKE_OUTCOMES if any(o in f["intakes_closed_by_outcome"] for f in answers)
    ]
    columns = [
        Column("sessions_held", "巡回服务场次"),
        Column("person_times", "服务人次"),
        Column("member_check_ins", "会员签到人次"),
        Column("anonymous_check_ins", "未登记身份签到人次"),
        Column("intakes", "诉求受理件数"),
        *(Column(f"kind_{k}", f"诉求：{INTAKE_KINDS[k]}") for k in kinds),
        *(Column(f"outcome_{o}", f"办结：{INTAKE_OUTCOMES[o]}") for o in outcomes),
        Column("handed_out", "普惠活动发放件数"),
    ]
    rows = []
    for path, name in where.districts:
        f = figures[path]
        row: dict[str, Any] = {"label": name, "district": path}
        for key in ("sessions_held", "person_times", "member_check_ins", "anonymous_check_ins"):
            row[key] = int(f[key])
        row["intakes"] = sum(f["intakes_by_kind"].values())
        for k in kinds:
            row[f"kind_{k}"] = int(f["intakes_by_kind"].get(k, 0))
        for o in outcomes:
            row[f"outcome_{o}"] = int(f["intakes_closed_by_outcome"].get(o, {}).get("count", 0))
        row["handed_out"] = sum(f["items_handed_out"].values())
        rows.append(row)
    report = Report("outreach", "职工服务统计报表", period, where, columns, rows, SOURCES)
    each = "各区县" if where.city_wide else ""
    report.chart(f"{each}巡回服务场次和服务人次", bars(report, ["sessions_held", "person_times"]))
    report.chart(f"{each}诉求受理和普惠活动发放", bars(report, ["intakes", "handed_out"]))
    if kinds:
        totals = report.totals
        report.chart(
            "诉求类别",
            pie("诉求类别", [(INTAKE_KINDS[k], float(totals[f"kind_{k}"])) for k in kinds]),
        )
    return report
