"""The claims report (互助保障统计): per district, claims filed, paid and the amounts, the
average benefit, claims rejected by reason, and what it paid for other districts and others
paid for it (the settlement). From claims' `GET /reports/districts`, `/reports/rejections`
and `/settlements`: read models, never a scan of the log."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..clients import Platform
from ..i18n.labels import REJECTION_CODES
from .framework import Column, Jurisdiction, Period, Report, bars, pie

SOURCES = (
    "数据来源：互助保障服务的统计读模型（区县统计、不予报销原因统计、区县间结算），"
    "按受理日期统计受理件数，按支付日期统计支付笔数和金额，按不予报销的日期统计不予报销件数。"
)


async def claims_report(platform: Platform, period: Period, where: Jurisdiction) -> Report:
    districts = None if where.city_wide else where.districts[0][0]
    figures = await platform.claims.district_report(period.query, districts)
    rejected = await platform.claims.rejection_report(period.query, districts)
    settlement = await platform.claims.settlement(period.query, districts)
    by_district = {f["district"]: f for f in figures}
    codes = sorted({r["code"] for r in rejected}, key=_code_order)
    columns = [
        Column("filed", "受理件数"),
        Column("paid", "支付笔数"),
        Column("paid_amount", "支付金额", "yuan"),
        Column("average", "平均每笔互助金", "yuan"),
        Column("rejected", "不予报销件数"),
        *(Column(f"rejected_{c}", f"不予报销：{REJECTION_CODES.get(c, c)}") for c in codes),
        Column("for_others", "代外区县支付笔数"),
        Column("for_others_amount", "代外区县支付金额", "yuan"),
        Column("by_others", "外区县代付笔数"),
        Column("by_others_amount", "外区县代付金额", "yuan"),
    ]
    rows = []
    for path, name in where.districts:
        f = by_district.get(path, {})
        row: dict[str, Any] = {"label": name, "district": path}
        row["filed"] = int(f.get("filed", 0))
        row["paid"] = int(f.get("paid", 0))
        row["paid_amount"] = Decimal(f.get("paid_amount", "0.00"))
        row["rejected"] = 0
        for r in rejected:
            if r["district"] == path:
                row[f"rejected_{r['code']}"] = r["claims"]
                row["rejected"] += r["claims"]
        for key, mine, theirs in (
            ("for_others", "paying_district", "insuring_district"),
            ("by_others", "insuring_district", "paying_district"),
        ):
            flows = [fl for fl in settlement["flows"] if fl[mine] == path and fl[theirs] != path]
            row[key] = sum(fl["claims"] for fl in flows)
            row[f"{key}_amount"] = sum((Decimal(fl["amount"]) for fl in flows), Decimal("0.00"))
        row["average"] = _average(row["paid_amount"], row["paid"])
        rows.append(row)
    report = Report("claims", "互助保障统计报表", period, where, columns, rows, SOURCES)
    each = "各区县" if where.city_wide else ""
    report.derive = _derive
    report.chart(f"{each}受理、支付和不予报销件数", bars(report, ["filed", "paid", "rejected"]))
    report.chart(f"{each}支付金额", bars(report, ["paid_amount", "for_others_amount"]), "yuan")
    if codes:
        totals = report.totals
        slices = [(REJECTION_CODES.get(c, c), float(totals[f"rejected_{c}"])) for c in codes]
        report.chart("不予报销原因", pie("不予报销原因", slices))
    return report


def _derive(totals: dict[str, Any]) -> None:
    """The totals' average benefit is of all the payments (not a sum of averages)."""
    totals["average"] = _average(totals["paid_amount"], totals["paid"])


def _average(amount: Decimal, count: int) -> Decimal:
    return (amount / count).quantize(Decimal("0.01")) if count else Decimal("0.00")


def _code_order(code: str) -> tuple[int, str]:
    order = list(REJECTION_CODES)
    return (order.index(code) if code in order else len(order), code)
