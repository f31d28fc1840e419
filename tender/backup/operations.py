"""Backup and restore of the database and the stored files.

A backup is a directory ``tender-YYYYMMDD-HHMMSS`` (Japan time) holding

* ``database.sqlite3`` (SQLite, made with SQLite's online backup API) or ``database.dump``
  (PostgreSQL, ``pg_dump --format=custom``),
* ``files/…``: the file storage tree (content-addressed, see tender/documents/storage.py),
* ``manifest.json``: when, which database, its Alembic revision, the rows per table and,
  for every file above, its relative path, size and SHA-256.

Consistency. The database copy is one snapshot: SQLite's backup API copies every page under
one read lock; PostgreSQL's dump runs in a REPEATABLE READ transaction whose snapshot is
exported (``pg_export_snapshot``) so that the row counts and revision in the manifest are read
from exactly the state that was dumped. The files are copied *after* the snapshot: a file is
written before the row that names it is committed and never changed afterwards, so every file
the copied database refers to is in the backup (files uploaded meanwhile are merely extra).

Nothing half-written is left behind: the backup is written into a hidden temporary directory
beside the destination, re-read and checked against its manifest, and only then renamed to
its final name. A restore checks every checksum first and changes nothing when one fails; on
PostgreSQL the old tables are dropped and the dump loaded in one transaction, so a failed load
leaves the database as it was.

Every function here needs an application context (the configured database and file store).
Errors are raised as ``BackupError`` with a one-line Japanese message.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from tender import clock
from tender.documents import blobstore
from tender.extensions import db
from tender.rules.calendar import to_jst

TOOL = "tender-backup"
FORMAT = 1
MANIFEST = "manifest.json"
PREFIX = "tender-"
FILES = "files"
DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
KIND_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DEFAULT_KEEP = 7
CHUNK = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")

#: Run (in the restore's transaction) before the dump is loaded: removes the tables, views,
#: sequences, types and functions of schema ``public`` that do not belong to an extension,
#: keeping the schema itself with its owner and privileges.
_PG_CLEAR_PUBLIC = r"""
SET LOCAL lock_timeout = '60s';
DO $clear$
DECLARE
    stmt text;
BEGIN
    FOR stmt IN SELECT unnest(ARRAY(
        SELECT format('DROP %s IF EXISTS public.%I CASCADE',
                      CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                     WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                                     ELSE 'TABLE' END, c.relname)
          FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                            WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                              AND d.deptype = 'e')
        UNION ALL
        SELECT format('DROP TYPE IF EXISTS public.%I CASCADE', t.typname)
          FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = 'public'
           AND (t.typtype IN ('e', 'd', 'r')
                OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                                                 WHERE c.oid = t.typrelid AND c.relkind = 'c')))
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                            WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid
                              AND d.deptype = 'e')
        UNION ALL
        SELECT format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure)
          FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p')
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                            WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
                              AND d.deptype = 'e')
    )) LOOP
        EXECUTE stmt;
    END LOOP;
END
$clear$;
"""


class BackupError(Exception):
    """Why a backup or a restore could not be done: one line, in Japanese."""


@dataclass
class BackupInfo:
    path: Path
    created_at: datetime
    kind: str
    revision: str | None
    #: Stored files in the backup (the database copy not counted).
    files: int
    #: Bytes of everything in the backup, the database copy included.
    size: int

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class RestorePlan:
    """What a restore would replace, for the confirmation the operator gives with --yes."""

    backup: BackupInfo
    target_kind: str
    target: str
    storage: str
    current_tables: int
    current_rows: int
    backup_rows: int
    files_missing: int


@dataclass
class RestoreResult:
    kind: str
    revision: str | None
    head: list[str]
    tables: int
    rows: int
    files_copied: int = 0
    files_present: int = 0
    files_repaired: int = 0
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Configuration and small helpers


def default_dir() -> Path:
    """``BACKUP_DIR`` from the configuration or the environment, else instance/backups."""
    configured = current_app.config.get("BACKUP_DIR") or os.environ.get("BACKUP_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "backups"


def default_keep() -> int:
    configured = current_app.config.get("BACKUP_KEEP") or os.environ.get("BACKUP_KEEP")
    return int(configured) if configured else DEFAULT_KEEP


def _write_file(data: bytes, target: Path) -> tuple[int, str]:
    """Write bytes read from the store into the backup, synced to disk: (size, SHA-256)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return len(data), hashlib.sha256(data).hexdigest()


