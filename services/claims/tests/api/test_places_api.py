"""Where a claim may be filed and paid (service points members registered), which hospitals
its invoices name (the city's registry, by code), and when two invoices are one."""

from __future__ import annotations

import uuid

from union_events.published.members import OrgRegistered
from union_events.testing.plans import claim as claim_body
from union_events.testing.plans import plan_rules
from union_events.testing.tokens import bearer
from union_events.testing.waiting import eventually

RULES = plan_rules(annual_cap="90000.00", deadline_days=90)
DINGHAI = "zhoushan/dinghai"
CENTER, UNIT = f"{DINGHAI}/center", f"{DINGHAI}/fishery-co"
ORGS = [
    ("zhoushan", "city"),
    ("zhoushan/dinghai", "district"),
    (UNIT, "unit"),
    (CENTER, "service_point"),
]


def claim(member_id: str, number: str = "FP-2026-0001", **change) -> dict:
    return claim_body(member_id, CENTER, number) | change


async def ready(api, feed) -> str:
    """Orgs heard, a hospital registered, rules set, a member enrolled: the member id."""
    await feed.orgs(*ORGS)
    hospital = {"name": "舟山医院", "city": "zhoushan"}
    assert (await api.put("/hospitals/ZS-001", json=hospital)).status_code == 200
    assert (await api.put("/plans/inpatient/years/2026", json=RULES)).status_code == 200
    member_id = str(uuid.uuid4())
    await feed.enrolled(member_id, "zhoushan/dinghai")
    return member_id


async def approved(api, claim_id: str) -> None:
    async def is_approved() -> bool:  # the enrolment reaches claims over NATS
        return (await api.get(f"/claims/{claim_id}")).json()["status"] == "approved"

    await eventually(is_approved, timeout=20)


async def test_a_claim_at_a_path_nobody_registered_is_refused_naming_the_path(desk) -> None:
    api, feed = desk
    member_id = await ready(api, feed)
    nowhere = claim(member_id, service_point="zhoushan/madeup/nowhere")
    response = await api.post("/claims", json=nowhere)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "unknown_service_point"
    assert "zhoushan/madeup/nowhere" in error["message"]
    listed = (await api.get("/claims", params={"district": "zhoushan/madeup"})).json()
    assert listed["total"] == 0


async def test_a_claim_is_neither_filed_nor_paid_at_a_unit(desk) -> None:
    api, feed = desk
    member_id = await ready(api, feed)
    at_unit = await api.post("/claims", json=claim(member_id, service_point=UNIT))
    assert at_unit.status_code == 422, at_unit.text
    assert at_unit.json()["error"]["code"] == "not_a_service_point"
    assert UNIT in at_unit.json()["error"]["message"]

    filed = await api.post("/claims", json=claim(member_id))
    assert filed.status_code == 202, filed.text
    claim_id = filed.json()["claim_id"]
    await approved(api, claim_id)
    for point, code in ((UNIT, "not_a_service_point"), (f"{CENTER}-x", "unknown_service_point")):
        paying = await api.post(f"/claims/{claim_id}/payment", json={"service_point": point})
        assert paying.status_code == 422, paying.text
        assert paying.json()["error"]["code"] == code
    paid = await api.post(f"/claims/{claim_id}/payment", json={"service_point": CENTER})
    assert paid.status_code == 200, paid.text
    assert paid.json()["paid_at"] == CENTER


async def test_an_org_registration_heard_twice_from_members_is_noted_once(desk) -> None:
    api, feed = desk
    runtime = api._transport.app.state.runtime
    consumer = next(c for c in runtime.consumers if c.spec.name == "claims-members")
    registered = OrgRegistered(path=CENTER, name="定海中心", level="service_point", parent=DINGHAI)
    event_id = await feed.send(registered)
    await feed.send(registered, event_id, msg_id=f"resent-{event_id}")  # after the dup. window

    async def both_seen() -> bool:
        return consumer.handled + consumer.duplicates >= 2

    await eventually(both_seen, timeout=20)
    events = await runtime.store.read_stream(f"org-{CENTER}")
    assert [e.data["name"] for e in events] == ["定海中心"]
    org = (await api.get(f"/orgs/{CENTER}")).json()
    assert org == {"path": CENTER, "name": "定海中心", "level": "service_point"}
    missing = await api.get("/orgs/zhoushan/madeup/nowhere")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "unknown_org")


