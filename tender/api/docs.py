"""The API's description: the OpenAPI 3.1 document, and a page that reads it to people (no JavaScript)."""
from __future__ import annotations

import copy
from typing import Any

from flask import Blueprint, Response, json, render_template

from tender.opendata.routes import PACKAGE_DESCRIPTION, PACKAGE_SUMMARY, TAG
from tender.policy import public
from tender.web.openapi import ERROR_CODES, spec
from tender.web.urls import public_url

bp = Blueprint("api_docs", __name__, url_prefix="/api")

METHODS = ("get", "post", "put", "patch", "delete")


def _streamed_package(doc: dict[str, Any]) -> None:
    """/ocds/package.json streams (spectree would buffer it to validate it): described here, with the
    same models as the feed."""
    def ref(name: str) -> dict:
        return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}

    doc["paths"]["/ocds/package.json"] = {"get": {
        "summary": PACKAGE_SUMMARY, "description": PACKAGE_DESCRIPTION, "operationId": "get__ocds_package.json",
        "tags": [TAG], "parameters": [],
        "responses": {"200": {"description": "OK", **ref("ReleasePackage")},
                      "400": {"description": "Bad Request", **ref("ApiError")},
                      "429": {"description": "Too Many Requests", **ref("ApiError")}}}}


def document() -> dict[str, Any]:
    """The document, with the server this installation answers at."""
    doc = copy.deepcopy(spec.spec)
    _streamed_package(doc)
    doc["servers"] = [{"url": public_url(""), "description": "この環境"}]
    return doc


@bp.route("/openapi.json")
@public
def openapi():
    return Response(json.dumps(document(), ensure_ascii=False, sort_keys=False), mimetype="application/json")


def _operations(doc: dict) -> list[tuple[str, list[dict]]]:
    by_tag: dict[str, list[dict]] = {}
    for path, item in doc["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "description": p.get("description") or p.get("schema", {}).get("description", "")}
                      for p in op.get("parameters", [])]
            for tag in op.get("tags") or ["その他"]:
                by_tag.setdefault(tag, []).append({
                    "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                    "description": op.get("description", ""), "parameters": params,
                    "responses": sorted(op.get("responses", {})), "secured": bool(op.get("security")),
                    "id": op.get("operationId", f"{method}-{path}")})
    return sorted(by_tag.items())


@bp.route("")
@public
def index():
    doc = document()
    return render_template("api/index.html", doc=doc, groups=_operations(doc), errors=sorted(ERROR_CODES.items()))