def _url() -> URL:
    return db.engine.url


def database_kind() -> str:
    kind = _url().get_backend_name()
    if kind not in DATABASE_FILE:
        raise BackupError(f"このデータベース（{kind}）のバックアップには対応していません。")
    return kind


def target_description() -> str:
    return _url().render_as_string(hide_password=True)


def _one_line(value: object) -> str:
    lines = [line.strip() for line in str(value).splitlines() if line.strip()]
    return " / ".join(lines[:3]) if lines else value.__class__.__name__


def _sha256(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _safe_relative(name: object) -> PurePosixPath | None:
    """The manifest's relative path, or None when it could leave the backup directory."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in path.parts) or str(path) != name:
        return None
    return path


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} が見つかりません。PostgreSQL のクライアント（Debian パッケージ postgresql-client）"
                          "をインストールしてください。")
    return found


def _pg_connection() -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment that carries it."""
    url = _url()
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    # (URL.set(password=None) would keep the password: build the URL anew without it.)
    conninfo = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                          database=url.database, query=url.query).render_as_string(hide_password=False)
    return conninfo, env


def _run(command: list[str], what: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BackupError(f"{what} を実行できませんでした: {_one_line(exc)}") from exc
    if done.returncode != 0:
        raise BackupError(f"{what} が失敗しました（終了コード {done.returncode}）: {_one_line(done.stderr)}")
    return done


# ---------------------------------------------------------------------------------------------
# Manifest


def read_manifest(path: Path) -> dict:
    try:
        manifest = json.loads((Path(path) / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{path} に {MANIFEST} がありません（このツールのバックアップではありません）。") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{MANIFEST} を読めません: {_one_line(exc)}") from exc
    if not isinstance(manifest, dict) or manifest.get("tool") != TOOL:
        raise BackupError(f"{MANIFEST} はこのツールが書いたものではありません。")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} の形式 {manifest.get('format')!r} には対応していません。")
    return manifest


def _info(path: Path, manifest: dict) -> BackupInfo:
    files = manifest.get("files") or []
    created_at = datetime.fromisoformat(manifest["created_at"])
    if created_at.tzinfo is None:
        raise ValueError("created_at without a time zone")
    return BackupInfo(path=path, created_at=created_at,
                      kind=manifest["database"]["kind"], revision=manifest["database"].get("alembic_revision"),
                      files=int((manifest.get("storage") or {}).get("files", 0)),
                      size=sum(int(entry.get("size", 0)) for entry in files))


def verify_backup(path: Path | str) -> list[str]:
    """Every problem of the backup at ``path``, first the first one met; empty when it is intact.

    Reads every file the manifest names and compares its size and SHA-256; a file the manifest
    does not name is a problem too (something was added to the backup).
    """
    path = Path(path)
    if not path.is_dir():
        return [f"{path}: バックアップのディレクトリがありません。"]
    try:
        manifest = read_manifest(path)
        kind = manifest["database"]["kind"]
        entries = list(manifest["files"])
        datetime.fromisoformat(manifest["created_at"])
    except BackupError as exc:
        return [str(exc)]
    except (KeyError, TypeError, ValueError) as exc:
        return [f"{MANIFEST} の内容が不完全です: {_one_line(exc)}"]
    problems: list[str] = []
    named: set[str] = set()
    if kind not in DATABASE_FILE:
        problems.append(f"{MANIFEST}: データベースの種類 {kind!r} は不明です。")
    elif not any(isinstance(e, dict) and e.get("path") == DATABASE_FILE[kind] for e in entries):
        problems.append(f"{MANIFEST}: データベースのファイル {DATABASE_FILE[kind]} が記載されていません。")
    for entry in entries:
        name = entry.get("path") if isinstance(entry, dict) else None
        relative = _safe_relative(name)
        if relative is None or relative.name == MANIFEST:
            problems.append(f"{MANIFEST}: 不正なパス {name!r} が記載されています。")
            continue
        named.add(name)
        target = path.joinpath(*relative.parts)
        if not target.is_file():
            problems.append(f"{name}: ファイルがありません。")
            continue
        try:
            size, digest = _sha256(target)
        except OSError as exc:
            problems.append(f"{name}: 読めません（{_one_line(exc)}）。")
            continue
        if size != entry.get("size"):
            problems.append(f"{name}: サイズが一致しません（目録 {entry.get('size')} バイト、実際 {size} バイト）。")
        elif digest != entry.get("sha256"):
            problems.append(f"{name}: SHA-256 が一致しません（改ざんまたは破損）。")
    for directory, _dirs, files in os.walk(path):
        for file in sorted(files):
            relative = (Path(directory) / file).relative_to(path).as_posix()
            if relative != MANIFEST and relative not in named:
                problems.append(f"{relative}: 目録にないファイルがあります。")
    return problems


def list_backups(directory: Path | str | None = None) -> list[BackupInfo]:
    """The backups this tool wrote in ``directory``, oldest first (others are ignored)."""
    directory = Path(directory) if directory else default_dir()
    if not directory.is_dir():
        return []
    found = []
    for child in directory.iterdir():
        if not child.is_dir() or not child.name.startswith(PREFIX):
            continue
        try:
            found.append(_info(child, read_manifest(child)))
        except (BackupError, KeyError, TypeError, ValueError):
            continue
    return sorted(found, key=lambda info: (info.created_at, info.name))


def _prune(directory: Path, keep: int, created: Path) -> list[Path]:
    """Delete the oldest backups beyond ``keep`` (never the one just made)."""
    backups = [b for b in list_backups(directory) if b.path != created]
    excess = backups[: max(0, len(backups) - (keep - 1))]
    removed = []
    for backup in excess:
        doomed = backup.path.with_name(f".{backup.name}.deleting")
        try:
            os.rename(backup.path, doomed)  # out of sight at once, then deleted
            shutil.rmtree(doomed)
        except OSError as exc:
            current_app.logger.warning("could not delete old backup %s: %s", backup.path, exc)
            continue
        removed.append(backup.path)
    return removed


# ---------------------------------------------------------------------------------------------
# Create


def _sqlite_path() -> Path:
    database = _url().database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("SQLite のデータベースファイルが設定されていません（メモリ上のデータベースはバックアップできません）。")
    return Path(database)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_contents(conn: sqlite3.Connection) -> dict:
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    counts = {name: conn.execute(f"SELECT count(*) FROM {_quote(name)}").fetchone()[0] for name in tables}
    revision = None
    if "alembic_version" in counts:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    referenced: set[str] = set()
    if "stored_files" in counts:
        referenced = {row[0] for row in conn.execute("SELECT DISTINCT blob_sha256 FROM stored_files")}
    return {"tables": counts, "alembic_revision": revision, "referenced": referenced}


def _dump_sqlite(target: Path) -> dict:
    source = _sqlite_path()
    if not source.is_file():
        raise BackupError(f"SQLite のデータベースファイル {source} がありません。")
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # all pages in one step, under one read lock: one consistent state
            dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"データベースの写しの整合性検査に失敗しました: {check}")
            return _sqlite_contents(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _pg_contents(conn) -> dict:
    quote = conn.dialect.identifier_preparer.quote_identifier
    tables = conn.execute(text(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public' ORDER BY tablename")).scalars().all()
    counts = {name: conn.execute(text(f"SELECT count(*) FROM public.{quote(name)}")).scalar_one() for name in tables}
    revision = None
    if "alembic_version" in counts:
        revision = conn.execute(text("SELECT version_num FROM public.alembic_version")).scalar()
    referenced: set[str] = set()
    if "stored_files" in counts:
        referenced = set(conn.execute(text("SELECT DISTINCT blob_sha256 FROM public.stored_files")).scalars())
    return {"tables": counts, "alembic_revision": revision, "referenced": referenced}


def _dump_postgresql(target: Path) -> dict:
    pg_dump = _tool("pg_dump")
    pg_restore = _tool("pg_restore")
    conninfo, env = _pg_connection()
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ",
                                               postgresql_readonly=True) as conn:
        # The dump and the counts below see the same snapshot: the one exported here, kept
        # alive by this open transaction until pg_dump has finished.
        snapshot = conn.execute(text("SELECT pg_catalog.pg_export_snapshot()")).scalar_one()
        contents = _pg_contents(conn)
        _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              f"--file={target}", f"--dbname={conninfo}"], "pg_dump", env)
        conn.rollback()
    _run([pg_restore, "--list", str(target)], "pg_restore --list（ダンプの読み取り確認）")
    return contents


