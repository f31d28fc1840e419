"""Keyset pagination (issue 16 item 2): every list walks forward and back without skipping or
repeating a row, its last page is reached in one step, and a forged cursor is the first page."""
import re
from html import unescape

import pytest

from tender.accounts.models import Role
from tests.helpers import email_of, login, make_case, make_company, make_user

LINK = re.compile(r'<a href="([^"]+)" rel="(first|prev|next|last)">')


def _links(html: str) -> dict[str, str]:
    return {rel: unescape(href) for href, rel in LINK.findall(html)}


def _titles(html: str) -> list[str]:
    return re.findall(r"(ページ送り試験案件\d+)", html)


@pytest.fixture
def board(clean_app):
    officer = make_user(clean_app, Role.OFFICER)
    second = make_user(clean_app, Role.OFFICER)
    for n in range(45):
        make_case(clean_app, officer, officials=[officer, second], title=f"ページ送り試験案件{n:02d}")
    return clean_app.test_client()


def test_the_board_walks_forward_and_back_over_every_case_once(board):
    seen, url = [], "/notices"
    for _ in range(10):
        page = board.get(url)
        assert page.status_code == 200
        seen += _titles(page.text)
        links = _links(page.text)
        if "next" not in links:
            break
        url = links["next"]
    assert len(seen) == 45 and len(set(seen)) == 45
    assert seen == sorted(seen, reverse=True)  # newest first: published in this order
    assert "全 45 件" in page.text
    back = _titles(page.text)
    while "prev" in _links(page.text):
        page = board.get(_links(page.text)["prev"])
        back = _titles(page.text) + back
    assert back == seen


def test_the_last_page_is_one_step_and_holds_the_oldest(board):
    """The last page is the oldest 20, read from the end of the index like the first page."""
    first = board.get("/notices")
    last = board.get(_links(first.text)["last"])
    assert _titles(last.text) == [f"ページ送り試験案件{n:02d}" for n in reversed(range(20))]
    links = _links(last.text)
    assert "next" not in links and "prev" in links and "first" in links
    previous = board.get(links["prev"])
    assert _titles(previous.text) == [f"ページ送り試験案件{n:02d}" for n in reversed(range(20, 40))]


FORGED = ["after=xyz", "before=%%%", "after=W10", "after=WyJ4Il0", "after=WyIyMDI2LTAxLTAxIiwgMV0",
          "after=W3sidCI6ICJ4In0sIDFd", "after=W3sidCI6ICIyMDI2LTAxLTAxVDAwOjAwOjAwIn0sIDFd", "last=2&after=",
          "after=" + "A" * 5000]


def test_a_forged_cursor_is_the_first_page(board):
    """Each forged cursor on one board (built once: 45 cases with their keys take seconds)."""
    for query in FORGED:
        page = board.get(f"/notices?{query}")
        assert page.status_code == 200, query
        assert _titles(page.text)[0] == "ページ送り試験案件44", query


def test_lists_of_companies_and_users_walk_in_their_order(clean_app):
    admin = make_user(clean_app, Role.ADMIN)
    for n in range(30):
        make_company(clean_app, name=f"会社{n:02d}", name_kana=f"かいしゃ{29 - n:02d}")
    client = clean_app.test_client()
    login(client, email_of(clean_app, admin))
    names, url = [], "/companies"
    while url:
        page = client.get(url)
        names += re.findall(r">(会社\d\d)<", page.text)
        url = _links(page.text).get("next")
    assert names == [f"会社{n:02d}" for n in reversed(range(30))]  # by ふりがな


def test_a_list_counts_no_further_than_its_limit_and_says_so(board, monkeypatch):
    """Counting is bounded like the pages are: past COUNT_LIMIT the board says 「N件以上」."""
    from tender.web import pages

    monkeypatch.setattr(pages, "COUNT_LIMIT", 40)
    text = board.get("/notices").text
    assert "40 件以上" in text and "全 45 件" not in text
    monkeypatch.setattr(pages, "COUNT_LIMIT", 45)
    assert "全 45 件" in board.get("/notices").text


def test_the_contract_list_walks_contracts_signed_the_same_day_without_skipping_one(clean_app):
    """The contract list is read as columns (rows, not objects) in the order (signed_on, id): 27
    contracts all signed on one day walk forward and back, each once, newest first."""
    from tests.web.test_query_counts import _contracted_cases

    world = _contracted_cases(clean_app, 27)
    client = clean_app.test_client()
    login(client, email_of(clean_app, world["officer"]))
    expected = [f"運用保守業務{n:02d}" for n in reversed(range(27))]
    titles, url = [], "/contracts"
    while url:
        page = client.get(url)
        assert page.status_code == 200
        titles += re.findall(r">(運用保守業務\d\d)</a>", page.text.split("締結した契約と公表")[1])
        url = _links(page.text).get("next")
    assert titles == expected
    assert "全 27 件" in page.text
    back, url = [], "/contracts?last=1"
    while url:
        page = client.get(url)
        back = re.findall(r">(運用保守業務\d\d)</a>", page.text.split("締結した契約と公表")[1]) + back
        url = _links(page.text).get("prev")
    assert back == expected
