"""Issue 19, hand-offs: each role's home page lists what waits for it (あなたの作業), and the list
moves with the work — the second official sees the opening to confirm, then the officer the award
to decide and the contract to draft; an evaluator the declaration; a bidder the bid it registered
for and has not sent."""
import re
from datetime import timedelta

from freezegun import freeze_time

from tests.helpers import post_form
from tests.scenario import client_of, decide, request_opening, submit


def _tasks(client) -> list[str]:
    html = client.get("/home").text
    section = html.split('id="tasks"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="task__what" href="[^"]+">([^<]+)</a>', section)


def test_the_opening_then_the_award_then_the_contract_wait_for_the_right_officer(clean_app, auction):
    a = auction
    with freeze_time(a["during"]):
        for i, amount in enumerate([9_000_000, 8_500_000]):
            submit(clean_app, a, i, amount)
        assert _tasks(client_of(clean_app, a["officer"])) == []
    with freeze_time(a["opening"] + timedelta(seconds=30)):
        officer = client_of(clean_app, a["officer"])
        assert _tasks(officer) == ["開札（第1回）"]
    request_opening(clean_app, a["case"], a["officer"], a["opening"] + timedelta(minutes=1))
    with freeze_time(a["opening"] + timedelta(minutes=2)):
        second = client_of(clean_app, a["second"])
        assert _tasks(second) == ["開札の確認（第1回）"]
        page = second.get("/home").text
        assert "さんが開札を求めています" in page and f'href="/cases/{a["case"]}/opening"' in page
        assert "開札の確認" not in " ".join(_tasks(client_of(clean_app, a["officer"])))  # not the one who asked
    from tests.scenario import confirm_opening

    confirm_opening(clean_app, a["case"], a["second"], a["opening"] + timedelta(minutes=3))
    with freeze_time(a["opening"] + timedelta(minutes=4)):
        assert _tasks(client_of(clean_app, a["second"])) == []
        assert _tasks(client_of(clean_app, a["officer"])) == ["落札者の決定"]
    with freeze_time(a["opening"] + timedelta(minutes=5)):
        decide(clean_app, a["case"], a["officer"])
        officer = client_of(clean_app, a["officer"])
        assert _tasks(officer) == ["契約書（案）の作成"]
        url = f"/cases/{a['case']}/contract"
        post_form(officer, url, {}, form_url=url)
        assert _tasks(officer) == []
        assert "いま、あなたを待っている作業はありません" in officer.get("/home").text


def test_an_evaluator_is_asked_to_declare_once_assigned(clean_app, tender):
    t = tender
    officer = client_of(clean_app, t["officer"])
    evaluator = client_of(clean_app, t["evaluators"][0])
    assert _tasks(evaluator) == []
    url = f"/cases/{t['case']}/panel"
    done = post_form(officer, f"{url}/assign", {"evaluator": str(t["evaluators"][0]), "chair": "y"}, form_url=url,
                     follow=True)
    assert "審査員を指名しました" in done.text
    assert _tasks(evaluator) == ["利害関係の申告"]


def test_a_bidder_is_reminded_of_the_bid_it_registered_for_until_it_is_sent(clean_app, auction):
    a = auction
    with freeze_time(a["during"]):
        bidder = client_of(clean_app, a["bidders"][0])
        assert _tasks(bidder) == []
        post_form(bidder, f"/notices/{a['case']}/register", {}, form_url=f"/notices/{a['case']}")
        assert _tasks(bidder) == ["入札書の提出"]
        assert "期限" in bidder.get("/home").text
        assert _tasks(client_of(clean_app, a["bidders"][1])) == []  # another company registered nothing
        submit(clean_app, a, 0, 9_000_000)
        assert _tasks(bidder) == []
    with freeze_time(a["after"]):
        post_form(client_of(clean_app, a["bidders"][2]), f"/notices/{a['case']}/register", {},
                  form_url=f"/notices/{a['case']}")
        assert _tasks(client_of(clean_app, a["bidders"][2])) == []  # too late: nothing to do
