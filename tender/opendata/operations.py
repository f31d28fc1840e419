"""Releases made as cases change, and the packages that publish them (issue 21).

A release is made in the transaction of the change it reports: a session hook notes the cases whose
public parts a flush touched (the case, its 訂正, answers, documents, criteria, rounds, awards,
contracts and their deliverables, deliveries and payments) and, before the commit, compares what the
public may now know (tender.opendata.mapping) with the case's last release. Where it differs, a new
release is written — with the tags of what changed (tender.rules.ocds.release_tags) — and never
changed again. A case published ahead of its 公示日 gets its first release from the sweep
(``ocds.sync``, every five minutes) once the day has come.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import IO, Any

from flask import current_app, has_app_context
from sqlalchemy import event, exists, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from tender import clock
from tender.audit.chain import canonical_json
from tender.contracts.models import Contract, Deliverable
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.opendata import mapping
from tender.opendata.models import OcdsRelease
from tender.rules import ocds as rules
from tender.rules.calendar import JST
from tender.rules.lifecycle import CaseState
from tender.web.pages import keyset
from tender.web.urls import public_url_for

HERE = Path(__file__).parent
SCHEMA_DIR = HERE / "schema" / "1__1__5"
EXTENSION_DIR = HERE / "extension"

#: Tables whose rows belong to a case (by ``case_id``, or the case itself) and whose changes can
#: change what the public knows of it.
CASE_TABLES = frozenset({"procurement_cases", "amendments", "questions", "case_attachments",
                         "evaluation_criteria", "bid_rounds", "award_decisions", "contracts"})
#: Tables whose rows belong to a contract, and those belonging to a deliverable.
CONTRACT_TABLES = frozenset({"deliverables", "invoices", "contract_changes", "settlements"})
DELIVERABLE_TABLES = frozenset({"deliveries"})

_PENDING = "ocds_pending"


# --- the session hook ---------------------------------------------------------------------------

def _note(session: Session, flush_context: Any) -> None:
    pending = session.info.setdefault(_PENDING, {"case": set(), "contract": set(), "deliverable": set()})
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table == "procurement_cases":
            pending["case"].add(obj.id)
        elif table in CASE_TABLES and getattr(obj, "case_id", None) is not None:
            pending["case"].add(obj.case_id)
        elif table in CONTRACT_TABLES and getattr(obj, "contract_id", None) is not None:
            pending["contract"].add(obj.contract_id)
        elif table in DELIVERABLE_TABLES and getattr(obj, "deliverable_id", None) is not None:
            pending["deliverable"].add(obj.deliverable_id)


def _case_ids(pending: dict[str, set[int]]) -> set[int]:
    ids = {i for i in pending["case"] if i is not None}
    contract_ids = set(pending["contract"])
    if pending["deliverable"]:
        contract_ids |= set(db.session.scalars(select(Deliverable.contract_id).where(
            Deliverable.id.in_(sorted(pending["deliverable"])))))
    if contract_ids:
        ids |= set(db.session.scalars(select(Contract.case_id).where(Contract.id.in_(sorted(contract_ids)))))
    return ids


def _publish_pending(session: Session) -> None:
    if not has_app_context() or session is not db.session() or session.in_nested_transaction():
        return
    session.flush()  # the changes not flushed yet are noted now
    pending = session.info.pop(_PENDING, None)
    if not pending or not any(pending.values()):
        return
    now = clock.now()
    for case_id in sorted(_case_ids(pending)):
        sync_case(case_id, now)
    session.flush()
    session.info.pop(_PENDING, None)  # the releases' own flush touches no case


def _forget(session: Session, *args: Any) -> None:
    session.info.pop(_PENDING, None)


def init_opendata(app) -> None:
    """Install the hook (once per process: it listens on every session of db)."""
    if not event.contains(Session, "after_flush", _note):
        event.listen(Session, "after_flush", _note)
        event.listen(Session, "before_commit", _publish_pending)
        event.listen(Session, "after_rollback", _forget)


# --- making releases ----------------------------------------------------------------------------

def _digest(body: dict) -> str:
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def last_release(case_id: int) -> OcdsRelease | None:
    return db.session.execute(select(OcdsRelease).where(OcdsRelease.case_id == case_id)
                              .order_by(OcdsRelease.id.desc()).limit(1)).scalar_one_or_none()


def _content_of(release: OcdsRelease) -> dict:
    data = json.loads(release.data)
    return {k: v for k, v in data.items() if k not in ("id", "date", "tag")}


def sync_case(case_id: int, now: datetime) -> OcdsRelease | None:
    """Write the case's next release if what the public may know of it has changed; never one for a
    case that is not public (a draft, or one waiting for its 公示日)."""
    case = db.session.get(ProcurementCase, case_id)
    if case is None:
        return None
    try:
        body = mapping.content(case, now)
    except SQLAlchemyError:
        raise  # the database refused: the transaction is lost anyway, and must fail loudly, not commit nothing
    except Exception:  # noqa: BLE001 — open data must never stop the procurement it reports on
        # The change itself commits; the release is made by `ocds sync --all` once the cause is fixed.
        current_app.logger.exception("ocds: no release made for case %s; run `flask ocds sync --all`", case_id)
        return None
    if body is None:
        return None
    digest = _digest(body)
    last = last_release(case.id)
    if last is not None and last.digest == digest:
        return None
    tags = rules.release_tags(_content_of(last) if last is not None else None, body) or ["tenderUpdate"]
    release_id = f"{body['ocid']}-{now.astimezone(JST):%Y%m%dT%H%M%S%f}-{digest[:8]}"
    data = {"ocid": body["ocid"], "id": release_id, "date": rules.jst_datetime(now), "tag": tags,
            **{k: v for k, v in body.items() if k != "ocid"}}
    release = OcdsRelease(case_id=case.id, ocid=body["ocid"], release_id=release_id, published_at=now,
                          tags=json.dumps(tags), digest=digest, data=json.dumps(data, ensure_ascii=False))
    db.session.add(release)
    return release


def _public_cases(now: datetime):
    return select(ProcurementCase.id).where(ProcurementCase.state != CaseState.DRAFT,
                                            ProcurementCase.published_at <= now).order_by(ProcurementCase.id)


def public_case_ids(now: datetime) -> list[int]:
    """Every public case (`ocds sync --all` compares each with its last release)."""
    return db.session.scalars(_public_cases(now)).all()


def sync_due(now: datetime) -> list[OcdsRelease]:
    """The sweep: the first release of every public case that has none yet (published ahead of its
    公示日, or made before releases existed). Not committed."""
    ids = db.session.scalars(_public_cases(now).where(~exists().where(OcdsRelease.case_id == ProcurementCase.id))).all()
    made = []
    for case_id in ids:
        release = sync_case(case_id, now)
        if release is not None:
            made.append(release)
    return made


# --- reading them -------------------------------------------------------------------------------

def published_releases(now: datetime):
    """The statement of the releases the feed may serve: those settled for OCDS_FEED_SETTLE_SECONDS, so
    that a transaction that began earlier and committed later cannot slip behind a reader's cursor."""
    settle = timedelta(seconds=current_app.config["OCDS_FEED_SETTLE_SECONDS"])
    return select(OcdsRelease).where(OcdsRelease.published_at <= now - settle)


