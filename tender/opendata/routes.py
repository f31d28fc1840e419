"""Where the open data is published (issue 21): the feed of releases, a process's record, the bulk
package, this publisher's extension, and a page (in Japanese) that says what is published and how."""
from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, stream_with_context
from pydantic import BaseModel, ConfigDict, Field
from spectree import Response as Responses

from tender import clock
from tender.opendata import operations as ops
from tender.policy import public
from tender.rules import ocds as rules
from tender.rules.lifecycle import Procedure
from tender.web.openapi import ApiError, spec
from tender.web.pages import keyset
from tender.web.urls import public_url_for

bp = Blueprint("ocds", __name__, url_prefix="/ocds")

TAG = "オープンデータ（OCDS）"


class Publisher(BaseModel):
    name: str


class Links(BaseModel):
    next: str | None = Field(None, description="次のページの URL（最後のページにはない）")


class _Package(BaseModel):
    """What every OCDS 1.1 package carries (its metadata)."""

    model_config = ConfigDict(extra="allow")
    uri: str
    version: str
    publishedDate: str
    publisher: Publisher
    license: str | None = None
    publicationPolicy: str | None = None
    extensions: list[str] = Field(default_factory=list)


class ReleasePackage(_Package):
    """OCDS 1.1 のリリースパッケージ（release-package-schema.json）。"""

    releases: list[dict[str, Any]]
    links: Links | None = None


class RecordPackage(_Package):
    """OCDS 1.1 のレコードパッケージ（record-package-schema.json）。"""

    records: list[dict[str, Any]]


class FeedQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    cursor: str | None = Field(None, max_length=500, description="前の応答の links.next にあるカーソル")
    limit: int = Field(100, ge=1, le=1000, description="1ページのリリース数（1〜1000）")


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


@bp.route("/releases")
@public
@spec.validate(resp=Responses(HTTP_200=ReleasePackage, HTTP_400=ApiError, HTTP_422=ApiError, HTTP_429=ApiError), tags=[TAG])
def releases(query: FeedQuery):
    """リリースの一覧（公開順のフィード）

    公開された案件の変更ごとのリリースを、公開の古い順に返します。links.next をたどると続きを読めます
    （カーソルは公開日時と通し番号：途中に新しいリリースが入っても読み飛ばしも重複もありません）。"""
    now = clock.now()
    page = keyset(ops.published_releases(now), ops.FEED_ORDER, per_page=query.limit,
                  descending=False, count=False, args={"after": query.cursor or ""})
    next_uri = None
    if page.older:
        next_uri = public_url_for("ocds.releases", cursor=page.older, limit=query.limit)
    uri = public_url_for("ocds.releases", cursor=query.cursor, limit=query.limit)
    return Response(ops.release_package_text(page.items, now, uri, next_uri), mimetype="application/json")


@bp.route("/records/<ocid>")
@public
@spec.validate(resp=Responses(HTTP_200=RecordPackage, HTTP_400=ApiError, HTTP_404=ApiError, HTTP_429=ApiError), tags=[TAG])
def record(ocid: str):
    """一つの調達手続のレコード

    その手続のすべてのリリースと、それらを OCDS の規則（ocdsmerge）で統合した最新の状態（compiledRelease）。"""
    rec = ops.record(ocid) if len(ocid) <= 100 else None
    if rec is None:
        abort(404)
    return _json(ops.record_package(rec, clock.now(), public_url_for("ocds.record", ocid=ocid)))


PACKAGE_SUMMARY = "すべてのリリース（一括ダウンロード）"
PACKAGE_DESCRIPTION = ("公開したすべてのリリースを一つのリリースパッケージで返します（少しずつ読み出して送るため、件数によらず"
                       "サーバーのメモリは増えません）。`flask --app wsgi ocds export FILE` が同じものをファイルに書きます。")


@bp.route("/package.json")
@public
def package():
    """The bulk package, streamed as it is read. Not under spectree's validation, which would read the
    whole response into memory to check it: tender.api.docs describes it in the document by hand,
    with the same models, and the suite checks it against the schema."""
    now = clock.now()
    return Response(stream_with_context(ops.stream_package(now, public_url_for("ocds.package"))), mimetype="application/json",
                    headers={"Content-Disposition": "inline; filename=ocds-releases.json"})


@bp.route("/extension/extension.json")
@public
def extension_metadata():
    """This publisher's OCDS extension (its metadata), with the documentation's address made absolute."""
    meta = json.loads((ops.EXTENSION_DIR / "extension.json").read_text())
    meta["documentationUrl"] = {"en": public_url_for("ocds.index")}
    return _json(meta)


@bp.route("/extension/release-schema.json")
@public
def extension_schema():
    return Response((ops.EXTENSION_DIR / "release-schema.json").read_text(), mimetype="application/json")


@bp.route("")
@public
def index():
    """What is published, where, and how the Japanese procedures map to OCDS (no JavaScript)."""
    mapping = [(p.label, rules.PROCUREMENT_METHOD[p], rules.AWARD_CRITERIA[p], rules.AWARD_CRITERIA_DETAILS[p])
               for p in Procedure]
    return render_template("opendata/index.html", mapping=mapping, prefix=current_app.config["OCDS_OCID_PREFIX"],
                           license=current_app.config["OCDS_LICENSE"])
