"""Each closed list is defined once (`union_events.published.vocabularies`) and every place
that shows or checks it agrees: the domain's checks, the published event schemas (enums in
the AsyncAPI documents), the HTTP schemas (enums in OpenAPI) and the console's Chinese labels.
A value added in one place and not the others fails here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args, get_type_hints

import pytest
from claims.api import answers as claims_answers
from claims.api import claims as claims_routes
from claims.bootstrap import definition as claims_definition
from claims.domain import payment as claims_payment
from claims.domain import state as claims_state
from claims.projections.claims_list import LISTED_STATUSES
from console.accounts import domain as accounts
from console.i18n import labels
from console.relief import common as relief_desk
from members.bootstrap import definition as members_definition
from members.domain import orgs as member_orgs
from outreach.bootstrap import definition as outreach_definition
from outreach.domain import intake as outreach_intake
from outreach.domain import vocabulary as outreach_vocabulary
from relief.api import answers as relief_answers
from relief.api import grants as relief_routes
from relief.bootstrap import definition as relief_definition
from relief.domain import application as relief_application
from relief.domain import events as relief_events
from relief.domain import jurisdiction as relief_jurisdiction
from union_events import tokens
from union_events.apps import create_app
from union_events.asyncapi import document as asyncapi_document
from union_events.published import vocabularies as v
from union_events.published.claims import ClaimRejected
from union_events.published.members import OrgRegistered
from union_events.published.outreach import IntakeClosed, IntakeRecorded, PointRegistered
from union_events.published.relief import ApplicationDrafted, HardshipCardWithdrawn
from union_events.service import ServiceDefinition
from union_events.settings import ServiceSettings

CHINESE_LABELS = labels.VOCABULARY_LABELS


@pytest.mark.parametrize("name", sorted(v.VOCABULARIES))
def test_every_value_has_exactly_one_chinese_label(name: str) -> None:
    assert list(CHINESE_LABELS[name]) == list(v.VOCABULARIES[name])
    for value in v.VOCABULARIES[name]:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in labels.label(value)), value


def test_the_services_check_against_the_one_list_not_a_copy() -> None:
    assert claims_payment.REJECTION_CODES is v.REJECTION_CODES
    assert claims_payment.RETURN_REASONS is v.RETURN_REASONS
    assert claims_state.STATUSES == ("none", *v.CLAIM_STATUSES)
    assert set(LISTED_STATUSES) == {*v.CLAIM_STATUSES, "awaiting_approval"}
    assert relief_application.KINDS is v.GRANT_KINDS
    assert relief_application.STATUSES is v.APPLICATION_STATUSES
    assert outreach_intake.OUTCOMES is v.INTAKE_OUTCOMES
    assert outreach_vocabulary.INTAKE_KINDS is v.INTAKE_KINDS
    assert outreach_vocabulary.POINT_KINDS is v.POINT_KINDS
    assert outreach_vocabulary.CHANNELS is v.INTAKE_CHANNELS
    assert outreach_vocabulary.CAMPAIGN_KINDS is v.CAMPAIGN_KINDS
    hints = get_type_hints(relief_events.CardWithdrawn)
    assert get_args(hints["reason"]) == v.CARD_WITHDRAWAL_REASONS
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
        (IntakeRecorded, "channel", v.INTAKE_CHANNELS),
        (HardshipCardWithdrawn, "reason", v.CARD_WITHDRAWAL_REASONS),
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


@pytest.mark.parametrize(
    ("service", "payload", "field", "vocabulary"),
    [
        ("claims", "ClaimRejected", "code", v.REJECTION_CODES),
        ("members", "OrgRegistered", "level", v.ORG_LEVELS),
        ("relief", "ApplicationDrafted", "kind", v.GRANT_KINDS),
        ("relief", "HardshipCardWithdrawn", "reason", v.CARD_WITHDRAWAL_REASONS),
        ("outreach", "IntakeRecorded", "kind", v.INTAKE_KINDS),
        ("outreach", "IntakeRecorded", "channel", v.INTAKE_CHANNELS),
        ("outreach", "IntakeClosed", "outcome", v.INTAKE_OUTCOMES),
        ("outreach", "PointRegistered", "kind", v.POINT_KINDS),
    ],
)
def test_the_asyncapi_document_of_the_publisher_shows_the_list_as_an_enum(
    service: str, payload: str, field: str, vocabulary: tuple[str, ...]
) -> None:
    """The document the service serves (`/asyncapi.json`), not only the payload's model."""
    schemas = asyncapi_document(SERVICES[service]())["components"]["schemas"]
    assert schemas[payload]["properties"][field]["enum"] == list(vocabulary)


