"""Two console replicas on one database, behind a Service without session affinity: a Shengsi
clerk finds a Dinghai member by card on one replica and the pay-confirm page, the payment and
the receipt are served by the other; the member is still shown (withheld: 周*), because how
the member was found is kept in the session store, not in one process's memory.

Over HTTP (no browser): real members, claims and two console processes on one data dir."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from union_events.testing.plans import plan_rules
from union_events.testing.tokens import token

from .claims_platform import ClaimsPlatform, call, start_claims_platform
from .platform import Process, start

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
ADMITTED, DISCHARGED = TODAY - timedelta(days=12), TODAY - timedelta(days=5)
YEAR = ADMITTED.year
RULES = plan_rules(
    pooling=[{"level": "city", "effective_from": f"{YEAR}-01-01"}],
    annual_cap="50000.00",
    deadline_days=90,
)
PASSWORD = "Haidao-2026-xin"
PLACEHOLDER = "外区县会员"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def replicas(
    tmp_path_factory: pytest.TempPathFactory, nats_url: str
) -> Iterator[tuple[ClaimsPlatform, Process]]:
    root = tmp_path_factory.mktemp("replicas")
    running = start_claims_platform(root, nats_url)
    second: Process | None = None
    try:
        assert running.members is not None and running.claims is not None
        env = {  # the same data dir: the same console.db, secret and signing key
            "UNION_DATA_DIR": str(running.data_dir),
            "CONSOLE_MEMBERS_URL": running.members.url,
            "CONSOLE_CLAIMS_URL": running.claims.url,
        }
        second = start("console-b", "console.main:app", env, root)
        second.wait_ready()
        yield running, second
    finally:
        if second is not None:
            second.stop()
        running.stop()


def approved_claim(
    platform: ClaimsPlatform, n: int, at: str = "zhoushan/dinghai/center"
) -> dict[str, str]:
    """A Dinghai member's claim, filed at `at` and approved at once (below the threshold)."""
    assert platform.claims is not None
    claims, admin = platform.claims.url, platform.admin_token()
    status, answer = call(f"{claims}/plans/inpatient/years/{YEAR}", "PUT", admin, RULES)
    assert status == 200, answer
    hospital = {"name": "舟山医院", "city": "zhoushan"}
    assert call(f"{claims}/hospitals/ZS-001", "PUT", admin, hospital)[0] in (200, 201)
    member = platform.enrolled_member(n, "周海", "inpatient", YEAR)
    body = {
        "member_id": member["member_id"],
        "service_point": at,
        "plan_id": "inpatient",
        "admitted_on": ADMITTED.isoformat(),
        "discharged_on": DISCHARGED.isoformat(),
        "invoices": [{"hospital": "ZS-001", "number": f"RP-{n:04d}", "amount": "3000.00",
                      "issued_on": DISCHARGED.isoformat()}],
    }  # fmt: skip
    clerk = token(platform.data_dir, "clerk", at)
    deadline = time.monotonic() + 30
    while True:  # claims hears of the enrolment from members over NATS
        status, filed = call(f"{claims}/claims", "POST", clerk, body)
        assert status == 202, filed
        claim_id = filed["claim_id"]
        while (state := call(f"{claims}/claims/{claim_id}", "GET", admin)[1]["status"]) in (
            "filed",
            "awaiting_eligibility",
        ):
            assert time.monotonic() < deadline, f"claim {claim_id} stays {state}"
            time.sleep(0.2)
        assert state == "approved", state
        return member | {"claim_id": claim_id}


