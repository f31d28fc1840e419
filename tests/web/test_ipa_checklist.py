"""The items of IPA 「安全なウェブサイトの作り方」 that no other test already proves
(docs/ipa-checklist.md maps every item to its tests)."""
import ast
import io
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from tender.accounts.models import Role
from tender.extensions import db
from tests.helpers import login_as, make_company, post_form

SOURCE = Path(__file__).resolve().parents[2] / "tender"


def _calls(name_test):
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and name_test(node):
                yield path.relative_to(SOURCE.parent), node


def _dotted(node) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _quoted_identifiers_only(node) -> bool:
    """An f-string whose every hole is an identifier quoted by the dialect (quote(name))."""
    return isinstance(node, ast.JoinedStr) and all(
        isinstance(part, ast.Constant) or (isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Call)
                                           and _dotted(part.value.func).split(".")[-1] in ("quote", "quote_identifier"))
        for part in node.values)


# 1.1 SQL injection: every query is built by SQLAlchemy with bound parameters; text() only with a
# constant, or with table names the dialect has quoted.
def test_sql_is_never_built_from_strings():
    offenders = []
    for path, node in _calls(lambda n: _dotted(n.func) in ("text", "sa.text", "sqlalchemy.text")):
        if node.args and not isinstance(node.args[0], ast.Constant) and not _quoted_identifiers_only(node.args[0]):
            offenders.append(f"{path}:{node.lineno}")
    assert offenders == []


def test_an_injection_in_a_search_is_just_text(client, clean_app):
    make_company(clean_app, name="正直株式会社")
    login_as(client, clean_app, Role.OFFICER)
    for probe in ["' OR '1'='1", "x'; DROP TABLE companies; --", "\" OR 1=1 --"]:
        assert client.get("/companies", query_string={"q": probe}).status_code == 200
        assert "正直株式会社" not in client.get("/companies", query_string={"q": probe}).text
    assert "正直株式会社" in client.get("/companies").text  # the table is still there


# 1.2 OS command injection: no shell; external programs only with an argument list.
def test_no_shell_is_ever_started():
    shells = list(_calls(lambda n: _dotted(n.func) in ("os.system", "os.popen", "subprocess.getoutput",
                                                       "subprocess.getstatusoutput")))
    assert shells == []
    with_shell = [f"{p}:{n.lineno}" for p, n in _calls(lambda n: _dotted(n.func).startswith("subprocess."))
                  if any(k.arg == "shell" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                         for k in n.keywords)
                  or (n.args and not isinstance(n.args[0], (ast.List, ast.Tuple, ast.Name)))]
    assert with_shell == []


# 1.3 Path traversal: a stored file lives under its SHA-256, whatever name it came with.
def test_an_uploaded_name_never_becomes_a_path(clean_app):
    from tender.documents import storage

    with clean_app.test_request_context():
        stored = storage.store(FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="../../../etc/passwd.pdf"))
        path = storage.path_of(stored)
    assert stored.filename == "passwd.pdf" and ".." not in str(path)
    assert path.name == stored.sha256 and Path(clean_app.config["FILE_STORAGE"]) in path.parents


# 1.5 XSS: what users type is escaped wherever it is shown.
def test_markup_in_names_is_shown_as_text(client, clean_app):
    company = make_company(clean_app, name="<script>alert(1)</script>株式会社")
    login_as(client, clean_app, Role.OFFICER)
    page = client.get(f"/companies/{company}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;株式会社" in page


# 1.7 HTTP header injection: values that reach headers are checked or encoded.
def test_a_download_name_with_line_breaks_cannot_split_headers(clean_app, client):
    from tender.documents import storage

    with clean_app.test_request_context():
        stored = storage.store(FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="a\r\nSet-Cookie: x=1.pdf"))
        from tender.documents.downloads import send_stored

        response = send_stored(stored)
    assert "\n" not in response.headers["Content-Disposition"] and "Set-Cookie" not in response.headers


# 1.8 Mail header injection: the application sends no e-mail (notifications are in-app).
def test_mail_headers_cannot_be_injected(clean_app, smtp):
    """Mail is built by email.message.EmailMessage, which refuses a header with a line break: a
    recipient or subject carrying CR/LF sends nothing rather than an extra Bcc."""
    from tender.mail.operations import deliver_pending, send

    with clean_app.app_context():
        send("victim@example.jp\r\nBcc: thief@example.invalid", "件名", "本文")
        send("victim@example.jp", "件名\r\nBcc: thief@example.invalid", "本文")
        send("victim@example.jp", "正しい件名", "本文\r\nBcc: thief@example.invalid")
        db.session.commit()
        sent, failed = deliver_pending()
    assert (sent, failed) == (1, 2)
    [message] = smtp.messages
    assert message["Bcc"] is None and message["To"] == "victim@example.jp" and message["Subject"] == "正しい件名"


def test_mail_is_sent_only_through_the_outbox():
    """One place builds and sends mail (tender/mail): no other module talks SMTP."""
    imports = []
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                if any(n and (n.startswith("smtplib") or n.startswith("email.mime") or n == "flask_mail") for n in names):
                    imports.append(path.relative_to(SOURCE).as_posix())
    assert imports == ["mail/operations.py"]


# 1.10 Buffer overflow (in the sense of resource exhaustion here): request bodies are capped.
def test_an_oversized_request_is_refused_before_it_is_read(client, clean_app):
    login_as(client, clean_app, Role.OFFICER)
    limit = clean_app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/companies/new", data=b"x" * (limit + 1), content_type="application/octet-stream")
    assert response.status_code == 413 and "ファイルが大きすぎます" in response.text


@pytest.mark.parametrize("path", ["/cases/1/award/score-sheet.pdf", "/contracts/1", "/audit/cases/1"])
def test_anonymous_visitors_get_no_document(client, path):
    assert client.get(path).status_code == 302  # to the log-in page; nothing rendered


def test_a_form_without_its_token_is_refused(client, clean_app):
    # 1.6 CSRF: the same form without its token is refused (see also tests/accounts/test_login.py).
    company = make_company(clean_app)
    login_as(client, clean_app, Role.OFFICER)
    refused = client.post(f"/companies/{company}/edit", data={"name": "乗っ取り株式会社"})
    assert refused.status_code == 400
    assert post_form(client, f"/companies/{company}/edit", {"name": ""}).status_code == 200


def test_a_stored_file_is_served_as_the_type_its_content_is(clean_app, client):
    """Issue 14: a PDF/HTML polyglot uploaded as .html was downloaded as .html."""
    from tender.documents import storage
    from tender.documents.downloads import send_stored

    polyglot = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
    with clean_app.test_request_context():
        stored = storage.store(FileStorage(io.BytesIO(polyglot), filename="report.html"))
        response = send_stored(stored)
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "report.pdf" in disposition and ".html" not in disposition


@pytest.mark.parametrize("danger", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"])
def test_no_xlsx_export_writes_a_live_formula(danger):
    """Issue 14: the 総合評価点一覧 XLSX wrote a bidder's company name as a live HYPERLINK formula."""
    import dataclasses

    from openpyxl import load_workbook

    import forms

    data = forms.get("score_sheet").sample()
    data = dataclasses.replace(data, rows=[dataclasses.replace(data.rows[0], bidder=danger), *data.rows[1:]])
    workbook = load_workbook(io.BytesIO(forms.render_xlsx("score_sheet", data)))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert any(c.value == "'" + danger for c in cells)
