"""Every error code the platform answers with, in Chinese: one catalogue for every page.

The services' codes (a test walks services/ and libs/events and fails on one missing here),
then the console's own. A code composed in the source (`already_<status>`) has a family: its
prefix, with the rest read through the labels.
"""

from __future__ import annotations

from typing import Final

from .labels import LABELS, STATUSES, VOCABULARIES

SERVICE_ERRORS: Final = {
    # the toolkit: any service
    "rule_violated": "该操作不符合业务规则，未能办理。",
    "not_found": "没有找到该记录。",
    "conflict": "该记录的状态不允许此操作。",
    "forbidden": "您没有办理此项业务的权限。",
    "forbidden_role": "您的角色不能办理此项业务。",
    "outside_jurisdiction": "该记录不在您所在单位的管辖范围内。",
    "not_own_record": "会员只能查看本人的记录。",
    "unauthenticated": "登录状态已失效，请重新登录。",
    "unauthorized": "登录状态已失效，请重新登录。",
    "invalid_token": "登录凭证无效，请重新登录。",
    "token_expired": "登录凭证已过期，请重新登录。",
    "invalid_request": "填写的内容有误，请检查后重新提交。",
    "method_not_allowed": "不支持此操作方式。",
    "http_error": "请求未能办理，请稍后再试。",
    "internal_error": "系统内部错误，请稍后再试；如仍有问题请联系信息科。",
    "concurrent_change": "该记录刚被他人修改，请刷新后重试。",
    "log_behind_stream": (
        "业务系统的数据库比已发布的记录旧（可能从旧备份恢复），暂停办理；请联系信息科处理后再试。"
    ),
    "invalid_org_path": (
        "组织代码格式不正确（如 zhoushan/dinghai/center：小写字母、数字和“-”，用“/”分级）。"
    ),
    "batch_too_large": "一次提交的条数过多，请分批提交。",
    "body_too_large": "提交的内容过大，请分批提交。",
    "text_too_long": "填写的文字过长，请精简后再提交。",
    "personal_data_in_text": "说明文字中不能填写身份证号或手机号。",
    "invalid_amount": "金额不正确：须为不小于零、最多两位小数的数字。",
    "negative_amount": "金额不能为负数。",
    "invalid_month": "月份格式不正确，应写作 2026-11。",
    "invalid_period": "结束日期不能早于开始日期。",
    "invalid_sort": "排序方式不正确：可按受理日期、发票金额或互助金排序。",
    "date_in_future": "日期不能晚于今天。",
    "reason_required": "请填写原因。",
    "name_required": "请填写名称。",
    # members: org registry, members, enrolment, QR sign-ups
    "org_exists": "该组织已登记。",
    "org_not_found": "没有找到该组织。",
    "parent_not_found": "上级组织尚未登记。",
    "wrong_parent_level": "上级组织的层级不对。",
    "invalid_level": "组织层级不正确。",
    "level_does_not_fit_path": "组织层级与组织代码的级数不符。",
    "not_a_district": "所选组织不是区（县）总工会。",
    "unknown_district": "没有这个区（县）总工会。",
    "unknown_unit": "没有找到该基层工会。",
    "member_exists": "该身份证号已登记为会员。",
    "member_not_found": "没有找到该会员。",
    "member_left": "该会员已退会。",
    "already_in_unit": "该会员已在此基层工会。",
    "already_enrolled": "该会员已参保该保障年度。",
    "invalid_national_id": "身份证号不正确：应为 18 位，最后一位为数字或 X，且校验位相符。",
    "invalid_member_id": "会员编号格式不正确。",
    "card_clash": "会员服务卡号生成冲突，请重试。",
    "enrolment_open": "参保期尚未结束，暂不能办理。",
    "concurrent_signups": "同时有其他人在登记该会员，请稍后重试。",
    "inconsistent_targets": "活动目标不一致：日、周、月目标应逐级递增。",
    "invalid_target": "活动目标应为正整数。",
    "invalid_campaign_id": (
        "活动编号格式不正确：小写字母、数字和“-”，以字母或数字开头，如 riders-2026。"
    ),
    "invalid_duplicates": "重复人数不能为负数。",
    "concurrent_registration": "同时有其他人在登记此人，请稍后重试。",
    "enrolment_closed": "该保障年度的参保期已结束，不能再参保。",
    "invalid_card_no": "会员服务卡号应为 16 位数字。",
    "invalid_lookup": "请输入要查找的会员服务卡号、身份证号、姓名或手机号。",
    "invalid_phone": "手机号不正确：应为 11 位手机号码，以 13 至 19 开头。",
    "member_active": "该会员仍在会，无需重新入会。",
    "member_erased": "该会员的个人信息已删除，不能再办理此项业务。",
    "under_working_age": "未满 16 周岁，不能入会。",
    # claims: plans, claims, payment
    "invalid_plan": "请填写互助保障计划代码。",
    "invalid_plan_year": "保障年度不正确。",
    "bad_plan_year": "保障年度不正确。",
    "unknown_plan_year": "该互助保障计划尚未设置这个保障年度的规则。",
    "invalid_pooling_level": "统筹层级只能是区级统筹或市级统筹。",
    "no_pooling_period": "请至少设置一段统筹期间。",
    "pooling_out_of_order": "统筹期间应按生效日期先后排列。",
    "pooling_starts_late": "第一段统筹期间应从保障年度第一天开始。",
    "no_tiers": "请至少设置一档报销比例。",
    "tiers_out_of_order": "报销比例分段应按金额由低到高排列。",
    "unbounded_tier_not_last": "只有最后一档可以不设上限。",
    "invalid_ratio": "报销比例应在 0 到 1 之间。",
    "invalid_cap": "封顶金额应大于零。",
    "per_claim_cap_above_annual_cap": "单次封顶不能高于年度封顶。",
    "invalid_deadline": "申报期限应为大于零的天数。",
    "invalid_major_disease": "重大疾病名录填写不正确。",
    "unknown_major_disease": "该疾病不在重大疾病名录中。",
    "invalid_document": "材料不符合要求。",
    "claim_exists": "该互助金申请已受理。",
    "claim_not_found": "没有找到该互助金申请。",
    "member_required": "请选择会员。",
    "member_mismatch": "补正后重新提交的申请须为原会员。",
    "no_invoices": "请至少录入一张发票。",
    "invalid_invoice": "发票须填写医院和发票号码。",
    "duplicate_invoice": "发票已报销：该发票已在其他申请中使用。",
    "discharged_before_admitted": "出院日期不能早于入院日期。",
    "past_deadline": "超过申报期限。",
    "not_enrolled": "该会员未参保该保障年度。",
    "not_awaiting_eligibility": "该申请已核验参保，不能再次核验。",
    "not_awaiting_approval": "该申请不在待审核状态。",
    "not_approved": "该申请尚未审核通过，不能支付。",
    "already_paid": "该互助金申请已支付，不能重复支付。",
    "already_rejected": "该互助金申请已不予支付。",
    "already_returned": "该互助金申请已退回补正。",
    "pooling_forbids": "本计划当前为区级统筹，只有参保区县的服务站点可以支付。",
    "unknown_insuring_district": "无法确定会员的参保区县。",
    "unknown_rejection_code": "请从列表中选择不予支付的原因。",
    "unknown_return_reason": "请从列表中选择退回补正的原因。",
    "officer_required": "审核须注明审核人员。",
    "other": "其他原因。",
    "below_deductible": "未达起付线：发票金额未超过起付线，没有可支付的互助金。",
    "over_cap": "已达封顶：该会员本年度的互助金已用完，或单次封顶后没有可支付的金额。",
    "nothing_to_pay": "该申请的互助金为零，不能支付。",
    "not_returned": "只有已退回补正的申请才能补正后重新提交。",
    "unknown_document": "材料类型不正确，请从列表中勾选。",
    "unknown_hospital": "医院不在本市医院目录中，请从列表中选择。",
    "invalid_hospital_code": "医院代码格式不正确：1 到 32 位字母、数字或“-”，如 ZS-001。",
    "hospital_name_required": "请填写医院名称。",
    "hospital_of_another_city": "该医院代码已属于其他城市，不能使用。",
    "district_outside_city": "所选区县不在本市。",
    "invalid_claims_close_on": "申报截止日期不能早于保障年度的 1 月 1 日。",
    "unknown_service_point": "该服务站点尚未登记（或互助保障系统尚未收到登记），请稍后再试。",
    "not_a_service_point": "只能在服务站点受理和支付，您所在的单位不是服务站点。",
    "unknown_org": "互助保障系统尚未收到该组织的登记，请稍后再试。",
    # relief: hardship files, cards, grants, budgets
    "file_exists": "该困难职工档案已建立。",
    "file_not_found": "没有找到该困难职工档案。",
    "file_closed": "该困难职工档案已关闭。",
    "invalid_household": "家庭成员至少一人。",
    "unknown_category": "困难类别不正确。",
    "no_standard": "该区县尚未设置当期低保标准。",
    "no_card": "回访只针对持有效爱心帮扶证的档案。",
    "application_not_found": "没有找到该救助申请。",
    "not_drafted": "该申请不是草稿，不能修改。",
    "not_submitted": "该申请尚未提交。",
    "not_disbursed": "尚未发放，不能登记回执。",
    "already_disbursed": "该救助已发放。",
    "already_received": "该会员已领取过本次活动的物品。",
    "amount_not_allowed": "该救助类型不能填写金额。",
    "amount_required": "请填写金额。",
    "no_budget": "该区县本年度尚未设置此类救助的预算。",
    "budget_exceeded": "超出年度预算，不能批准。",
    "below_committed": "预算不能低于已批准的金额。",
    # outreach: service points, roving sessions, intake, benefit campaigns
    "point_exists": "该服务站点已登记。",
    "point_not_found": "没有找到该服务站点。",
    "point_closed": "该服务站点已关闭。",
    "amenities_for_stations": "只有工会驿站可以登记站点设施。",
    "invalid_hours": "开放时间格式不正确，应写作 08:00-17:30。",
    "session_exists": "该巡回服务已排期。",
    "session_not_found": "没有找到该巡回服务。",
    "session_in_future": "巡回服务尚未到开展日期。",
    "session_not_held": "该巡回服务尚未开展。",
    "services_required": "巡回服务至少提供一项服务。",
    "staff_required": "已开展的巡回服务至少登记一名工作人员。",
    "invalid_check_in": "签到人数不正确。",
    "already_checked_in": "该会员已签到。",
    "intake_exists": "该诉求已受理。",
    "intake_not_found": "没有找到该诉求。",
    "intake_closed": "该诉求已办结。",
    "invalid_requester": "诉求人信息不正确。",
    "card_not_allowed": "网上受理请填写会员编号；会员服务卡号只在巡回服务或工会驿站现场核验。",
    "district_required": "网上诉求须选择所属区县。",
    "place_required": "驿站受理的诉求须选择服务站点。",
    "place_not_allowed": "网上诉求不填写服务站点。",
    "summary_required": "请填写诉求摘要。",
    "campaign_exists": "该普惠活动已存在。",
    "campaign_not_found": "没有找到该普惠活动。",
    "campaign_not_running": "该普惠活动不在进行中。",
    "not_eligible": "该会员不在本次普惠活动的发放范围内（会员类别或所属区县不符）。",
    "invalid_stock": "库存数量不正确。",
    "out_of_stock": "库存已发完。",
    "already_handed_out": "该会员已领取过本次活动的物品。",
    "unknown_kind": "类型不正确。",
    "invalid_channel": "受理渠道不正确。",
    # issue 18: the rules clerks met, one code each
    "above_requested": "批准金额不能高于申请金额。",
    "recipient_required": "请先指定救助对象（已登记的会员），再提交申请。",
    "month_not_begun": "该月份尚未开始，不能发放生活补助。",
    "visit_in_future": "走访日期不能晚于今天。",
    "visit_before_card": "走访日期不能早于帮扶证发证日期。",
    "visit_before_last": "走访日期不能早于上次走访日期。",
    "unknown_member": "系统中没有该会员（尚未登记或刚刚登记，请稍后再试）。",
    "member_district_mismatch": "该会员不属于所填区县。",
    "invalid_districts": "区县填写不正确：应为本市的区县组织代码。",
}

