"""The test data every test seeds from (`union_events.testing`): ID numbers that pass the
standard's check, orgs parents first, plan rules a test may change without changing another's."""

from __future__ import annotations

from datetime import date

from union_events.testing.people import national_id, person
from union_events.testing.plans import claim, plan_rules
from union_events.testing.seeding import city_orgs, waiting_claim


def test_the_standards_own_example_number_is_made_with_its_check_character() -> None:
    # GB 11643-1999's example: 11010519491231002X, sequence 002 born 31 December 1949.
    assert national_id(2, date(1949, 12, 31), "110105") == "11010519491231002X"


def test_numbers_are_distinct_past_a_thousand_a_day() -> None:
    numbers = [national_id(n) for n in range(0, 5000, 3)]
    assert len(set(numbers)) == len(numbers)
    assert all(len(number) == 18 for number in numbers)


def test_a_person_is_the_body_members_registers() -> None:
    body = person(7, "zhoushan/dinghai/u1", name="周海")
    assert body == {
        "national_id": national_id(7),
        "name": "周海",
        "phone": "13800000000",
        "unit": "zhoushan/dinghai/u1",
    }


def test_a_city_lists_each_org_after_its_parent() -> None:
    orgs = city_orgs("dinghai", "putuo", units=("u1", "u2"))
    seen: set[str] = set()
    for path, _ in orgs:
        parent = path.rsplit("/", 1)[0] if "/" in path else None
        assert parent is None or parent in seen, path
        seen.add(path)
    assert [level for _, level in orgs].count("service_point") == 2
    assert len(orgs) == 1 + 2 * 4


def test_plan_rules_are_a_fresh_copy_with_the_changes() -> None:
    changed = plan_rules(annual_cap="50000.00")
    changed["pooling"].append({"level": "district", "effective_from": "2026-06-01"})
    assert changed["annual_cap"] == "50000.00"
    assert plan_rules()["pooling"] == [{"level": "city", "effective_from": "2026-01-01"}]


def test_a_claim_has_one_invoice_issued_on_discharge() -> None:
    body = claim("m1", "zhoushan/dinghai/center", "INV-1", discharged_on="2026-04-21")
    assert body["invoices"] == [
        {"hospital": "ZS-001", "number": "INV-1", "amount": "3000.00", "issued_on": "2026-04-21"}
    ]
    assert waiting_claim("W-1", "p")["member_id"] != waiting_claim("W-2", "p")["member_id"]
