"""The org registry over HTTP."""

from __future__ import annotations

from .conftest import city


async def test_an_org_tree_is_registered_and_read_back(api):
    await city(api)
    org = (await api.get("/orgs/zhoushan/dinghai/center")).json()
    assert org == {
        "path": "zhoushan/dinghai/center",
        "name": "zhoushan/dinghai/center",
        "level": "service_point",
        "parent": "zhoushan/dinghai",
    }


async def test_an_org_whose_parent_does_not_exist_is_refused(api):
    response = await api.post(
        "/orgs", json={"path": "zhoushan/haishu", "name": "x", "level": "district"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "parent_not_found"


async def test_a_duplicate_path_is_a_conflict(api):
    await city(api, districts=("dinghai",))
    response = await api.post(
        "/orgs", json={"path": "zhoushan/dinghai", "name": "again", "level": "district"}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "org_exists"


async def test_a_bad_level_or_path_is_a_422_with_a_reason(api):
    bad_level = await api.post("/orgs", json={"path": "zhoushan", "name": "x", "level": "town"})
    assert bad_level.status_code == 422
    assert "level" in bad_level.json()["error"]["message"]
    bad_path = await api.post("/orgs", json={"path": "Zhou Shan", "name": "x", "level": "city"})
    assert bad_path.status_code == 422
    assert bad_path.json()["error"]["code"] == "invalid_org_path"


async def test_unknown_org_is_a_404(api):
    response = await api.get("/orgs/zhoushan/nowhere")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "org_not_found"