CONSOLE_ERRORS: Final = {
    "wrong_credentials": "用户名或密码不正确。",
    "account_locked": "该账号已被锁定。",
    "account_disabled": "该账号已停用，请联系管理员。",
    "account_not_found": "没有找到该账号。",
    "username_taken": "该用户名已被使用，请换一个。",
    "invalid_username": "用户名须为 3 到 32 位小写字母、数字或“. _ -”，以字母开头。",
    "display_name_required": "请填写姓名。",
    "invalid_role": "请选择角色。",
    "role_does_not_fit_org": (
        "角色与所属单位不符：市总管理员属于市总工会，其他人员属于区县或服务站点。"
    ),
    "cannot_manage_role": "只有市总管理员可以管理市总管理员账号。",
    "cannot_disable_self": "不能停用自己的账号。",
    "wrong_current_password": "当前密码不正确。",
    "password_too_short": "新密码至少 10 位。",
    "password_too_weak": "新密码须同时包含字母和数字。",
    "password_contains_username": "新密码不能包含用户名。",
    "password_reused": "新密码不能与当前密码相同。",
    "password_mismatch": "两次输入的新密码不一致。",
    "csrf_failed": "页面已过期或来源不明，请返回后刷新页面再提交。",
    "service_unavailable": "业务系统暂时无法连接，请稍后再试；如仍有问题请联系信息科。",
}

