"""Issue 20, files in object storage: with FILE_STORE=s3 every stored file goes to an S3-compatible
store (a real HTTP server: moto's server mode), content-addressed by SHA-256 as on disk, checked by
the store on write (MD5 and SHA-256 sent with it), encrypted at rest by it (SSE), checked again on
read; nothing is written to the local folder; orphans are cleaned up there; backups take the objects
and a restore puts them back."""
import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from tender.documents import blobstore, storage
from tender.documents.models import StoredFile
from tender.extensions import db
from tests.scenario import PDF, submit


def _objects(client, bucket) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed}


def test_a_bids_files_go_to_the_object_store_encrypted_and_named_by_their_sha256(s3, clean_app, auction):
    client, bucket = s3
    submit(clean_app, auction, 0, 9_000_000)
    objects = _objects(client, bucket)
    with clean_app.app_context():
        rows = db.session.execute(select(StoredFile)).scalars().all()
        local = Path(clean_app.config["FILE_STORAGE"])
        assert rows and not (local.exists() and any(p.is_file() for p in local.rglob("*")))  # nothing on the local disk
        for row in rows:
            key = f"files/{row.blob_sha256[:2]}/{row.blob_sha256[2:4]}/{row.blob_sha256}"
            assert hashlib.sha256(objects[key]).hexdigest() == row.blob_sha256
            assert PDF not in objects[key]  # a bid's file is sealed before it is stored
            head = client.head_object(Bucket=bucket, Key=key)
            assert head["ServerSideEncryption"] == "AES256"


def test_what_is_read_back_is_checked_against_its_name(s3, clean_app):
    client, bucket = s3
    with clean_app.test_request_context():
        stored = storage.store(FileStorage(io.BytesIO(PDF), filename="teian.pdf"))
        db.session.commit()
        assert storage.read(stored) == PDF
        key = f"files/{blobstore.relative_of(stored.blob_sha256)}"
        client.put_object(Bucket=bucket, Key=key, Body=PDF.replace(b"1.4", b"1.7"))  # altered in the store
        with pytest.raises(RuntimeError, match="does not match its fingerprint"):
            storage.read(stored)


def test_the_store_refuses_bytes_that_do_not_match_their_checksum(s3, clean_app):
    """The checksums sent with each object are checked by the store itself: a body changed on the way
    is not kept."""
    client, bucket = s3
    with clean_app.app_context():
        store = blobstore.current()
        name = hashlib.sha256(PDF).hexdigest()
        original = store.client.put_object

        def corrupting(**kwargs):
            kwargs["Body"] = kwargs["Body"][:-1] + b"X"
            return original(**kwargs)

        store.client.put_object = corrupting
        try:
            with pytest.raises(blobstore.StoreError):
                store.put(name, PDF)
        finally:
            store.client.put_object = original
    assert _objects(client, bucket) == {}


def test_orphans_are_cleaned_up_in_the_object_store(s3, clean_app, runner):
    client, bucket = s3
    with clean_app.test_request_context():
        kept = storage.store(FileStorage(io.BytesIO(PDF), filename="kept.pdf")).blob_sha256
        db.session.commit()
        orphan = storage.store(FileStorage(io.BytesIO(PDF + b"%orphan"), filename="orphan.pdf")).blob_sha256
        db.session.rollback()  # the upload of a refused submission: its row never was
    assert len(_objects(client, bucket)) == 2
    assert "0 件" in runner.invoke(args=["files", "clean"]).output  # younger than a day: left alone
    result = runner.invoke(args=["files", "clean", "--older-than-hours", "0"])
    assert result.exit_code == 0 and "1 件" in result.output, result.output
    assert list(_objects(client, bucket)) == [f"files/{blobstore.relative_of(kept)}"]
    assert orphan != kept


def test_a_backup_takes_the_objects_and_a_restore_puts_them_back(s3, clean_app, auction, tmp_path):
    from tender.backup import operations as backup

    client, bucket = s3
    submit(clean_app, auction, 0, 9_000_000)
    before = _objects(client, bucket)
    with clean_app.app_context():
        made = backup.create_backup(tmp_path / "backups", keep=2)
        files = sorted(p.name for p in (made / "files").rglob("*") if p.is_file())
        assert files == sorted(key.rsplit("/", 1)[1] for key in before)
    for key in before:
        client.delete_object(Bucket=bucket, Key=key)
    assert _objects(client, bucket) == {}
    with clean_app.app_context():
        plan = backup.plan_restore(made)
        assert plan.files_missing == len(before) and plan.storage == f"s3://{bucket}/files/"
        result = backup.restore_backup(made)
        assert result.files_copied == len(before)
    assert _objects(client, bucket) == before
    with clean_app.app_context():
        for row in db.session.execute(select(StoredFile)).scalars():
            assert hashlib.sha256(blobstore.current().get(row.blob_sha256)).hexdigest() == row.blob_sha256