def test_the_claims_api_documents_and_enforces_the_rejection_codes() -> None:
    app = create_app(claims_definition(), ServiceSettings())
    schemas = app.openapi()["components"]["schemas"]
    assert schemas["RejectIn"]["properties"]["code"]["enum"] == list(v.REJECTION_CODES)


def test_the_claims_api_documents_the_return_reasons_on_the_return_and_the_read() -> None:
    """`POST /claims/{id}/return` takes one (default `other`), `GET /claims/{id}` shows it as
    `returned_code`, and a timeline step's code is a rejection's code or a return's reason."""
    app = create_app(claims_definition(), ServiceSettings())
    schemas = app.openapi()["components"]["schemas"]
    code = schemas["ReturnIn"]["properties"]["code"]
    assert (code["enum"], code["default"]) == (list(v.RETURN_REASONS), "other")
    assert "code" not in schemas["ReturnIn"].get("required", [])  # old clients send no code
    shown = schemas["ClaimOut"]["properties"]["returned_code"]["anyOf"]
    assert [s.get("enum") for s in shown] == [list(v.RETURN_REASONS), None]
    step = schemas["StepOut"]["properties"]["code"]["anyOf"]
    assert [s.get("enum") for s in step] == [list(v.REJECTION_CODES), list(v.RETURN_REASONS), None]


SERVICES: dict[str, Callable[[], ServiceDefinition]] = {
    "members": members_definition,
    "claims": claims_definition,
    "relief": relief_definition,
    "outreach": outreach_definition,
}
# Fields and parameters named after a vocabulary: in a request or an answer, each is an enum.
VOCABULARY_NAMES = frozenset({"kind", "level", "outcome", "channel", "status", "code", "role"})
# The few that are not a closed list, each with why (anything new here is a decision).
OPEN_ON_PURPOSE = {
    "ErrorDetail.code": "the error catalogue (docs/errors.md): services add codes",
    "DiseaseIn.code": "a disease's code in the plan's list, which administrators extend",
    "DiseaseOut.code": "a disease's code in the plan's list, which administrators extend",
    "HospitalOut.code": "a hospital's code in the register, which administrators extend",
    "GET /hospitals/{code}.code": "a hospital's code in the register",
    "PUT /hospitals/{code}.code": "a hospital's code in the register",
}


def _plain_string(schema: dict[str, Any]) -> bool:
    """A string that takes any text: no enum, no constant, no referenced schema."""
    if "anyOf" in schema:
        return any(_plain_string(s) for s in schema["anyOf"] if s.get("type") != "null")
    return schema.get("type") == "string" and not {"enum", "const", "$ref"} & set(schema)


