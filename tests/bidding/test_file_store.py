"""Issue 14, the file store: a full disk says nothing was received and leaves nothing behind; files
of refused submissions are removed by `files clean`; a torn copy is rewritten, never trusted."""
import errno
import hashlib
import os
from datetime import timedelta

import pytest
from sqlalchemy import select

from tender.bidding.models import Bid
from tender.documents import storage
from tender.documents.models import StoredFile
from tender.extensions import db
from tests.scenario import PDF, submit


def test_a_full_disk_refuses_the_bid_in_japanese_and_leaves_no_partial_file(clean_app, auction, monkeypatch):
    real = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    from tender.bidding.operations import BidError

    with pytest.raises(BidError, match="入札書は受理されていません"):
        submit(clean_app, auction, 0, 9_000_000)
    monkeypatch.setattr(os, "fsync", real)
    with clean_app.app_context():
        assert db.session.execute(select(Bid)).first() is None
        assert not any(p.name.endswith(".tmp") for p in storage.root().rglob("*"))


def test_files_of_refused_submissions_are_removed_and_kept_ones_stay(clean_app, auction, runner, monkeypatch):
    from tender import clock
    from tender.bidding.operations import BidError

    submit(clean_app, auction, 0, 9_000_000)
    # Refused after its file was stored: the deadline passed while it was being received.
    moments = iter([auction["deadline"] - timedelta(seconds=1)] * 3 + [auction["deadline"] + timedelta(seconds=1)] * 50)
    monkeypatch.setattr(clock, "now", lambda: next(moments))
    with pytest.raises(BidError, match="締め切りました"):
        submit(clean_app, auction, 1, 8_000_000, now=None)
    monkeypatch.undo()
    with clean_app.app_context():
        kept = {storage.path_of(f) for f in db.session.execute(select(StoredFile)).scalars()}
        on_disk = {p for p in storage.root().rglob("*") if p.is_file()}
        assert len(on_disk - kept) >= 1  # the refused bid's sealed upload
    assert "0 件" in runner.invoke(args=["files", "clean"]).output  # younger than a day: left alone
    result = runner.invoke(args=["files", "clean", "--older-than-hours", "0"])
    assert result.exit_code == 0 and "削除しました" in result.output
    with clean_app.app_context():
        on_disk = {p for p in storage.root().rglob("*") if p.is_file()}
        assert on_disk == kept


def test_a_torn_copy_under_a_files_name_is_rewritten(clean_app):
    import io

    from werkzeug.datastructures import FileStorage

    digest = hashlib.sha256(PDF).hexdigest()
    with clean_app.test_request_context():
        target = storage.root() / digest[:2] / digest[2:4] / digest
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(PDF[:10])  # a torn earlier write
        storage.store(FileStorage(io.BytesIO(PDF), filename="a.pdf"))
        assert target.read_bytes() == PDF
