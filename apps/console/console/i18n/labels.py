"""The union's own words for code values (../shared GLOSSARY.md): one term for one thing."""

from __future__ import annotations

from typing import Final

ROLES: Final = {
    "city_admin": "市总管理员",
    "district_officer": "区县审核人员",
    "clerk": "窗口经办人员",
    "member": "会员",
    "service": "外部系统",
}

ORG_LEVELS: Final = {
    "city": "市总工会",
    "district": "区（县）总工会",
    "unit": "基层工会",
    "service_point": "服务站点",
}

CLAIM_STATUSES: Final = {
    "filed": "已受理",
    "awaiting_eligibility": "待核验参保",
    "assessed": "已核算",
    "approved": "已审核",
    "paid": "已支付",
    "rejected": "不予支付",
    "returned": "已退回补正",
}

REJECTION_CODES: Final = {
    "not_enrolled": "未参保",
    "past_deadline": "超过申报期限",
    "duplicate_invoice": "发票已报销",
    "over_cap": "已达封顶",
    "below_deductible": "未达起付线",
    "waiting_period": "处于等待期",
    "invalid_document": "材料不符合要求",
    "not_covered": "不在保障范围",
    "other": "其他原因",
}

# Why a claim is returned to its filer for correction (退回补正): what the resubmission fixes.
RETURN_REASONS: Final = {
    "missing_documents": "材料不全",
    "invoice_problem": "发票信息有误",
    "dates_problem": "住院日期有误",
    "other": "其他原因",
}

# Statuses of relief applications and roving sessions, and the outreach vocabularies' names,
# as they appear inside the services' composed error codes (`already_<status>`, ...).
STATUSES: Final = {
    "drafted": "草稿",
    "submitted": "已提交",
    "approved": "已审批",
    "rejected": "不予批准",
    "disbursed": "已发放",
    "scheduled": "已排期",
    "held": "已开展",
    "cancelled": "已取消",
    "active": "正常",
    "disabled": "已停用",
    "locked": "已锁定",
}

VOCABULARIES: Final = {
    "point_kind": "站点类型",
    "amenity": "站点设施",
    "service": "服务项目",
    "channel": "受理渠道",
    "weekday": "星期",
    "intake_kind": "诉求类型",
    "intake_status": "诉求状态",
    "campaign_kind": "活动类型",
    "outcome": "办理结果",
    "kind": "类型",
    "category": "困难类别",
    "level": "组织层级",
}

# Relief grants and outreach's intakes and points (GLOSSARY.md, "Relief" and "Outreach").
GRANT_KINDS: Final = {
    "living_assistance": "生活救助",
    "major_illness": "大病救助",
    "education": "助学金",
    "festival_condolence": "两节送温暖慰问金",
}

# A relief application's status as the relief desk shows it (`submitted` waits for an officer).
APPLICATION_STATUSES: Final = {
    "drafted": "草稿",
    "submitted": "待审批",
    "approved": "已审批",
    "rejected": "不予批准",
    "disbursed": "已发放",
}

INTAKE_KINDS: Final = {
    "wage_arrears": "欠薪",
    "legal_aid": "法律援助",
    "hardship": "困难帮扶",
    "union_enrolment": "入会",
    "medical_reimbursement": "医疗互助报销",
    "other": "其他",
}

INTAKE_OUTCOMES: Final = {
    "wages_recovered": "已追回欠薪",
    "legal_aid_given": "已提供法律援助",
    "relief_granted": "已给予帮扶",
    "enrolled": "已入会",
    "answered": "已答复",
    "referred": "已转交办理",
    "withdrawn": "已撤回",
    "unresolved": "未能解决",
}

POINT_KINDS: Final = {
    "roving_point": "巡回服务点",
    "station": "工会驿站",
    "workers_home": "职工之家",
}

# The relief desk's follow-up visits (走访回访): who visited, and how overdue a card is.
VISITORS: Final = {
    "district_officer": "区县审核人员",
    "clerk": "经办人员",
    "city_admin": "市总管理员",
}
VISIT_WORDS: Final = {
    "due_today": "今天到期",
    "overdue_days": "逾期 {days} 天",
    "never": "尚未走访",
    "bad_date": "请按 2026-12-01 的格式填写截至日期",
    "bad_visit_date": "请按 2026-12-01 的格式填写走访日期",
    "recorded": "走访已登记，下次回访日期随之顺延。",
}

# The relief desk's queue of major-illness cases (大病救助) that paid claims opened.
ILLNESS_WORDS: Final = {
    "claims_down": "互助保障系统暂时无法访问，自付金额和理赔记录未能显示。",
    "no_claims": "未查到已支付的理赔",
    "to_complete": "待补全",
    "to_decide": "待审批",
}

# Outreach's own lists as the desk shows them.
CAMPAIGN_KINDS: Final = {
    "cooling_supplies": "夏送清凉",
    "cinema_voucher": "观影券",
    "gym_voucher": "健身券",
    "festival_gift": "节日慰问品",
    "other": "其他",
}

SERVICES: Final = {
    "legal_aid": "法律援助",
    "policy_promotion": "政策宣传",
    "hardship_intake": "困难帮扶受理",
    "union_enrolment": "入会",
    "medical_reimbursement": "医疗互助报销",
    "free_clinic": "义诊",
    "repairs": "维修",
    "haircuts": "理发",
    "other": "其他",
}

