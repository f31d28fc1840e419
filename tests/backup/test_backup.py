"""Backup and restore (issue 8, part 3): a verified copy of the database and the stored files.

The same tests run on SQLite and on PostgreSQL (``TEST_DATABASE_URL``). The empty database a
backup is restored into is a new SQLite file, or a new PostgreSQL database on the same server
(created here and dropped at the end).
"""
from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path

import pytest
from freezegun import freeze_time
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import make_url

from tender.app import create_app
from tender.audit.models import AuditEvent
from tender.audit.operations import verify_chain
from tender.backup import operations as ops
from tender.backup.cli import bp
from tender.bidding.models import Bid
from tender.config import database_url as normalise_url
from tender.documents import storage
from tender.documents.models import StoredFile
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tests.helpers import make_company
from tests.scenario import PDF, pdf, submit

# ------------------------------------------------------------------------------------------------
# Helpers


def make_app(url: str, files: str | Path):
    """A fresh application on ``url`` with the backup commands registered."""
    from tender.config import TestConfig  # imported here: pytest would try to collect it

    app = create_app(TestConfig(url, file_storage=str(files)))
    if "backup_cli" not in app.blueprints:
        app.register_blueprint(bp)
    return app


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def is_postgresql(app) -> bool:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "postgresql"


def snapshot(app) -> dict:
    """Every row of every table (ordered by primary key) and the schema revision."""
    with app.app_context():
        with db.engine.connect() as conn:
            tables = {}
            for table in db.metadata.sorted_tables:
                order = list(table.primary_key.columns) or list(table.columns)
                tables[table.name] = [tuple(row) for row in conn.execute(select(table).order_by(*order))]
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        db.session.remove()
    return {"tables": tables, "revision": revision}


def stored_files(app) -> dict[str, str]:
    """SHA-256 of every file of the file storage, by relative path."""
    root = Path(app.config["FILE_STORAGE"])
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def add_company(app) -> None:
    make_company(app, name="バックアップ後に登録された株式会社")


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture
def source(clean_app):
    """The suite's database and file storage, seen by a fresh app that has the commands."""
    app = make_app(clean_app.config["SQLALCHEMY_DATABASE_URI"], clean_app.config["FILE_STORAGE"])
    yield app
    dispose(app)


@pytest.fixture
def tendered(clean_app, auction):
    """A published case with three sealed bids (each with its PDF) and two further stored files."""
    with freeze_time(auction["during"]):
        for i, amount in enumerate((9_100_000, 9_200_000, 9_300_000)):
            submit(clean_app, auction, i, amount, lottery=f"{100 + i}")
    with clean_app.app_context():
        for n in range(2):
            storage.store(pdf(f"extra{n}.pdf", PDF + f"%extra {n} {uuid.uuid4()}\n".encode()))
        db.session.commit()
    return auction


@pytest.fixture
def empty_target(database_url, tmp_path):
    """An application on an EMPTY database of the same kind, with an empty file storage."""
    url = make_url(normalise_url(database_url))
    name = None
    if url.get_backend_name() == "sqlite":
        target_url = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        import psycopg

        name = f"tender_backup_restore_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
        target_url = url.set(database=name).render_as_string(hide_password=False)
    app = make_app(target_url, tmp_path / "restored-files")
    yield app
    dispose(app)
    if name is not None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cases_bids_events(app) -> dict:
    with app.app_context():
        out = {
            "cases": [(c.id, c.title, c.state, c.procedure, c.estimated_price, c.submission_deadline)
                      for c in db.session.execute(select(ProcurementCase).order_by(ProcurementCase.id)).scalars()],
            "bids": [(b.id, b.case_id, b.company_id, b.receipt_number, b.sealed_payload, b.receipt_random,
                      b.fingerprint, b.status, [f.file.sha256 for f in b.files])
                     for b in db.session.execute(select(Bid).order_by(Bid.id)).scalars()],
            "events": [(e.seq, e.action, e.prev_hash, e.hash)
                       for e in db.session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()],
            "files": {f.blob_sha256: hashlib.sha256(storage.path_of(f).read_bytes()).hexdigest()
                      for f in db.session.execute(select(StoredFile)).scalars()},
        }
        db.session.remove()
    return out