ERROR_MESSAGES: Final = {**SERVICE_ERRORS, **CONSOLE_ERRORS}

# Codes composed in the source: prefix -> message, `{}` filled with the rest's label.
FAMILIES: Final = {
    "already_": ("该申请已是“{}”状态，不能再办理此操作。", STATUSES),
    "session_": ("该巡回服务{}，不能再更改。", STATUSES),
    "invalid_": ("{}不在可选范围内。", VOCABULARIES),
}

# Where two services use one code for different things, the service's own words win.
BY_SERVICE: Final = {
    "members": {
        "campaign_exists": "该扫码入会活动编号已被使用，请换一个编号。",
        "campaign_not_found": "没有找到该扫码入会活动。",
    },
    "relief": {
        "already_rejected": "该救助申请已不予批准。",
        "already_approved": "该救助申请已审批。",
        "not_approved": "该救助申请尚未审批，不能发放。",
    },
}

# Why an ID number was refused (the `reason` of `invalid_national_id`), said as it is typed.
NATIONAL_ID_REASONS: Final = {
    "wrong_length": "身份证号应为 18 位，现在是 {length} 位。",
    "bad_characters": "身份证号前 17 位应为数字，最后一位为数字或 X。",
    "impossible_birth_date": "身份证号第 7 至 14 位的出生日期不存在，请核对。",
    "birth_date_in_future": "身份证号中的出生日期晚于今天，请核对。",
    "check_digit_mismatch": "身份证号校验位不符：有数字输错了，请对照证件核对。",
}

FALLBACK: Final = "未能办理，请检查后重试；如仍有问题请联系信息科。"


def message_for(code: str, service: str | None = None) -> str | None:
    """The Chinese message of an error code, or None when the catalogue has none."""
    own = BY_SERVICE.get(service or "", {})
    if code in own:
        return own[code]
    if code in ERROR_MESSAGES:
        return ERROR_MESSAGES[code]
    for prefix, (template, words) in FAMILIES.items():
        rest = code.removeprefix(prefix)
        if rest != code and rest in words:
            return template.format(words[rest])
    return None


def chinese_message(code: str, service: str | None = None) -> str:
    """The message a page shows for `code` (a general one for a code not catalogued yet)."""
    return message_for(code, service) or FALLBACK


__all__ = ["ERROR_MESSAGES", "FAMILIES", "LABELS", "chinese_message", "message_for"]
