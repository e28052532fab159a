"""The platform's closed lists, each defined once: what other systems see in events and APIs.

Each list is a `Literal` type (an enum in the OpenAPI and AsyncAPI documents of every model
that uses it) and a tuple of its values in the order the union lists them. The domain checks,
the API schemas, the published payloads, the docs and the console's Chinese labels all take
them from here; `tests/contracts/test_vocabularies.py` fails when one of them gains a value
the others lack (a rejection code without a Chinese label, say).
"""

from __future__ import annotations

from typing import Literal, get_args

# Who acts: a staff role, a member (self-service), or another system.
Role = Literal["city_admin", "district_officer", "clerk", "member", "service"]
ROLES: tuple[Role, ...] = get_args(Role)
STAFF_ROLES: tuple[Role, ...] = ("city_admin", "district_officer", "clerk")  # most senior first

# The levels of the federation's org tree (city → district → unit or service point).
OrgLevel = Literal["city", "district", "unit", "service_point"]
ORG_LEVELS: tuple[OrgLevel, ...] = get_args(OrgLevel)
# The kinds of service point outreach runs: 巡回服务点, 工会驿站, 职工之家.
PointKind = Literal["roving_point", "station", "workers_home"]
POINT_KINDS: tuple[PointKind, ...] = get_args(PointKind)

# A medical mutual-aid claim's status as its API shows it (a new claim is `filed` only until
# eligibility is checked; `returned` waits for the filer's correction).
ClaimStatus = Literal[
    "filed", "awaiting_eligibility", "assessed", "approved", "paid", "rejected", "returned"
]
CLAIM_STATUSES: tuple[ClaimStatus, ...] = get_args(ClaimStatus)

# Why a claim is not paid: an officer's coded reason, or the service's own rules.
RejectionCode = Literal[
    "not_enrolled",
    "past_deadline",
    "duplicate_invoice",
    "over_cap",
    "below_deductible",
    "waiting_period",
    "invalid_document",
    "not_covered",
    "other",
]
REJECTION_CODES: tuple[RejectionCode, ...] = get_args(RejectionCode)
# Why an officer returns a claim to its filer for correction (退回补正) instead of rejecting it:
# what the resubmission must put right (the documents, an invoice, the hospital stay's dates).
ReturnReason = Literal["missing_documents", "invoice_problem", "dates_problem", "other"]
RETURN_REASONS: tuple[ReturnReason, ...] = get_args(ReturnReason)

# Relief grants (困难职工帮扶): living aid, major-illness subsidy, education grant, festival
# condolence.
GrantKind = Literal["living_assistance", "major_illness", "education", "festival_condolence"]
GRANT_KINDS: tuple[GrantKind, ...] = get_args(GrantKind)
# A relief application's status: drafted → submitted → approved or rejected → disbursed.
ApplicationStatus = Literal["drafted", "submitted", "approved", "rejected", "disbursed"]
APPLICATION_STATUSES: tuple[ApplicationStatus, ...] = get_args(ApplicationStatus)

# What a request or complaint taken by outreach is about.
IntakeKind = Literal[
    "wage_arrears", "legal_aid", "hardship", "union_enrolment", "medical_reimbursement", "other"
]
INTAKE_KINDS: tuple[IntakeKind, ...] = get_args(IntakeKind)
# How an intake ended when outreach closed it.
IntakeOutcome = Literal[
    "wages_recovered",
    "legal_aid_given",
    "relief_granted",
    "enrolled",
    "answered",
    "referred",
    "withdrawn",
    "unresolved",
]
INTAKE_OUTCOMES: tuple[IntakeOutcome, ...] = get_args(IntakeOutcome)
# Where outreach took an intake: at a session (巡回服务), at a station (工会驿站), or online.
IntakeChannel = Literal["session", "station", "online"]
INTAKE_CHANNELS: tuple[IntakeChannel, ...] = get_args(IntakeChannel)
# What an outreach campaign hands out (夏送清凉, vouchers, festival gifts).
CampaignKind = Literal[
    "cooling_supplies", "cinema_voucher", "gym_voucher", "festival_gift", "other"
]
CAMPAIGN_KINDS: tuple[CampaignKind, ...] = get_args(CampaignKind)

# Why relief withdrew a hardship card (困难职工证): the household no longer qualifies at a
# review, or its hardship file was closed.
CardWithdrawalReason = Literal["not_eligible", "file_closed"]
CARD_WITHDRAWAL_REASONS: tuple[CardWithdrawalReason, ...] = get_args(CardWithdrawalReason)

VOCABULARIES: dict[str, tuple[str, ...]] = {
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
    "intake_channels": INTAKE_CHANNELS,
    "campaign_kinds": CAMPAIGN_KINDS,
    "card_withdrawal_reasons": CARD_WITHDRAWAL_REASONS,
}
