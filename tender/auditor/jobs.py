"""A case's whole record as one ZIP, made by a worker (tender.jobs): the events as CSV and XLSX and
the PDF summary with the verification of the whole chain — minutes at a ministry's volume, so
never in a web request (issue 20: bulk exports)."""
from __future__ import annotations

import io
import zipfile

from werkzeug.datastructures import FileStorage

from tender import clock
from tender.audit.operations import record, verify_chain
from tender.auditor import casefile
from tender.auditor.models import CaseFileExport
from tender.documents import storage
from tender.extensions import db
from tender.jobs import job
from tender.notifications.operations import notify, page


def build_zip(export: CaseFileExport) -> bytes:
    case = export.case
    events = casefile.case_events(case)
    chain = verify_chain()
    out = io.BytesIO()
    name = f"audit-{case.reference}"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}/events.csv", casefile.events_csv(events))
        archive.writestr(f"{name}/events.xlsx", casefile.events_xlsx(case, events))
        archive.writestr(f"{name}/summary.pdf", casefile.summary_pdf(case, events, casefile.decisions(case), chain.ok,
                                                                     chain.count))
    return out.getvalue()


@job("audit.case_file", attempts=3, label="監査：案件の記録一式（ZIP）の作成")
def make_case_file(export_id: int) -> str:
    """Idempotent: an export already made is left as it is."""
    export = db.session.get(CaseFileExport, export_id)
    if export is None or export.file_id is not None:
        return "作成済み"
    data = build_zip(export)
    stored = storage.store(FileStorage(io.BytesIO(data), filename=f"audit-{export.case.reference}.zip"),
                           allowed=(storage.ZIP,), user=export.requested_by,
                           max_bytes=max(len(data), 1))  # made here, not uploaded: no upload limit
    export.file, export.finished_at = stored, clock.now()
    record("audit.case_exported", export.case, actor=export.requested_by,
           summary={"format": "zip", "events": len(casefile.case_events(export.case)), "sha256": stored.sha256})
    notify([export.requested_by], f"「{export.case.title}」の記録一式（ZIP）を作成しました。",
           page("audit.case_record", "exports", case_id=export.case_id))
    return f"{stored.size:,} バイト（SHA-256 {stored.sha256[:12]}…）"
