"""Storing uploaded files: type checked by content, size limited, content-addressed.

The file's own bytes decide what it is (PDF, DOCX, XLSX): a renamed executable is refused
whatever its name says. Files are written once under their SHA-256 and never changed, so a
fingerprint given to a bidder keeps proving what was received.
"""
from __future__ import annotations

import hashlib
import io
import os
import secrets
import unicodedata
import zipfile
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from tender import clock
from tender.documents.models import StoredFile
from tender.extensions import db
from tender.rules.errors import OperationError
from tender.sealing import envelope
from tender.sealing import operations as sealing

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LABELS = {PDF: "PDF", DOCX: "Word (DOCX)", XLSX: "Excel (XLSX)"}


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


def root() -> Path:
    return Path(current_app.config["FILE_STORAGE"])


def path_of(stored: StoredFile) -> Path:
    name = stored.blob_sha256 or stored.sha256
    return root() / name[:2] / name[2:4] / name


class StorageError(RuntimeError):
    """The file store could not keep the bytes (a full or read-only disk): nothing was received."""


def _write(target: Path, data: bytes) -> None:
    """Write once, durably: a temporary file beside the target, flushed and fsynced, then renamed
    over it, then the directory fsynced. A file already there is trusted only if its bytes match
    its name; a torn or altered copy is replaced (issue 14: the file store)."""
    digest = target.name
    if target.is_file():
        try:
            if hashlib.sha256(target.read_bytes()).hexdigest() == digest:
                return
        except OSError:
            pass
    tmp = target.with_name(f"{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(str(exc)) from exc


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
    _write(path_of(stored), blob)
    db.session.add(stored)
    return stored


class Sealed(LookupError):
    """The file is sealed and its key has not been released."""


def is_readable(stored: StoredFile) -> bool:
    return stored.sealed_key_id is None or stored.sealed_key.released_private is not None


EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx"}


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
    blob = path_of(stored).read_bytes()
    if hashlib.sha256(blob).hexdigest() != (stored.blob_sha256 or stored.sha256):
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


def orphans(*, older_than: timedelta, now=None) -> list[Path]:
    """Files in the store that no stored_files row names (uploads of refused or failed submissions,
    whose transaction was rolled back) and temporary files left by a crash, older than
    ``older_than`` so that an upload still in flight is never touched."""
    base = root()
    if not base.is_dir():
        return []
    named = set(db.session.execute(select(StoredFile.blob_sha256)).scalars())
    limit = (now or clock.now()).timestamp() - older_than.total_seconds()
    out = []
    for path in sorted(base.rglob("*")):
        if not path.is_file() or path.is_symlink() or path.stat().st_mtime > limit:
            continue
        if path.name.endswith(".tmp") or (len(path.name) == 64 and path.name not in named):
            out.append(path)
    return out


def remove_orphans(*, older_than: timedelta, now=None) -> tuple[int, int]:
    """Delete what ``orphans`` finds: (files, bytes)."""
    count = size = 0
    for path in orphans(older_than=older_than, now=now):
        size += path.stat().st_size
        path.unlink(missing_ok=True)
        count += 1
    return count, size
