"""Issue 19, errors where the user looks: a form inside a page that is refused shows its errors in
that form, beside each field, all at once, with what was typed kept; the redirect lands on them
(#form-feedback); nothing else on the page shows them, and nothing was changed."""
from datetime import timedelta

from freezegun import freeze_time

from tender.contracts.models import Contract
from tender.extensions import db
from tests.helpers import csrf_from
from tests.scenario import draft


def _post(client, url, data, page):
    return client.post(url, data={**data, "csrf_token": csrf_from(client.get(page).text)})


def test_a_refused_in_page_form_shows_every_error_beside_its_field_where_the_page_lands(clean_app, awarded):
    t = awarded
    officer, contract_id = draft(clean_app, t)
    page = f"/contracts/{contract_id}"
    with freeze_time(t["decided_at"] + timedelta(minutes=10)):
        # Both fields wrong at once: both messages at once (not one, then the other).
        response = _post(officer, f"{page}/extend", {"new_deadline": "来週", "reason": ""}, page)
        assert response.status_code == 302 and response.headers["Location"].endswith(f"{page}#form-feedback")
        html = officer.get(page).text
        form = html.split(f'action="{page}/extend"', 1)[1].split("</form>", 1)[0]
        assert 'id="form-feedback"' in form and 'role="alert"' in form
        assert "延長の理由を入力してください。" in form  # beside its field
        assert 'aria-invalid="true"' in form and form.count('class="errors"') == 2
        assert "来週" in form  # what was typed is kept
        top = html.split('id="deadline"', 1)[0]
        assert "延長の理由を入力してください" not in top  # not flashed far from the form
        # Shown once: the next visit is clean.
        assert "延長の理由を入力してください。" not in officer.get(page).text
        # The operation's own reason is said in the form too.
        with clean_app.app_context():
            deadline = db.session.get(Contract, contract_id).deadline
        refused = _post(officer, f"{page}/extend", {"new_deadline": (deadline - timedelta(days=1)).isoformat(),
                                                    "reason": "先方の決裁が遅れるため"}, page)
        assert refused.status_code == 302
        form = officer.get(page).text.split(f'action="{page}/extend"', 1)[1].split("</form>", 1)[0]
        assert 'id="form-feedback"' in form and "先方の決裁が遅れるため" in form
    with clean_app.app_context():
        contract = db.session.get(Contract, contract_id)
        assert contract.extended_deadline is None  # nothing changed


def test_the_message_of_a_form_the_page_no_longer_has_is_shown_at_the_top(clean_app, awarded):
    from tender.web import feedback

    t = awarded
    officer, contract_id = draft(clean_app, t)
    with freeze_time(t["decided_at"] + timedelta(minutes=10)):
        with officer.session_transaction() as session:
            session[feedback.KEY] = {"key": "NoSuchForm:", "message": "この操作はできません（状態が変わりました）。",
                                     "errors": {}, "data": []}
        html = officer.get(f"/contracts/{contract_id}").text
    assert html.count("この操作はできません（状態が変わりました）。") == 1
    assert 'role="alert">この操作はできません' in html


def test_what_was_typed_goes_back_only_to_the_page_the_action_returns_to(clean_app, awarded):
    """The same form on another page (another tab) neither takes the refused values nor the message."""
    t = awarded
    officer, contract_id = draft(clean_app, t)
    page = f"/contracts/{contract_id}"
    with freeze_time(t["decided_at"] + timedelta(minutes=10)):
        _post(officer, f"{page}/extend", {"new_deadline": "来週", "reason": ""}, page)
        elsewhere = officer.get("/home").text
        assert "来週" not in elsewhere and "延長の理由を入力してください" not in elsewhere
        form = officer.get(page).text.split(f'action="{page}/extend"', 1)[1].split("</form>", 1)[0]
        assert "来週" in form and "延長の理由を入力してください。" in form  # still waiting for its page
