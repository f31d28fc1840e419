"""Issue 20, bulk exports leave the web request: the auditor asks for a case's whole record as one
ZIP (events CSV and XLSX, the PDF summary with the whole chain verified); a job makes it (at once
here, without a broker; a worker otherwise), keeps it in the file store — the object store here —
tells the auditor, and only auditors download it."""
import io
import zipfile

from sqlalchemy import select

from tender.accounts.models import Role
from tender.auditor.models import CaseFileExport
from tender.extensions import db
from tender.jobs.models import JobRun, RunState
from tender.notifications.models import Notification
from tests.forms.rendering import pdf_text, squeeze
from tests.helpers import events, login_as, make_case, make_user, post_form


def test_the_auditor_gets_the_whole_record_as_one_zip_made_by_a_job(clean_app, s3):
    client, bucket = s3
    case_id = make_case(clean_app, make_user(clean_app, Role.OFFICER), title="記録一式の試験業務")
    auditor = clean_app.test_client()
    auditor_id = login_as(auditor, clean_app, Role.AUDITOR)
    page = f"/audit/cases/{case_id}"
    done = post_form(auditor, f"{page}/file-exports", {}, form_url=page, follow=True)
    assert "記録一式（ZIP）を作成しました" in done.text
    with clean_app.app_context():
        export = db.session.execute(select(CaseFileExport)).scalar_one()
        run = db.session.get(JobRun, export.run_id)
        assert run.name == "audit.case_file" and run.state == RunState.SUCCEEDED
        export_id, sha = export.id, export.file.blob_sha256
        note = db.session.execute(select(Notification).where(Notification.user_id == auditor_id)).scalar_one()
        assert "記録一式（ZIP）を作成しました" in note.message and note.link == f"{page}#exports"
    # Kept in the object store, not on a web server's disk.
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert any(key.endswith(sha) for key in keys)
    url = f"{page}/file-exports/{export_id}.zip"
    assert f'href="{url}"' in auditor.get(page).text
    response = auditor.get(url)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = sorted(archive.namelist())
        assert [n.rsplit("/", 1)[1] for n in names] == ["events.csv", "events.xlsx", "summary.pdf"]
        summary = squeeze(pdf_text(archive.read(next(n for n in names if n.endswith(".pdf")))))
        csv_text = archive.read(next(n for n in names if n.endswith(".csv"))).decode("utf-8-sig")
    assert "記録一式の試験業務" in summary
    assert csv_text.count("\n") >= 3 and ("case.published" in csv_text or "公告" in csv_text)
    assert events(clean_app, "audit.case_exported")[-1].actor_id == auditor_id
    officer = clean_app.test_client()
    login_as(officer, clean_app, Role.OFFICER)
    assert officer.get(url).status_code == 403
    assert auditor.get(f"{page}/file-exports/999999.zip").status_code == 404