def _copy_storage(store, target: Path) -> tuple[list[dict], list[str]]:
    """Every object of the file store (the local folder or the object store: issue 20) into the
    backup's ``files/``, hashed as written."""
    entries: list[dict] = []
    warnings: list[str] = []
    for blob in store.listing():
        if blob.name.endswith(".tmp"):
            continue  # a file being written by storage.store
        size, digest = _write_file(store.read(blob.relative), target / blob.relative)
        if _SHA256.fullmatch(blob.name) and blob.name != digest:
            warnings.append(f"保存ファイル {blob.relative} の内容が名前の SHA-256 と一致しません（元の保存領域で破損しています）。")
        entries.append({"path": f"{FILES}/{blob.relative}", "size": size, "sha256": digest})
    return entries, warnings


def _final_name(directory: Path, stamp: str) -> Path:
    candidate = directory / f"{PREFIX}{stamp}"
    n = 2
    while candidate.exists():
        candidate = directory / f"{PREFIX}{stamp}-{n}"
        n += 1
    return candidate


def create_backup(dest_dir: Path | str | None = None, keep: int | None = None) -> Path:
    """Make a verified backup in a new directory of ``dest_dir``; keep the newest ``keep``.

    Returns the new backup's directory. Raises BackupError, leaving nothing behind, on failure.
    """
    directory = Path(dest_dir) if dest_dir else default_dir()
    keep = default_keep() if keep is None else keep
    if keep < 1:
        raise BackupError("残す世代数（--keep）は 1 以上にしてください。")
    kind = database_kind()
    created_at = to_jst(clock.now())
    temporary: Path | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{PREFIX}", suffix=".partial", dir=directory))
        database_file = DATABASE_FILE[kind]
        contents = (_dump_sqlite if kind == "sqlite" else _dump_postgresql)(temporary / database_file)
        size, digest = _sha256(temporary / database_file)
        files, warnings = _copy_storage(blobstore.current(), temporary / FILES)
        stored = {PurePosixPath(entry["path"]).name for entry in files}
        missing = sorted(contents["referenced"] - stored)
        if missing:
            warnings.append(f"データベースが参照するファイル {len(missing)} 件が保存領域にありません（例: {missing[0]}）。")
        manifest = {
            "tool": TOOL,
            "format": FORMAT,
            "created_at": created_at.isoformat(),
            "database": {"kind": kind, "file": database_file, "alembic_revision": contents["alembic_revision"],
                         "tables": contents["tables"], "rows": sum(contents["tables"].values())},
            "storage": {"files": len(files), "bytes": sum(entry["size"] for entry in files),
                        "missing": missing},
            "files": [{"path": database_file, "size": size, "sha256": digest}, *files],
            "warnings": warnings,
        }
        with open(temporary / MANIFEST, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        problems = verify_backup(temporary)  # re-read everything just written
        if problems:
            raise BackupError(f"書き込んだバックアップの検証に失敗しました: {problems[0]}")
        for sub, _dirs, _files in os.walk(temporary):
            _fsync_dir(Path(sub))
        final = _final_name(directory, created_at.strftime("%Y%m%d-%H%M%S"))
        os.rename(temporary, final)
        temporary = None
        _fsync_dir(directory)
    except BackupError:
        raise
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        raise BackupError(f"バックアップを作成できませんでした: {_one_line(exc)}") from exc
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    for warning in warnings:
        current_app.logger.warning("backup %s: %s", final.name, warning)
    _prune(directory, keep, final)
    return final


# ---------------------------------------------------------------------------------------------
# Restore


def code_heads() -> list[str]:
    """The head revision(s) of the migrations shipped with this code."""
    return list(ScriptDirectory(current_app.extensions["migrate"].directory).get_heads())


def _current_counts() -> dict[str, int]:
    """Rows per table in the target database as it is now (empty when it has no tables)."""
    with db.engine.connect() as conn:
        names = inspect(conn).get_table_names()
        quote = conn.dialect.identifier_preparer.quote_identifier
        return {name: conn.execute(text(f"SELECT count(*) FROM {quote(name)}")).scalar_one() for name in names}


def _checked(path: Path | str) -> tuple[Path, dict]:
    """The backup's path and manifest, after every checksum has matched and the kinds agree."""
    path = Path(path)
    problems = verify_backup(path)
    if problems:
        more = f"（ほか {len(problems) - 1} 件）" if len(problems) > 1 else ""
        raise BackupError(f"バックアップが壊れているため復元しません: {problems[0]}{more}")
    manifest = read_manifest(path)
    kind = database_kind()
    if manifest["database"]["kind"] != kind:
        raise BackupError(f"バックアップは {KIND_LABEL.get(manifest['database']['kind'], manifest['database']['kind'])} 、"
                          f"復元先は {KIND_LABEL[kind]} です。種類の異なるデータベースには復元できません。")
    return path, manifest


def _storage_entries(manifest: dict) -> list[tuple[dict, PurePosixPath]]:
    out = []
    for entry in manifest["files"]:
        relative = PurePosixPath(entry["path"])
        if relative.parts[0] == FILES and len(relative.parts) > 1:
            out.append((entry, PurePosixPath(*relative.parts[1:])))
    return out


def plan_restore(path: Path | str) -> RestorePlan:
    """What restoring ``path`` would replace (after checking the backup); changes nothing."""
    path, manifest = _checked(path)
    try:
        counts = _current_counts()
    except SQLAlchemyError as exc:
        raise BackupError(f"復元先のデータベースに接続できません: {_one_line(exc)}") from exc
    store = blobstore.current()
    missing = sum(1 for _entry, rel in _storage_entries(manifest) if not store.exists(rel.name))
    return RestorePlan(backup=_info(path, manifest), target_kind=database_kind(), target=target_description(),
                       storage=store.describe(), current_tables=len(counts), current_rows=sum(counts.values()),
                       backup_rows=int(manifest["database"].get("rows", 0)), files_missing=missing)


def _restore_files(backup: Path, manifest: dict, result: RestoreResult) -> None:
    """Put back the stored files that are missing (or damaged) in the file store — the local
    folder or the object store — checking each."""
    store = blobstore.current()
    for entry, relative in _storage_entries(manifest):
        if _SHA256.fullmatch(relative.name) and entry["sha256"] != relative.name:
            # Content-addressed: a file whose bytes do not hash to its name was damaged before the
            # backup. Restoring it would put a wrong file under a fingerprint a receipt vouches for.
            result.warnings.append(f"保存ファイル {relative} は内容が名前（SHA-256）と一致しないため、復元しませんでした。")
            continue
        try:
            present = store.get(relative.name)
        except blobstore.BlobMissing:
            present = None
        if present is not None:
            if (len(present), hashlib.sha256(present).hexdigest()) == (entry["size"], entry["sha256"]):
                result.files_present += 1
                continue
            result.files_repaired += 1
            result.warnings.append(f"保存ファイル {relative} が破損していたため、バックアップの内容で置き換えました。")
        else:
            result.files_copied += 1
        data = (backup / entry["path"]).read_bytes()
        if (len(data), hashlib.sha256(data).hexdigest()) != (entry["size"], entry["sha256"]):
            raise BackupError(f"{entry['path']}: 復元中に内容が一致しなくなりました（バックアップが変更されています）。")
        store.put(relative.name, data)


def _restore_sqlite(dump: Path) -> dict:
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(dump.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)  # replaces the whole database in one write transaction
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"復元したデータベースの整合性検査に失敗しました: {check}")
            return _sqlite_contents(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _restore_postgresql(dump: Path) -> dict:
    pg_restore = _tool("pg_restore")
    psql = _tool("psql")
    conninfo, env = _pg_connection()
    # The old objects are dropped and the dump loaded in ONE transaction (psql -1): if
    # anything fails, the database is left exactly as it was.
    with tempfile.TemporaryFile() as errors:
        try:
            script = subprocess.Popen([pg_restore, "--no-owner", "--no-privileges", "--file=-", str(dump)],
                                      stdout=subprocess.PIPE, stderr=errors, env=env)
        except OSError as exc:
            raise BackupError(f"pg_restore を実行できませんでした: {_one_line(exc)}") from exc
        try:
            load = subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
                                   "-c", _PG_CLEAR_PUBLIC, "-f", "-", f"--dbname={conninfo}"],
                                  stdin=script.stdout, capture_output=True, text=True, env=env, check=False)
        finally:
            script.stdout.close()
            script.wait()
        if load.returncode != 0:
            raise BackupError(f"psql による読み込みが失敗しました（変更は取り消されました）: {_one_line(load.stderr)}")
        if script.returncode != 0:
            errors.seek(0)
            raise BackupError(f"pg_restore が失敗しました: {_one_line(errors.read().decode(errors='replace'))}")
    with db.engine.connect() as conn:
        return _pg_contents(conn)