async def test_invoices_name_a_registered_hospital_by_code_and_an_unknown_one_is_refused(
    desk,
) -> None:
    api, feed = desk
    member_id = await ready(api, feed)
    by_name = claim(member_id)
    by_name["invoices"][0]["hospital"] = "舟山医院"
    refused = await api.post("/claims", json=by_name)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "invalid_hospital_code"
    unknown = claim(member_id)
    unknown["invoices"][0]["hospital"] = "ZS-404"
    refused = await api.post("/claims", json=unknown)
    assert refused.status_code == 422
    assert refused.json()["error"] | {"message": ""} == {
        "code": "unknown_hospital",
        "message": "",
        "hospital": "ZS-404",
    }
    lower = claim(member_id)
    lower["invoices"][0]["hospital"] = "zs-001"
    assert (await api.post("/claims", json=lower)).status_code == 202


async def test_an_invoice_filed_again_without_its_dashes_or_in_full_width_is_a_duplicate_naming_the_claim_holding_it(  # noqa: E501
    desk,
) -> None:
    api, feed = desk
    member_id = await ready(api, feed)
    first = await api.post("/claims", json=claim(member_id, "FP-2026-0001"))
    assert first.status_code == 202, first.text
    holder = first.json()["claim_id"]
    for number in ("FP20260001", "fp 2026 0001", "ＦＰ－２０２６－０００１"):
        again = await api.post("/claims", json=claim(member_id, number))
        assert again.status_code == 409, (number, again.text)
        error = again.json()["error"]
        assert (error["code"], error["held_by"], error["hospital"]) == (
            "duplicate_invoice",
            holder,
            "ZS-001",
        )
        assert error["number"] == number
        assert holder in error["message"] and "舟山医院" in error["message"]
        assert "held_by_status" not in error and "resubmission" not in error["message"]


async def test_a_city_admin_keeps_the_hospital_registry_and_staff_read_it(desk, tmp_path) -> None:
    api, _ = desk
    body = {"name": "定海区人民医院", "city": "zhoushan", "district": "zhoushan/dinghai"}
    saved = await api.put("/hospitals/dh-01", json=body)
    assert saved.status_code == 200, saved.text
    assert saved.json() == {"code": "DH-01", **body}
    zs = {"name": "舟山医院", "city": "zhoushan"}
    assert (await api.put("/hospitals/ZS-001", json=zs)).is_success
    renamed = await api.put("/hospitals/DH-01", json=body | {"name": "定海医院"})
    assert renamed.json()["name"] == "定海医院"
    officer = bearer(tmp_path / "claims", "district_officer", "zhoushan/dinghai")
    refused = await api.put("/hospitals/DH-02", json=body, headers=officer)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden_role")
    clerk = bearer(tmp_path / "claims", "clerk", "zhoushan/dinghai/center")
    one = await api.get("/hospitals/dh-01", headers=clerk)
    assert one.json()["name"] == "定海医院"
    missing = await api.get("/hospitals/XX-9", headers=clerk)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "unknown_hospital")

    async def listed():
        page = (await api.get("/hospitals", headers=clerk)).json()
        return page if page["total"] == 2 and page["hospitals"][0]["name"] == "定海医院" else None

    page = await eventually(listed)
    assert [h["code"] for h in page["hospitals"]] == ["DH-01", "ZS-001"]
    in_dinghai = (await api.get("/hospitals", params={"district": "zhoushan/dinghai"})).json()
    assert [h["code"] for h in in_dinghai["hospitals"]] == ["DH-01"]
    elsewhere = await api.put("/hospitals/DH-01", json=body | {"city": "ningbo", "district": None})
    assert elsewhere.status_code == 403  # a zhoushan admin keeps zhoushan's registry only
