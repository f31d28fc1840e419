"""Storing uploaded files: type checked by content, size limited, content-addressed.

The file's own bytes decide what it is (PDF, DOCX, XLSX): a renamed executable is refused
whatever its name says. Files are written once under their SHA-256 and never changed, so a
fingerprint given to a bidder keeps proving what was received.
"""
from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from tender import clock
from tender.documents.models import StoredFile
from tender.extensions import db

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LABELS = {PDF: "PDF", DOCX: "Word (DOCX)", XLSX: "Excel (XLSX)"}


class UploadError(ValueError):
    """A Japanese message explaining why a file was refused."""


def sniff(data: bytes) -> str | None:
    """The type of the content, or None when it is none of the accepted ones."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def root() -> Path:
    return Path(current_app.config["FILE_STORAGE"])


def path_of(stored: StoredFile) -> Path:
    return root() / stored.sha256[:2] / stored.sha256[2:4] / stored.sha256


def store(upload: FileStorage, *, allowed: tuple[str, ...] = (PDF, DOCX, XLSX), user=None,
          max_bytes: int | None = None) -> StoredFile:
    data = upload.read()
    limit = max_bytes or current_app.config["MAX_FILE_BYTES"]
    if not data:
        raise UploadError("ファイルが空です。")
    if len(data) > limit:
        raise UploadError(f"ファイルが大きすぎます（上限 {limit // (1024 * 1024)}MB）。")
    kind = sniff(data)
    if kind not in allowed:
        names = "・".join(LABELS[a] for a in allowed)
        raise UploadError(f"受け付けられるファイルは {names} です（ファイルの内容で判定しています）。")
    digest = hashlib.sha256(data).hexdigest()
    name = display_name(upload.filename or "")
    stored = StoredFile(sha256=digest, filename=name, content_type=kind, size=len(data),
                        uploaded_at=clock.now(), uploaded_by_id=getattr(user, "id", None))
    target = path_of(stored)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    db.session.add(stored)
    return stored


def display_name(filename: str) -> str:
    """The name an upload is shown and downloaded under: its last path part, without control
    characters (a line break must never reach a header), at most 255 characters."""
    import unicodedata

    base = os.path.basename(filename.replace("\\", "/"))
    clean = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return clean[:255] or "file"


def read(stored: StoredFile) -> bytes:
    data = path_of(stored).read_bytes()
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        raise RuntimeError(f"stored file {stored.id} does not match its fingerprint")
    return data