def _named_after_a_vocabulary(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every schema property and operation parameter named after a vocabulary, by place."""
    found = {
        f"{name}.{field}": schema
        for name, model in document["components"]["schemas"].items()
        for field, schema in (model.get("properties") or {}).items()
        if field in VOCABULARY_NAMES
    }
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in VOCABULARY_NAMES:
                    place = f"{method.upper()} {path}.{parameter['name']}"
                    found[place] = parameter.get("schema", {})
    return found


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_field_named_after_a_vocabulary_is_an_enum_in_openapi(service: str) -> None:
    document = create_app(SERVICES[service](), ServiceSettings()).openapi()
    fields = _named_after_a_vocabulary(document)
    assert fields, "the walk found nothing: it no longer reads the document"
    plain = sorted(p for p, s in fields.items() if _plain_string(s) and p not in OPEN_ON_PURPOSE)
    assert plain == [], f"plain strings where a vocabulary belongs: {plain}"


def test_the_exceptions_are_still_there() -> None:
    """An exception no longer in any document is dropped from `OPEN_ON_PURPOSE`."""
    places: set[str] = set()
    for definition in SERVICES.values():
        places |= set(
            _named_after_a_vocabulary(create_app(definition(), ServiceSettings()).openapi())
        )
    assert set(OPEN_ON_PURPOSE) <= places


@pytest.mark.parametrize(
    ("schema", "field", "vocabulary"),
    [
        ("PointIn", "kind", v.POINT_KINDS),
        ("IntakeIn", "kind", v.INTAKE_KINDS),
        ("IntakeIn", "channel", v.INTAKE_CHANNELS),
        ("CloseIn", "outcome", v.INTAKE_OUTCOMES),
        ("CampaignIn", "kind", v.CAMPAIGN_KINDS),
        ("PointOut", "kind", v.POINT_KINDS),
        ("IntakeOut", "channel", v.INTAKE_CHANNELS),
        ("CampaignOut", "kind", v.CAMPAIGN_KINDS),
    ],
)
def test_the_outreach_api_documents_its_lists_from_the_vocabularies(
    schema: str, field: str, vocabulary: tuple[str, ...]
) -> None:
    schemas = create_app(outreach_definition(), ServiceSettings()).openapi()["components"]
    assert schemas["schemas"][schema]["properties"][field]["enum"] == list(vocabulary)


def test_the_members_api_documents_the_org_levels() -> None:
    schemas = create_app(members_definition(), ServiceSettings()).openapi()["components"]
    for schema in ("OrgIn", "OrgOut"):
        assert schemas["schemas"][schema]["properties"]["level"]["enum"] == list(v.ORG_LEVELS)


def test_a_claims_status_and_timeline_step_are_built_from_the_one_claim_status() -> None:
    """The list filter adds only the approval queue, the timeline only `resubmitted`; the
    console names every step."""
    assert set(get_args(claims_routes.Status)) == {*v.CLAIM_STATUSES, "awaiting_approval"}
    assert set(get_args(claims_answers.Step)) == {*v.CLAIM_STATUSES, "resubmitted"}
    assert get_args(get_type_hints(claims_answers.ClaimOut)["status"]) == v.CLAIM_STATUSES
    assert set(labels.CLAIM_STEPS) == set(get_args(claims_answers.Step))
    schemas = create_app(claims_definition(), ServiceSettings()).openapi()["components"]
    steps = schemas["schemas"]["StepOut"]["properties"]["what"]["enum"]
    assert set(steps) == {*v.CLAIM_STATUSES, "resubmitted"}


def test_a_relief_applications_status_is_the_one_application_status() -> None:
    """Domain, API (filter and answer, enums in OpenAPI) and the relief desk's labels."""
    assert relief_routes.Status is v.ApplicationStatus
    hints = get_type_hints(relief_answers.ApplicationOut)
    assert get_args(hints["status"]) == v.APPLICATION_STATUSES
    assert list(relief_desk.APPLICATION_STATUSES) == list(v.APPLICATION_STATUSES)
    document = create_app(relief_definition(), ServiceSettings()).openapi()
    out = document["components"]["schemas"]["ApplicationOut"]["properties"]["status"]
    assert out["enum"] == list(v.APPLICATION_STATUSES)
    [listing] = [
        p for p in document["paths"]["/applications"]["get"]["parameters"] if p["name"] == "status"
    ]
    [enum] = [s for s in listing["schema"]["anyOf"] if "enum" in s]
    assert enum["enum"] == list(v.APPLICATION_STATUSES)
