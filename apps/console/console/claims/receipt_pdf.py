"""The receipt (报销凭证) as a PDF: reportlab with the Adobe CJK font STSong-Light (no font
file: the viewer supplies the glyphs; pdftotext reads the text back)."""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from union_events.clock import zone

from ..web.formats import date_cn, yuan

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def receipt_pdf(r: dict[str, str], timezone: str) -> bytes:
    buffer = io.BytesIO()
    size = landscape(A5)
    pdf = canvas.Canvas(buffer, pagesize=size)
    pdf.setTitle(f"报销凭证 {r['claim_id']}")
    pdf.setAuthor("工会服务平台")
    width, height = size
    left, y = 18 * mm, height - 20 * mm
    pdf.setFont(FONT, 18)
    pdf.drawCentredString(width / 2, y, "职工医疗互助保障 报销凭证")
    y -= 10 * mm
    pdf.setFont(FONT, 10)
    pdf.drawString(left, y, f"申请号：{r['claim_id']}")
    pdf.drawRightString(width - left, y, f"支付日期：{date_cn(r['paid_on'])}")
    y -= 4 * mm
    pdf.line(left, y, width - left, y)
    rows = (
        ("会员姓名", r["member_name"]),
        ("身份证号", r["national_id"]),
        ("会员编号", r["member_id"]),
        ("保障年度", r["plan"]),
        ("住院日期", f"{date_cn(r['admitted_on'])} 至 {date_cn(r['discharged_on'])}"),
        ("发票金额合计", f"{yuan(r['claimed'])}（{r['invoices']} 张发票）"),
        ("互助金", yuan(r["benefit"])),
        ("参保区县", r["insuring_district"]),
        ("支付区县", r["paying_district"]),
        ("支付站点", r["service_point"]),
        ("经办人", r["clerk"]),
    )
    pdf.setFont(FONT, 12)
    for name, value in rows:
        y -= 8 * mm
        pdf.drawString(left, y, f"{name}：")
        pdf.drawString(left + 32 * mm, y, value)
    y -= 12 * mm
    pdf.setFont(FONT, 10)
    pdf.drawString(left, y, "会员签名：____________________")
    pdf.drawRightString(width - left, y, "（服务站点盖章）")
    printed = datetime.now(zone(timezone))
    pdf.setFont(FONT, 8)
    pdf.drawString(left, 10 * mm, f"打印时间：{date_cn(printed)} {printed:%H:%M}  工会服务平台")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