def restore_backup(path: Path | str) -> RestoreResult:
    """Bring back the backup at ``path`` into the configured database and FILE_STORAGE.

    Checks every checksum first and refuses (changing nothing) when one fails or when the
    backup comes from another kind of database. Files are restored before the database, so
    the restored rows never name a file that is not there.
    """
    path, manifest = _checked(path)
    kind = manifest["database"]["kind"]
    result = RestoreResult(kind=kind, revision=None, head=[], tables=0, rows=0)
    db.session.remove()
    db.engine.dispose()  # no pooled connection of ours holds the old database
    try:
        _restore_files(path, manifest, result)
        dump = path / DATABASE_FILE[kind]
        contents = (_restore_sqlite if kind == "sqlite" else _restore_postgresql)(dump)
    except BackupError:
        raise
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        raise BackupError(f"復元できませんでした: {_one_line(exc)}") from exc
    finally:
        db.engine.dispose()
    expected = manifest["database"]["tables"]
    if contents["tables"] != expected:
        differing = sorted(name for name in set(expected) | set(contents["tables"])
                           if expected.get(name) != contents["tables"].get(name))
        raise BackupError("復元しましたが、行数がバックアップの目録と一致しません"
                          f"（{', '.join(differing[:5])}）。データベースを確認してください。")
    result.tables = len(contents["tables"])
    result.rows = sum(contents["tables"].values())
    result.revision = contents["alembic_revision"]
    result.head = code_heads()
    if result.revision not in result.head:
        result.warnings.append(
            f"復元したデータベースのスキーマ版 {result.revision or '（なし）'} はこのコードの最新版 "
            f"{', '.join(result.head)} と異なります。`flask --app wsgi db upgrade` で更新するか、"
            "バックアップ時の版のコードで動かしてください。")
    for warning in result.warnings:
        current_app.logger.warning("restore %s: %s", path.name, warning)
    current_app.logger.info("restored backup %s into %s", path, target_description())
    return result
