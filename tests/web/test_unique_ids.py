"""Valid HTML: no id appears twice in a page (issue 19: csrf_token, ground, reason and main did).
Each demo role's home page and every page one link away are read and their ids counted."""
import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from tender.demo import DEMO_PASSWORD
from tests.helpers import login


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids[value] += 1


def _duplicates(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return sorted(i for i, n in parser.ids.items() if n > 1)


_SKIP = re.compile(r"\.(pdf|docx|xlsx|csv|json|zip)$|/logout|/files/|/download|/export|/backup")


def _links(html: str) -> set[str]:
    return {href for href in re.findall(r'href="(/[^"#?]*)"', html) if not _SKIP.search(href)}


@pytest.mark.parametrize("email", ["officer@example.jp", "bidder@example.jp", "evaluator@example.jp",
                                   "auditor@example.jp", "admin@example.jp"])
def test_no_page_of_a_role_repeats_an_id(runner, clean_app, email):
    """The role's home, the pages it links to and theirs (a case, its award, a contract with its many
    forms, …): up to 80 pages each."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    client = clean_app.test_client()
    assert login(client, email, DEMO_PASSWORD).status_code == 302
    seen: set[str] = set()
    queue = ["/home"]
    problems = {}
    while queue and len(seen) < 80:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        found = _duplicates(response.text)
        if found:
            problems[path] = found
        queue.extend(sorted(_links(response.text) - seen))
    assert len(seen) > 5
    assert problems == {}