def releases_of(ocid: str) -> list[OcdsRelease]:
    return db.session.execute(select(OcdsRelease).where(OcdsRelease.ocid == ocid)
                              .order_by(OcdsRelease.published_at, OcdsRelease.id)).scalars().all()


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON Merge Patch, as OCDS extensions are applied to the schema."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = _merge_patch(out.get(key), value)
    return out


@cache
def release_schema() -> dict:
    """OCDS 1.1.5's release schema with this publisher's extension applied."""
    core = json.loads((SCHEMA_DIR / "release-schema.json").read_text())
    patch = json.loads((EXTENSION_DIR / "release-schema.json").read_text())
    return _merge_patch(core, patch)


@cache
def _merger():
    import ocdsmerge  # the OCP's own merge routine (issue 21)

    return ocdsmerge.Merger(schema=release_schema())


def release_data(release: OcdsRelease) -> dict:
    return json.loads(release.data)


def record(ocid: str) -> dict | None:
    """The record of a process: every release, and the compiled release merged by ocdsmerge."""
    rows = releases_of(ocid)
    if not rows:
        return None
    releases = [release_data(r) for r in rows]
    return {"ocid": ocid, "releases": releases, "compiledRelease": _merger().create_compiled_release(releases)}


def _meta(now: datetime) -> dict[str, Any]:
    config = current_app.config
    return {"version": "1.1", "publishedDate": rules.jst_datetime(now),
            "publisher": {"name": config["OCDS_PUBLISHER_NAME"]},
            "license": config["OCDS_LICENSE"],
            "publicationPolicy": public_url_for("ocds.index"),
            "extensions": [public_url_for("ocds.extension_metadata")]}


def _package_around(now: datetime, uri: str, next_uri: str | None = None) -> tuple[str, str]:
    """A release package's JSON text before and after its releases: the releases are spliced in as
    stored (read back and written again, a page of 100 cost a third of the request)."""
    package: dict[str, Any] = {"uri": uri, **_meta(now), "releases": []}
    if next_uri:
        package["links"] = {"next": next_uri}
    text = json.dumps(package, ensure_ascii=False)
    marker = '"releases": []'
    at = text.index(marker)
    return text[:at] + '"releases": [', "]" + text[at + len(marker):]


def release_package_text(rows: list[OcdsRelease], now: datetime, uri: str, next_uri: str | None = None) -> str:
    head, tail = _package_around(now, uri, next_uri)
    return head + ", ".join(r.data for r in rows) + tail


def record_package(rec: dict, now: datetime, uri: str) -> dict:
    return {"uri": uri, **_meta(now), "records": [rec]}


FEED_ORDER = (OcdsRelease.published_at, OcdsRelease.id)


def stream_package(now: datetime, uri: str) -> Iterator[str]:
    """The release package of everything published, as JSON text: its head, then one piece per
    release, then its tail. Read in batches by keyset (the feed's order): memory does not grow with
    the number of releases."""
    head, tail = _package_around(now, uri)
    yield head
    cursor, first = "", True
    while True:
        page = keyset(published_releases(now), FEED_ORDER, per_page=500, descending=False, count=False,
                      args={"after": cursor})
        for row in page.items:
            yield ("" if first else ", ") + row.data
            first = False
        if page.older is None:
            break
        cursor = page.older
        db.session.expunge_all()
    yield tail


def export(out: IO[str], now: datetime, uri: str) -> int:
    """Write the package of everything published to ``out``; the number of releases written."""
    pieces = 0
    for piece in stream_package(now, uri):
        out.write(piece)
        pieces += 1
    return pieces - 2  # the head and the tail