# ------------------------------------------------------------------------------------------------
# The test the issue asks for


def test_a_backup_restored_into_an_empty_database_finds_every_case_bid_event_and_file(
        source, tendered, empty_target, tmp_path):
    before = snapshot(source)
    before_records = cases_bids_events(source)
    before_files = stored_files(source)
    # Three bids with the same PDF: each sealed on its own (three different envelopes), and two extras.
    assert len(before_records["bids"]) == 3 and before_records["events"] and len(before_records["files"]) == 5

    created = source.test_cli_runner().invoke(args=["backup", "create", "--dir", str(tmp_path / "backups")])
    assert created.exit_code == 0, created.output
    assert "バックアップを作成しました" in created.output and "チェックサム検証済み" in created.output
    [backup] = ops.list_backups(tmp_path / "backups")

    with empty_target.app_context():
        assert inspect(db.engine).get_table_names() == []  # truly empty
    assert stored_files(empty_target) == {}

    restored = empty_target.test_cli_runner().invoke(args=["backup", "restore", str(backup.path), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "復元しました" in restored.output and "警告" not in restored.output

    assert snapshot(empty_target) == before  # every row of every table, and the schema revision
    after_records = cases_bids_events(empty_target)
    assert after_records == before_records  # cases, bids (sealed payload, fingerprint), events (seq, hash)
    assert stored_files(empty_target) == before_files  # every stored file, byte for byte
    with empty_target.app_context():
        result = verify_chain()
        assert result.ok and result.count == len(before_records["events"])
        db.session.remove()
    # The restored database keeps working: a new event extends the restored chain.
    add_company(empty_target)
    with empty_target.app_context():
        assert verify_chain().ok
        db.session.remove()


# ------------------------------------------------------------------------------------------------
# Restoring over a changed database


def test_restore_brings_the_database_and_files_back_to_the_backup(source, tendered, tmp_path, monkeypatch):
    with source.app_context():
        path = ops.create_backup(tmp_path / "backups", keep=3)
    before = snapshot(source)
    before_files = stored_files(source)

    add_company(source)  # changes made after the backup …
    lost = next(iter(sorted(before_files)))
    (Path(source.config["FILE_STORAGE"]) / lost).unlink()  # … and a stored file lost
    assert snapshot(source) != before

    with source.app_context():
        result = ops.restore_backup(path)
    assert result.files_copied >= 1 and result.warnings == []
    assert snapshot(source) == before
    assert stored_files(source) == before_files
    with source.app_context():
        assert verify_chain().ok
        db.session.remove()

    # A backup from another schema version is restored with a warning.
    monkeypatch.setattr(ops, "code_heads", lambda: ["9999_future"])
    with source.app_context():
        result = ops.restore_backup(path)
    assert any("9999_future" in w for w in result.warnings)


def test_restore_without_yes_prints_what_it_would_replace_and_changes_nothing(source, tendered, tmp_path):
    with source.app_context():
        path = ops.create_backup(tmp_path / "backups", keep=3)
    add_company(source)
    lost = sorted(stored_files(source))[0]
    (Path(source.config["FILE_STORAGE"]) / lost).unlink()
    before = snapshot(source)
    before_files = stored_files(source)

    result = source.test_cli_runner().invoke(args=["backup", "restore", str(path)])
    assert result.exit_code == 1
    assert "置き換えるデータベース" in result.output and "--yes" in result.output
    assert "不足しているファイル 1 件" in result.output
    assert snapshot(source) == before and stored_files(source) == before_files


# ------------------------------------------------------------------------------------------------
# Damaged backups


@pytest.mark.parametrize("damaged", ["database", "stored file"])
def test_a_tampered_backup_is_refused_by_verify_and_restore_and_nothing_changes(
        source, tendered, tmp_path, damaged):
    with source.app_context():
        path = ops.create_backup(tmp_path / "backups", keep=3)
        assert ops.verify_backup(path) == []
    manifest = json.loads((path / "manifest.json").read_text())
    if damaged == "database":
        name = manifest["database"]["file"]
    else:
        name = next(e["path"] for e in manifest["files"] if e["path"].startswith("files/"))
    flip_a_byte(path / name)

    problems = ops.verify_backup(path)
    assert problems and problems[0].startswith(f"{name}:")
    checked = source.test_cli_runner().invoke(args=["backup", "verify", str(path)])
    assert checked.exit_code == 1 and name in checked.output and "NG" in checked.output

    add_company(source)  # the live state differs from the backup …
    live_file = Path(source.config["FILE_STORAGE"]) / name.removeprefix("files/")
    if damaged == "stored file":
        live_file.unlink()  # … and misses the damaged file
    before = snapshot(source)
    before_files = stored_files(source)

    with source.app_context(), pytest.raises(ops.BackupError, match="壊れている"):
        ops.restore_backup(path)
    refused = source.test_cli_runner().invoke(args=["backup", "restore", str(path), "--yes"])
    assert refused.exit_code == 1 and name in refused.output
    assert snapshot(source) == before and stored_files(source) == before_files


def test_a_file_added_to_a_backup_or_a_broken_manifest_is_reported(source, tendered, tmp_path):
    with source.app_context():
        path = ops.create_backup(tmp_path / "backups", keep=3)
    (path / "files" / "intruder").write_bytes(b"x")
    assert ops.verify_backup(path) == ["files/intruder: 目録にないファイルがあります。"]
    (path / "files" / "intruder").unlink()

    manifest = json.loads((path / "manifest.json").read_text())
    manifest["files"].append({"path": "../outside", "size": 1, "sha256": "0" * 64})
    (path / "manifest.json").write_text(json.dumps(manifest))
    assert any("不正なパス" in p for p in ops.verify_backup(path))
    assert ops.verify_backup(tmp_path / "nowhere")


def test_restore_refuses_a_backup_of_another_kind_of_database(source, tendered, tmp_path, monkeypatch):
    with source.app_context():
        path = ops.create_backup(tmp_path / "backups", keep=3)
    add_company(source)
    before = snapshot(source)
    other = "sqlite" if is_postgresql(source) else "postgresql"
    monkeypatch.setattr(ops, "database_kind", lambda: other)
    with source.app_context(), pytest.raises(ops.BackupError, match="種類の異なるデータベース"):
        ops.restore_backup(path)
    assert snapshot(source) == before


# ------------------------------------------------------------------------------------------------
# Creating, listing, retention


def test_create_writes_a_verified_manifest_and_list_shows_it(source, tendered, tmp_path):
    runner = source.test_cli_runner()
    directory = tmp_path / "backups"
    result = runner.invoke(args=["backup", "create", "--dir", str(directory)])
    assert result.exit_code == 0, result.output
    [path] = [p for p in directory.iterdir()]
    assert path.name.startswith("tender-") and len(path.name) == len("tender-YYYYMMDD-HHMMSS")

    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["created_at"].endswith("+09:00")
    kind = "postgresql" if is_postgresql(source) else "sqlite"
    assert manifest["database"]["kind"] == kind
    with source.app_context():
        assert manifest["database"]["alembic_revision"] in ops.code_heads()
        db.session.remove()
    assert manifest["database"]["tables"]["bids"] == 3
    assert manifest["database"]["tables"]["procurement_cases"] == 1
    assert manifest["storage"]["missing"] == []
    for entry in manifest["files"]:
        data = (path / entry["path"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])
    stored = {e["path"].rsplit("/", 1)[-1] for e in manifest["files"] if e["path"].startswith("files/")}
    with source.app_context():
        assert set(db.session.execute(select(StoredFile.blob_sha256)).scalars()) <= stored
        db.session.remove()

    listed = runner.invoke(args=["backup", "list", "--dir", str(directory)])
    assert listed.exit_code == 0 and path.name in listed.output
    verified = runner.invoke(args=["backup", "verify", str(path)])
    assert verified.exit_code == 0 and verified.output.startswith("OK")
    empty = runner.invoke(args=["backup", "list", "--dir", str(tmp_path / "none")])
    assert "バックアップはありません" in empty.output


def test_retention_keeps_the_newest_n_and_nothing_it_did_not_write(source, clean_app, tmp_path):
    directory = tmp_path / "backups"
    (directory / "tender-notes").mkdir(parents=True)  # not ours: no manifest
    (directory / "tender-notes" / "readme.txt").write_text("keep me")
    (directory / "holiday-photos").mkdir()
    made = []
    with source.app_context():
        for _ in range(4):
            made.append(ops.create_backup(directory, keep=2))
    assert [b.path for b in ops.list_backups(directory)] == made[-2:]
    assert (directory / "tender-notes" / "readme.txt").exists() and (directory / "holiday-photos").is_dir()
    assert not [p for p in directory.iterdir() if p.name.startswith(".")]  # no temporary leftovers

    result = source.test_cli_runner().invoke(args=["backup", "create", "--dir", str(directory), "--keep", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.count("古いバックアップを削除しました") == 2
    assert len(ops.list_backups(directory)) == 1


def test_a_failed_backup_leaves_nothing_behind_and_says_why_in_one_line(source, tendered, tmp_path, monkeypatch):
    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ops, "_copy_storage", broken)
    directory = tmp_path / "backups"
    result = source.test_cli_runner().invoke(args=["backup", "create", "--dir", str(directory)])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert result.output.startswith("エラー: バックアップを作成できませんでした")
    assert list(directory.iterdir()) == []


def test_a_missing_pg_dump_is_named(source, monkeypatch, tmp_path):
    monkeypatch.setattr(ops.shutil, "which", lambda name: None)
    with pytest.raises(ops.BackupError, match="pg_dump が見つかりません"):
        ops._tool("pg_dump")
    if is_postgresql(source):
        with source.app_context(), pytest.raises(ops.BackupError, match="pg_dump が見つかりません"):
            ops.create_backup(tmp_path / "backups", keep=1)
        assert list((tmp_path / "backups").iterdir()) == []


# ------------------------------------------------------------------------------------------------
# PostgreSQL specifics


def test_the_connection_for_pg_tools_carries_the_password_in_the_environment_only(monkeypatch):
    monkeypatch.setattr(ops, "_url", lambda: make_url("postgresql+psycopg://tender:s%40cret@db.example:5433/tender"
                                                      "?sslmode=require"))
    conninfo, env = ops._pg_connection()
    assert conninfo == "postgresql://tender@db.example:5433/tender?sslmode=require"
    assert env["PGPASSWORD"] == "s@cret" and "cret" not in conninfo


def test_a_postgresql_restore_that_fails_half_way_leaves_the_database_as_it_was(source, tendered, tmp_path,
                                                                                 monkeypatch):
    if not is_postgresql(source):
        pytest.skip("PostgreSQL only (SQLite's backup API replaces the file in one transaction)")
    with source.app_context():
        path = ops.create_backup(tmp_path / "backups", keep=3)
    add_company(source)
    before = snapshot(source)
    # The old tables are dropped, then loading the dump fails on a table that is in the way.
    monkeypatch.setattr(ops, "_PG_CLEAR_PUBLIC", ops._PG_CLEAR_PUBLIC + "\nCREATE TABLE public.users (x int);")
    with source.app_context(), pytest.raises(ops.BackupError, match="変更は取り消されました"):
        ops.restore_backup(path)
    assert snapshot(source) == before


def test_a_stored_file_that_does_not_match_its_name_is_not_restored(source, tendered, empty_target, tmp_path):
    """Issue 14: a restore did not check stored files against their names."""
    with source.app_context():
        stored = db.session.execute(select(StoredFile).order_by(StoredFile.id)).scalars().first()
        damaged = storage.path_of(stored)
        damaged.write_bytes(b"torn copy")  # the store was damaged before the backup was taken
        name = stored.blob_sha256
        db.session.remove()
    created = source.test_cli_runner().invoke(args=["backup", "create", "--dir", str(tmp_path / "backups")])
    assert created.exit_code == 0 and "一致しません" in created.output
    [backup] = ops.list_backups(tmp_path / "backups")
    restored = empty_target.test_cli_runner().invoke(args=["backup", "restore", str(backup.path), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "復元しませんでした" in restored.output and name[:8] in restored.output
    with empty_target.app_context():
        target = storage.path_of(db.session.execute(select(StoredFile).where(StoredFile.blob_sha256 == name)).scalar_one())
        assert not target.exists()
        db.session.remove()
