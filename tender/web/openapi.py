"""The API's description and its errors (issue 21), shared by tender.api and tender.opendata.

The OpenAPI 3.1 document is generated from the code by **spectree**: each API view declares its
query, path and response models (pydantic 2, whose JSON Schema *is* OpenAPI 3.1's dialect, JSON
Schema 2020-12, so nothing is translated); spectree validates the request against them and writes the
document from the same declarations. It plugs into a plain Flask app (apiflask would replace the
application class and its error pages; flask-smorest's marshmallow schemas go through apispec, whose
3.1 output still writes 3.0's ``nullable``).

Errors are JSON — ``{"code": "...", "message": "日本語の説明", "errors": [...]}`` — with stable codes
(ERROR_CODES), whatever went wrong: a refused parameter, a missing or revoked token, an object that
does not exist, too many requests.
"""
from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request
from pydantic import BaseModel, Field
from spectree import SecurityScheme, SpecTree
from spectree.models import SecureType, SecuritySchemeData
from spectree.plugins.flask_plugin import FlaskPlugin

#: HTTP status → the stable code and the Japanese message of an API error.
ERROR_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "リクエストが正しくありません。"),
    401: ("unauthorized", "API トークンが必要です。Authorization: Bearer <トークン> を付けてください。"),
    403: ("forbidden", "このトークンではこの操作はできません。"),
    404: ("not_found", "指定されたものは存在しないか、公開されていません。"),
    405: ("method_not_allowed", "この方法では利用できません。"),
    406: ("not_acceptable", "この形式では応答できません。"),
    413: ("too_large", "リクエストが大きすぎます。"),
    422: ("invalid_parameter", "パラメータが正しくありません。"),
    429: ("rate_limited", "短時間に多くのリクエストがありました。しばらく待ってからお試しください。"),
    500: ("server_error", "処理中にエラーが発生しました。時間をおいて再度お試しください。"),
}

#: Path prefixes served as JSON: their errors are JSON too, never the HTML error page.
JSON_PREFIXES = ("/api/", "/ocds/releases", "/ocds/records", "/ocds/package", "/ocds/extension")


class FieldError(BaseModel):
    field: str = Field(description="誤りのあるパラメータの名前（limit など）")
    message: str = Field(description="誤りの内容（日本語）")


class ApiError(BaseModel):
    """Every error of the API."""

    code: str = Field(description="変わらない誤りの種類（not_found, invalid_parameter, unauthorized など）")
    message: str = Field(description="日本語の説明")
    errors: list[FieldError] = Field(default_factory=list, description="パラメータごとの誤り")


def wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES)


def error_response(status: int, message: str | None = None, errors: list[dict[str, str]] | None = None,
                   code: str | None = None) -> Response:
    default_code, default_message = ERROR_CODES.get(status, ERROR_CODES[400] if status < 500 else ERROR_CODES[500])
    body = ApiError(code=code or default_code, message=message or default_message, errors=errors or [])
    response = jsonify(body.model_dump())
    response.status_code = status
    return response


_MESSAGES = {
    "missing": "必須です。", "int_parsing": "整数で指定してください。", "int_type": "整数で指定してください。",
    "greater_than_equal": "小さすぎます。", "less_than_equal": "大きすぎます。",
    "string_too_long": "長すぎます。", "string_too_short": "短すぎます。", "extra_forbidden": "このパラメータは使えません。",
    "literal_error": "指定できる値ではありません。", "enum": "指定できる値ではありません。",
    "string_pattern_mismatch": "形式が正しくありません。", "string_type": "文字列で指定してください。",
    "bool_parsing": "true または false で指定してください。",
}


def _field_errors(error: Any) -> list[dict[str, str]]:
    out = []
    for item in getattr(error, "errors", lambda: [])():
        where = ".".join(str(p) for p in item.get("loc", ()))
        out.append({"field": where or "request", "message": _MESSAGES.get(item.get("type", ""), "値が正しくありません。")})
    return out


class RequestRefused(Exception):
    """A request the API's models refused: answered 422 with each field's error."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("invalid request")
        self.errors = errors


def _before(req, resp, req_validation_error, instance, model_adapter=None) -> None:
    if req_validation_error is not None:
        raise RequestRefused(_field_errors(req_validation_error))


class _Plugin(FlaskPlugin):
    """Flask's plugin, checking each response against its schema only where the configuration says
    (``API_CHECK_RESPONSES``: on in the tests, so that every response the suite and schemathesis
    see is checked; off in production by default, where the check changes nothing that is sent and
    a feed page of 100 releases took 2 ms of its 6 to check)."""

    def validate_response(self, resp, resp_model, skip_validation, force_resp_serialize):
        skip = skip_validation or not current_app.config.get("API_CHECK_RESPONSES", True)
        return super().validate_response(resp, resp_model, skip, force_resp_serialize)


spec = SpecTree(
    "flask",
    backend=_Plugin,
    title="tender 電子調達 API",
    version="1.0.0",
    description=(
        "公告中の案件、訂正、質問回答、入札結果、契約の公表を誰でも読める公開 API と、事業者が自社の参加登録・"
        "質問・入札の受付・結果を自社のシステムから読むための API です。認証が必要な操作には、利用者が"
        "「API トークン」画面で発行したトークンを Authorization: Bearer で付けます。一覧は keyset 方式で"
        "ページを送ります（応答の next_cursor を cursor に渡す）。誤りは JSON（code と日本語の message）で返します。"),
    path="_spectree",  # spectree's own pages are not served; /api/openapi.json is (tender.api.docs)
    filename="openapi.json",
    mode="strict",
    annotations=True,
    validation_error_status=422,
    validation_error_model=ApiError,
    before=_before,
    naming_strategy=lambda model: model.__name__,
    security_schemes=[SecurityScheme(name="token", data=SecuritySchemeData(
        type=SecureType.HTTP, scheme="bearer", description="API トークン（tdr_ で始まる文字列）"))],
)
