"""Each closed list is defined once (`union_events.published.vocabularies`) and every place
that shows or checks it agrees: the domain's checks, the published event schemas (enums in
the AsyncAPI documents), the HTTP schemas (enums in OpenAPI) and the console's Chinese labels.
A value added in one place and not the others fails here."""

from __future__ import annotations

from typing import Any

import pytest
from claims.bootstrap import definition as claims_definition
from claims.domain import payment as claims_payment
from claims.domain import state as claims_state
from claims.projections.claims_list import LISTED_STATUSES
from console.accounts import domain as accounts
from console.i18n import labels
from members.domain import orgs as member_orgs
from outreach.domain import intake as outreach_intake
from outreach.domain import vocabulary as outreach_vocabulary
from relief.domain import application as relief_application
from relief.domain import jurisdiction as relief_jurisdiction
from union_events import tokens
from union_events.apps import create_app
from union_events.published import vocabularies as v
from union_events.published.claims import ClaimRejected
from union_events.published.members import OrgRegistered
from union_events.published.outreach import IntakeClosed, IntakeRecorded, PointRegistered
from union_events.published.relief import ApplicationDrafted
from union_events.settings import ServiceSettings

CHINESE_LABELS = {
    "roles": labels.ROLES,
    "org_levels": labels.ORG_LEVELS,
    "point_kinds": labels.POINT_KINDS,
    "claim_statuses": labels.CLAIM_STATUSES,
    "rejection_codes": labels.REJECTION_CODES,
    "grant_kinds": labels.GRANT_KINDS,
    "intake_kinds": labels.INTAKE_KINDS,
    "intake_outcomes": labels.INTAKE_OUTCOMES,
}


@pytest.mark.parametrize("name", sorted(v.VOCABULARIES))
def test_every_value_has_exactly_one_chinese_label(name: str) -> None:
    assert list(CHINESE_LABELS[name]) == list(v.VOCABULARIES[name])
    for value in v.VOCABULARIES[name]:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in labels.label(value)), value


def test_the_services_check_against_the_one_list_not_a_copy() -> None:
    assert claims_payment.REJECTION_CODES is v.REJECTION_CODES
    assert claims_state.STATUSES == ("none", *v.CLAIM_STATUSES)
    assert set(LISTED_STATUSES) == {*v.CLAIM_STATUSES, "awaiting_approval"}
    assert relief_application.KINDS is v.GRANT_KINDS
    assert outreach_intake.OUTCOMES is v.INTAKE_OUTCOMES
    assert outreach_vocabulary.INTAKE_KINDS is v.INTAKE_KINDS
    assert outreach_vocabulary.POINT_KINDS is v.POINT_KINDS
    assert member_orgs.LEVELS is v.ORG_LEVELS
    assert tokens.ROLES is v.ROLES and relief_jurisdiction.ROLES is v.ROLES
    assert accounts.ROLES == v.STAFF_ROLES and set(v.STAFF_ROLES) <= set(v.ROLES)


@pytest.mark.parametrize(
    ("payload", "field", "vocabulary"),
    [
        (ClaimRejected, "code", v.REJECTION_CODES),
        (OrgRegistered, "level", v.ORG_LEVELS),
        (ApplicationDrafted, "kind", v.GRANT_KINDS),
        (IntakeRecorded, "kind", v.INTAKE_KINDS),
        (IntakeClosed, "kind", v.INTAKE_KINDS),
        (IntakeClosed, "outcome", v.INTAKE_OUTCOMES),
        (PointRegistered, "kind", v.POINT_KINDS),
    ],
)
def test_published_events_document_the_list_as_an_enum(
    payload: Any, field: str, vocabulary: tuple[str, ...]
) -> None:
    schema = payload.model_json_schema()["properties"][field]
    assert schema.get("enum") == list(vocabulary)


def test_the_claims_api_documents_and_enforces_the_rejection_codes() -> None:
    app = create_app(claims_definition(), ServiceSettings())
    schemas = app.openapi()["components"]["schemas"]
    assert schemas["RejectIn"]["properties"]["code"]["enum"] == list(v.REJECTION_CODES)