# A service point's opening hours ("mon 08:00-18:00") and state, as the outreach desk shows them.
WEEKDAYS: Final = {
    "mon": "周一",
    "tue": "周二",
    "wed": "周三",
    "thu": "周四",
    "fri": "周五",
    "sat": "周六",
    "sun": "周日",
}
# What a station (工会驿站) offers outdoor workers.
AMENITIES: Final = {
    "hot_water": "热水",
    "microwave": "微波炉",
    "first_aid_kit": "急救药箱",
    "wifi": "无线网络",
    "charging": "手机充电",
}
POINT_WORDS: Final = {
    "open": "开放",
    "closed": "暂停服务",
    "no_hours": "未登记",
    "no_amenities": "—",
    "bad_month": "月份格式不正确，应写作 2026-11（2000 年至 2099 年）",
    "reason_needed": "请填写暂停服务的原因，如 场地维修",
    "opened": "服务站点已恢复开放。",
    "closed_now": "服务站点已暂停服务。",
}

CHANNELS: Final = {"session": "巡回服务", "station": "工会驿站", "online": "网上"}

# Why relief withdrew a hardship card (爱心帮扶证).
CARD_WITHDRAWAL_REASONS: Final = {
    "not_eligible": "年度复核不再符合条件",
    "file_closed": "困难职工档案已关闭",
}

MEMBER_CATEGORIES: Final = {
    "outdoor_worker": "户外劳动者",
    "gig_worker": "新就业形态劳动者",
    "sanitation_worker": "环卫工人",
    "model_worker": "劳动模范",
}

INTAKE_STATUSES: Final = {
    "recorded": ("已受理", "info"),
    "routed": ("已转交", "warning"),
    "accepted": ("已接办", "warning"),
    "closed": ("已办结", "success"),
}

# The claims desk: documents handed in, plans, pooling levels, caps, a claim's steps.
DOCUMENTS: Final = {
    "settlement_statement": "住院结算单",
    "discharge_record": "出院记录",
    "split_certificate": "分割单",
    "diagnosis": "诊断证明",
}

POOLING_LEVELS: Final = {"district": "区级统筹", "city": "市级统筹"}

CAPS: Final = {"claimed": "不超过发票金额", "per_claim": "单次封顶", "annual": "年度封顶"}

CLAIM_STEPS: Final = {
    "filed": "受理",
    "resubmitted": "补正后重新提交",
    "awaiting_eligibility": "待核验参保",
    "assessed": "核算互助金",
    "approved": "审核通过",
    "paid": "支付",
    "rejected": "不予支付",
    "returned": "退回补正",
}

DESKS: Final = {
    "home": "首页",
    "members": "会员服务",
    "claims": "互助保障",
    "accounts": "账号管理",
}

# A member's status (not in LABELS: an account's `active` is 正常, a member's 在会).
MEMBER_STATUSES: Final = {
    "active": ("在会", "success"),
    "left": ("已退会", "warning"),
    "erased": ("已删除个人信息", "info"),
}

# Plans of the mutual-aid scheme (互助保障计划) by plan id; an unknown id shows as it is.
PLANS: Final = {
    "inpatient": "住院自付互助保障",
    "major_illness": "重大疾病互助保障",
    "women_illness": "女职工特殊疾病互助保障",
}

# Later ones win where a code means two things: a claim's `approved` is 已审核.
LABELS: Final = {
    **CAMPAIGN_KINDS,
    **CHANNELS,
    **CARD_WITHDRAWAL_REASONS,
    **STATUSES,
    **VOCABULARIES,
    **ROLES,
    **ORG_LEVELS,
    **POINT_KINDS,
    **GRANT_KINDS,
    **INTAKE_KINDS,
    **INTAKE_OUTCOMES,
    **RETURN_REASONS,
    **REJECTION_CODES,
    **DOCUMENTS,
    **PLANS,
    **POOLING_LEVELS,
    **CLAIM_STATUSES,
}


def label(code: str | None) -> str:
    """The Chinese label of a code value, or the value itself when the catalogue has none."""
    if not code:
        return ""
    return LABELS.get(code, code)


# The Chinese labels of each closed list of `union_events.published.vocabularies`, by its name
# there (`VOCABULARIES`): docs/vocabularies.md shows them; a list and its labels agree (tested).
VOCABULARY_LABELS: Final[dict[str, dict[str, str]]] = {
    "roles": ROLES,
    "org_levels": ORG_LEVELS,
    "point_kinds": POINT_KINDS,
    "claim_statuses": CLAIM_STATUSES,
    "rejection_codes": REJECTION_CODES,
    "return_reasons": RETURN_REASONS,
    "grant_kinds": GRANT_KINDS,
    "application_statuses": APPLICATION_STATUSES,
    "intake_kinds": INTAKE_KINDS,
    "intake_outcomes": INTAKE_OUTCOMES,
    "intake_channels": CHANNELS,
    "campaign_kinds": CAMPAIGN_KINDS,
    "card_withdrawal_reasons": CARD_WITHDRAWAL_REASONS,
}
