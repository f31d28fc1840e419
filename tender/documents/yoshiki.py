"""Every prescribed form (forms/) written out, filled from the application's records where a
domain offers a builder (bidding/exports.py, notices/exports.py, …) and from the form's own sample
otherwise. The domains fill their own forms; this module only writes files."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import forms


def export(outdir: Path, from_records: Mapping[str, Callable[[], object | None]]) -> list[Path]:
    """Every form as <code>.pdf and <code>.docx (and .xlsx where it has one)."""
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for code in forms.codes():
        data = from_records[code]() if code in from_records else None
        for ext, render in (("pdf", forms.render_pdf), ("docx", forms.render_docx)):
            path = outdir / f"{code}.{ext}"
            path.write_bytes(render(code, data))
            written.append(path)
        if code in forms.XLSX_CODES:
            path = outdir / f"{code}.xlsx"
            path.write_bytes(forms.render_xlsx(code, data))
            written.append(path)
    return written
