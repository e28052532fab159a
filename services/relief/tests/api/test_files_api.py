"""Hardship files over HTTP: standards, the card, reviews, closing, and bad input."""

from __future__ import annotations

from .conftest import TODAY, A, file_body, open_file, standard


async def test_a_file_below_the_line_gets_a_card_and_shows_its_household(api, members):
    await standard(api)
    member = await members.register()
    opened = await open_file(api, member, income="2000.00", people=2)  # 1000.00 a head < 1001
    assert opened["card"]["card_id"] == f"{opened['file_id']}-1"
    assert opened["review_due"] == "2027-11-23"
    assert "household" not in opened
    got = (await api.get(f"/files/{opened['file_id']}")).json()
    assert got["household"]["members"][0] == {"name": "家人0", "relation": "self"}
    assert got["household"]["notes"] == "丈夫因病失业"
    assert got["monthly_income"] == "2000.00"


async def test_exactly_at_the_line_no_card_and_a_review_below_it_issues_one(api, members):
    await standard(api)
    member = await members.register()
    opened = await open_file(api, member, income="2002.00", people=2)  # 1001.00 a head: the line
    assert opened["card"] is None
    reviewed = await api.post(
        f"/files/{opened['file_id']}/review", json={"monthly_income": "1200.00"}
    )
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["card"]["since"] == TODAY.isoformat()


async def test_a_review_above_the_line_withdraws_the_card_and_closing_needs_a_reason(api, members):
    await standard(api)
    file_id = (await open_file(api, await members.register(), income="1000.00"))["file_id"]
    reviewed = await api.post(f"/files/{file_id}/review", json={"monthly_income": "4000.00"})
    assert reviewed.json()["card"] is None
    no_reason = await api.post(f"/files/{file_id}/close", json={"reason": ""})
    assert no_reason.status_code == 422
    closed = await api.post(f"/files/{file_id}/close", json={"reason": "脱困"})
    assert closed.json()["status"] == "closed"
    again = await api.post(f"/files/{file_id}/close", json={"reason": "again"})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "file_closed")


async def test_without_a_standard_for_the_district_the_file_is_refused_clearly(api, members):
    response = await api.post("/files", json=file_body(await members.register()))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "no_standard"
    assert A in response.json()["error"]["message"]


BAD_INPUT = [
    ({"monthly_income": 1500.0}, "monthly_income"),  # a float
    ({"monthly_income": "-1.00"}, "monthly_income"),  # a negative
    ({"monthly_income": "1,500"}, "monthly_income"),
    ({"category": "poor"}, "category"),
    ({"household": []}, "household"),
    ({"district": "Zhoushan Dinghai"}, "district"),
    ({"district": "zhoushan"}, "district"),  # a city is no district
    ({"opened_by": "zhoushan/Dinghai"}, "opened_by"),
    ({"surprise": 1}, "surprise"),
]


async def test_bad_input_is_a_422_naming_the_field_in_words(api):
    body = file_body("0b8a7c1e-3f7d-4a53-9c1f-2d5e8f6a7b90")
    for change, field in BAD_INPUT:  # one service for the whole table: it starts in ~0.5 s
        response = await api.post("/files", json=body | change)
        assert response.status_code == 422, change
        error = response.json()["error"]
        assert error["code"] == "invalid_request"
        assert field in error["message"], change
        assert "^" not in error["message"] and "[a-z" not in error["message"], error  # no regex


async def test_an_unknown_file_is_a_404(api):
    response = await api.get("/files/nope")
    assert (response.status_code, response.json()["error"]["code"]) == (404, "file_not_found")


async def test_standards_are_read_by_date_and_refuse_a_city_path(api):
    await standard(api, amount="700.00", effective_from="2025-01-01")
    await standard(api, amount="770.00", effective_from="2026-07-01")
    june = await api.get("/standards", params={"district": A, "on": "2026-06-30"})
    assert june.json()["amount"] == "700.00"
    assert (await api.get("/standards", params={"district": A})).json()["amount"] == "770.00"
    line = (june.json()["card_factor"], june.json()["card_line_per_head"])
    assert line == ("1.3", "910.00")  # a card below 1.3 × 700.00 a head
    city = await api.post(
        "/standards",
        json={"district": "zhoushan", "amount": "1.00", "effective_from": "2026-01-01"},
    )
    assert city.status_code == 422