def form_token(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def signed_in(
    url: str,
    platform: ClaimsPlatform,
    username: str,
    name: str,
    org: str = "zhoushan/shengsi/center",
) -> httpx.Client:
    """A clerk (of Shengsi by default) signed in on one replica (the first password changed)."""
    one_time = platform.make_account(username, "clerk", org, name)
    client = httpx.Client(base_url=url, trust_env=False, timeout=30)
    login = client.get("/login")
    form = {"username": username, "password": one_time, "next": "/"}
    answer = client.post("/login", data=form | {"csrf_token": form_token(login)})
    assert (answer.status_code, answer.headers["location"]) == (303, "/password"), answer.text
    page = client.get("/password")
    change = {"current": one_time, "new": PASSWORD, "confirm": PASSWORD}
    answer = client.post("/password", data=change | {"csrf_token": form_token(page)})
    assert answer.status_code in (200, 303), answer.text
    return client


def test_a_member_found_on_one_replica_is_shown_on_the_pay_and_receipt_pages_of_another(
    replicas: tuple[ClaimsPlatform, Process],
) -> None:
    platform, other = replicas
    member = approved_claim(platform, 41)
    claim_id = member["claim_id"]
    first = signed_in(platform.url, platform, "sg.clerk", "赵敏")
    second = httpx.Client(base_url=other.url, cookies=first.cookies, trust_env=False, timeout=30)
    try:
        search = first.get("/claims/pay")
        found = first.post(
            "/claims/pay", data={"member": member["card_no"], "csrf_token": form_token(search)}
        )
        assert found.status_code == 200, found.text
        assert claim_id in found.text and "周*" in found.text

        confirm = second.get(f"/claims/pay/{claim_id}")  # the other replica, the same session
        assert confirm.status_code == 200, confirm.text
        assert "周*" in confirm.text and PLACEHOLDER not in confirm.text
        paid = second.post(f"/claims/pay/{claim_id}", data={"csrf_token": form_token(confirm)})
        assert (paid.status_code, paid.headers["location"]) == (303, f"/claims/receipt/{claim_id}")
        receipt = second.get(f"/claims/receipt/{claim_id}")
        assert receipt.status_code == 200, receipt.text
        assert "周*" in receipt.text and PLACEHOLDER not in receipt.text
        masked = member["national_id"][:6] + "********" + member["national_id"][-4:]
        assert masked in receipt.text and member["national_id"] not in receipt.text
    finally:
        first.close()
        second.close()


def test_a_session_that_never_found_the_member_does_not_see_them(
    replicas: tuple[ClaimsPlatform, Process],
) -> None:
    """The remembered look-up belongs to its session: another clerk's session, on either
    replica, prints the placeholder (it never typed the member's card)."""
    platform, other = replicas
    assert platform.claims is not None
    paid = f"{platform.claims.url}/claims?status=paid"  # the claim the test above paid
    deadline = time.monotonic() + 20
    while not (page := call(paid, "GET", platform.admin_token())[1])["claims"]:
        assert time.monotonic() < deadline, page  # the list catches up with the payment
        time.sleep(0.2)
    claim_id = page["claims"][0]["claim_id"]
    client = signed_in(other.url, platform, "sg.clerk2", "钱进")
    try:
        receipt = client.get(f"/claims/receipt/{claim_id}")
        assert receipt.status_code == 200, receipt.text
        assert PLACEHOLDER in receipt.text and "周*" not in receipt.text
    finally:
        client.close()


def test_a_payment_the_pooling_rule_refuses_is_said_as_a_refusal_without_a_confirm_button(
    replicas: tuple[ClaimsPlatform, Process],
) -> None:
    """A Putuo clerk opens the check page of a claim filed in Putuo for a Dinghai member under
    city pooling (a button to press); the plan turns to district pooling meanwhile; the payment
    posted (on the other replica) is refused: the page says so and what to do, under no error
    heading, and offers no confirm button (nor does the check page opened now)."""
    platform, other = replicas
    assert platform.claims is not None
    member = approved_claim(platform, 42, at="zhoushan/putuo/center")  # filed in Putuo
    claim_id = member["claim_id"]
    client = signed_in(platform.url, platform, "pt.clerk", "李娜", "zhoushan/putuo/center")
    try:
        confirm = client.get(f"/claims/pay/{claim_id}")
        assert confirm.status_code == 200, confirm.text
        assert "确认支付 ¥1,250.00" in confirm.text  # city pooling: Putuo may pay
        district = {**RULES, "pooling": [{"level": "district", "effective_from": f"{YEAR}-01-01"}]}
        url = f"{platform.claims.url}/plans/inpatient/years/{YEAR}"
        assert call(url, "PUT", platform.admin_token(), district)[0] == 200
        second = httpx.Client(base_url=other.url, cookies=client.cookies, trust_env=False)
        with second:
            refused = second.post(
                f"/claims/pay/{claim_id}", data={"csrf_token": form_token(confirm)}
            )
            again = second.get(f"/claims/pay/{claim_id}")  # opened now: refused at once
        for page in (refused, again):
            assert 'data-testid="pay-refusal"' in page.text, page.text
            assert "本站点不能支付该申请" in page.text
            assert "本计划当前为区级统筹，只有参保区县的服务站点可以支付" in page.text
            assert "到定海区总工会的服务站点领取" in page.text
            assert "error-summary" not in page.text and "确认支付" not in page.text
        assert refused.status_code == 403
    finally:
        client.close()
        city = f"{platform.claims.url}/plans/inpatient/years/{YEAR}"
        call(city, "PUT", platform.admin_token(), RULES)


def test_a_sign_out_on_one_replica_ends_the_session_on_the_other(
    replicas: tuple[ClaimsPlatform, Process],
) -> None:
    platform, other = replicas
    first = signed_in(platform.url, platform, "sg.clerk3", "孙丽")
    second = httpx.Client(base_url=other.url, cookies=first.cookies, trust_env=False, timeout=30)
    try:
        home = second.get("/")  # the session started on the first replica serves on the other
        assert home.status_code == 200 and "孙丽" in home.text, home.text
        out = first.post("/logout", data={"csrf_token": form_token(first.get("/"))})
        assert out.status_code == 303, out.text
        after = second.get("/")  # the other replica had it in memory: the database says no
        assert after.status_code == 303 and after.headers["location"].startswith("/login")
    finally:
        first.close()
        second.close()
