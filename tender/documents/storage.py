"""Storing uploaded files: type checked by content, size limited, content-addressed.

The file's own bytes decide what it is (PDF, DOCX, XLSX): a renamed executable is refused
whatever its name says. Files are written once under their SHA-256 and never changed, so a
fingerprint given to a bidder keeps proving what was received.
"""
from __future__ import annotations

import hashlib
import io
import os
import unicodedata
import zipfile
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from tender import clock
from tender.documents import blobstore
from tender.documents.models import StoredFile
from tender.extensions import db
from tender.rules.errors import OperationError
from tender.sealing import envelope
from tender.sealing import operations as sealing

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Made by the application only (an export's bundle): no upload accepts it.
ZIP = "application/zip"
LABELS = {PDF: "PDF", DOCX: "Word (DOCX)", XLSX: "Excel (XLSX)", ZIP: "ZIP"}


class UploadError(OperationError):
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
        return ZIP
    return None


def root() -> Path:
    """The local folder of the embedded store (``FILE_STORE=local``)."""
    return Path(current_app.config["FILE_STORAGE"])


def blob_name(stored: StoredFile) -> str:
    """The name of the bytes kept: their SHA-256 (the content itself, or its sealed envelope)."""
    return stored.blob_sha256 or stored.sha256


def path_of(stored: StoredFile) -> Path:
    """Where the local store keeps the file (only meaningful with ``FILE_STORE=local``)."""
    return root() / blobstore.relative_of(blob_name(stored))


StorageError = blobstore.StoreError
"""The file store could not keep the bytes (a full or read-only disk, an unreachable object store):
nothing was received."""


def _file_aad(key_id: int, sha256: str) -> bytes:
    return envelope.aad("tender-file", key=key_id, sha256=sha256)


def store(upload: FileStorage, *, allowed: tuple[str, ...] = (PDF, DOCX, XLSX), user=None,
          max_bytes: int | None = None, seal_to=None) -> StoredFile:
    """Check and keep an upload. ``seal_to`` (a CaseKey): keep it sealed to that key, unreadable
    until the key's release."""
    data = upload.read()
    upload.seek(0)
    limit = max_bytes or current_app.config["MAX_FILE_BYTES"]
    # Each message names the file: of three uploads, the bidder sees which one (issue 19).
    which = f"「{display_name(upload.filename or '')}」" if upload.filename else "ファイル"
    if not data:
        raise UploadError(f"{which}は空です。")
    if len(data) > limit:
        raise UploadError(f"{which}は大きすぎます（上限 {limit // (1024 * 1024)}MB）。")
    kind = sniff(data)
    if kind not in allowed:
        names = "・".join(LABELS[a] for a in allowed)
        raise UploadError(f"{which}は受け付けられない形式です。受け付けられるファイルは {names} です（ファイルの内容で判定しています）。")
    digest = hashlib.sha256(data).hexdigest()
    blob = data
    if seal_to is not None:
        blob = envelope.seal(sealing.trusted_public_key(seal_to), data, _file_aad(seal_to.id, digest)).encode("ascii")
    stored = StoredFile(sha256=digest, blob_sha256=hashlib.sha256(blob).hexdigest(), filename=display_name(upload.filename or ""),
                        content_type=kind, size=len(data), uploaded_at=clock.now(),
                        uploaded_by_id=getattr(user, "id", None), sealed_key_id=getattr(seal_to, "id", None))
    blobstore.current().put(stored.blob_sha256, blob)
    db.session.add(stored)
    return stored


class Sealed(LookupError):
    """The file is sealed and its key has not been released."""


def is_readable(stored: StoredFile) -> bool:
    return stored.sealed_key_id is None or stored.sealed_key.released_private is not None


EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", ZIP: ".zip"}


def download_name(stored: StoredFile) -> str:
    """The name a stored file is served under: the uploader's name with the extension of the type
    read from its content (a PDF/HTML polyglot named .html is served as .pdf)."""
    name = display_name(stored.filename)
    stem, dot, _ = name.rpartition(".")
    return (stem if dot and stem else name) + EXTENSIONS.get(stored.content_type, "")


def display_name(filename: str) -> str:
    """The name an upload is shown and downloaded under: its last path part, without control
    characters (a line break must never reach a header), at most 255 characters."""
    base = os.path.basename(filename.replace("\\", "/"))
    clean = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return clean[:255] or "file"


def read(stored: StoredFile) -> bytes:
    blob = blobstore.current().get(blob_name(stored))
    if hashlib.sha256(blob).hexdigest() != blob_name(stored):
        raise RuntimeError(f"stored file {stored.id} does not match its fingerprint")
    if stored.sealed_key_id is None:
        return blob
    if not is_readable(stored):
        raise Sealed(f"stored file {stored.id} is sealed")
    data = envelope.open_(sealing.released_private_key(stored.sealed_key), blob.decode("ascii"),
                          _file_aad(stored.sealed_key_id, stored.sha256))
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        raise RuntimeError(f"stored file {stored.id} does not match its fingerprint")
    return data


def orphans(*, older_than: timedelta, now=None) -> list[blobstore.Blob]:
    """Blobs in the store that no stored_files row names (uploads of refused or failed submissions,
    whose transaction was rolled back) and temporary files left by a crash, older than
    ``older_than`` so that an upload still in flight is never touched — on either backend."""
    store = blobstore.current()
    named = set(db.session.execute(select(StoredFile.blob_sha256)).scalars())
    limit = (now or clock.now()).timestamp() - older_than.total_seconds()
    out = []
    for blob in store.listing():
        if blob.modified > limit:
            continue
        if blob.name.endswith(".tmp") or (len(blob.name) == 64 and blob.name not in named):
            out.append(blob)
    return out


def remove_orphans(*, older_than: timedelta, now=None) -> tuple[int, int]:
    """Delete what ``orphans`` finds: (files, bytes)."""
    store = blobstore.current()
    count = size = 0
    for blob in orphans(older_than=older_than, now=now):
        store.delete(blob.relative)
        size += blob.size
        count += 1
    return count, size
