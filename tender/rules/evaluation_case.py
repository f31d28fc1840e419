"""評価の再計算の契約：JSON の case を読み、evaluation.evaluate で計算し、JSON の結果を書く。

契約はリポジトリの隣の ../shared/spec/evaluation-case.md（``flask --app wsgi evaluate-case CASE.json``）。
コマンドは ``run(text)`` を呼んで、返された終了コード・標準出力・標準エラーをそのまま出すだけにする。

* ``parse_case(data)`` … json で読んだ dict を検査して ``Case`` にする。不備は ``CaseFileError``
  （1行。欄の名前、関係するなら入札者と評価項目を含む）。
* ``result_to_json(evaluation)`` … 契約の Result の形の dict。
* ``run(text)`` … 成功なら (0, 結果の JSON, "")、不備や壊れた JSON なら (2, "", 1行のエラー)。

契約の方式は weighted_sum と lowest_price だけ。エンジンが持つ除算方式（division）は
アプリケーション内部の変形なので、ここでは未知の方式として拒否する。

検査の決めごと（仕様に書かれていない部分）：

* ``bids`` は必須（空のリストは可）。
* ``scores`` は weighted_sum で、無効でも一次評価不合格（compliance・pages が false）でもない入札に必須で、
  すべての評価項目の評価を含むこと。それ以外の入札や lowest_price では省略できるが、書かれた評価は検査する。
* ``invalid`` が null なら書かれていないのと同じ。
* 金額・点数・税率は JSON の整数で書く（9000000.0 のような小数点付きの書き方は認めない）。
* ``low_bid.ratio`` は "0.6" のような10進の文字列（JSON の数も可：run は小数を Decimal で読む）。
  0 より大きく 1 以下。
* ``tax_rate_percent`` は 0〜100 の整数。ranks の点は項目の points 以下。
* JSON の同じオブジェクトに同じ名前の欄が二つあれば不備とする。
"""
from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from tender.rules.evaluation import (
    CERTIFICATION,
    CRITERION_KINDS,
    RANK_TABLES,
    RANKED,
    BidInput,
    Case,
    Criterion,
    Evaluation,
    LowBidRule,
    ScoreError,
    criterion_points,
    evaluate,
)

__all__ = [
    "CONTRACT_METHODS",
    "CASE_FIELDS",
    "LOW_BID_FIELDS",
    "CRITERION_FIELDS",
    "BID_FIELDS",
    "EXIT_OK",
    "EXIT_MALFORMED",
    "CaseFileError",
    "loads",
    "parse_case",
    "result_to_json",
    "dumps",
    "run",
]

CONTRACT_METHODS = ("weighted_sum", "lowest_price")
_TAX_BASES = {"included": True, "excluded": False}

CASE_FIELDS = (
    "method",
    "estimated_price",
    "estimated_price_tax",
    "tax_rate_percent",
    "price_points",
    "low_bid",
    "criteria",
    "bids",
)
_REQUIRED_CASE_FIELDS = ("method", "estimated_price", "bids")
LOW_BID_FIELDS = ("ratio", "min_estimated_price")
CRITERION_FIELDS = ("id", "kind", "points", "ranks", "table")
BID_FIELDS = ("bidder", "amount", "compliance", "pages", "scores", "invalid")

EXIT_OK = 0
EXIT_MALFORMED = 2


class CaseFileError(ValueError):
    """case の不備。メッセージは1行で、欄の名前（関係するなら入札者と評価項目）を含む。"""


# ---------------------------------------------------------------------------
# メッセージ
# ---------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """印字できない文字（改行を含む）をエスケープして1行にする。"""
    return "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in text)


def _quote(text: object) -> str:
    return _one_line(json.dumps(str(text), ensure_ascii=False))


def _show(value: object) -> str:
    """値を JSON の書き方で示す（true・null・"文字列"・9000000.5）。長ければ省く。"""
    if isinstance(value, Decimal):
        text = str(value)  # run は小数を Decimal で読むので、書かれたとおりの数字を示す
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(value)
    text = _one_line(text)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    return type(value).__name__


def _got(value: object) -> str:
    """「got …」に続ける値の説明（null、a boolean true、a string "10"、a number 1）。"""
    return "null" if value is None else f"{_type_name(value)} {_show(value)}"


def _fail(where: str, field: str | None, problem: str) -> CaseFileError:
    parts = [part for part in (where, field) if part]
    return CaseFileError(": ".join([*parts, problem]))


# ---------------------------------------------------------------------------
# 値の読み取り
# ---------------------------------------------------------------------------


def _object(value: object, where: str, field: str | None = None) -> dict:
    if not isinstance(value, dict):
        raise _fail(where, field, f"must be a JSON object, got {_type_name(value)}")
    return value


def _list(value: object, where: str, field: str | None = None) -> list:
    if not isinstance(value, list):
        raise _fail(where, field, f"must be a JSON array, got {_type_name(value)}")
    return value


def _fields(obj: dict, where: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
    for name in obj:
        if name not in allowed:
            raise _fail(where, None, f"unknown field {_quote(name)} (allowed: {', '.join(allowed)})")
    for name in required:
        if name not in obj:
            raise _fail(where, None, f"missing field {_quote(name)}")


def _whole(value: object, where: str, field: str, *, minimum: int, maximum: int | None = None) -> int:
    """JSON の整数（bool・小数・文字列は不可）で minimum 以上 maximum 以下。"""
    bounds = f"at least {minimum}" if maximum is None else f"from {minimum} to {maximum}"
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, (Decimal, float)) and not isinstance(value, bool):
            raise _fail(where, field, f"must be a whole number {bounds}, got the fractional number {_show(value)}")
        raise _fail(where, field, f"must be a whole number {bounds}, got {_got(value)}")
    if value < minimum or (maximum is not None and value > maximum):
        raise _fail(where, field, f"must be a whole number {bounds}, got {value}")
    return value


def _yen(value: object, where: str, field: str, *, minimum: int = 0) -> int:
    """円単位の金額：JSON の整数で minimum 以上。負の金額・円未満の端数・bool・文字列は不可。"""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, (Decimal, float)):
            raise _fail(where, field, f"fractional yen amount {_show(value)}; write whole yen as an integer")
        raise _fail(where, field, f"must be a whole number of yen, got {_got(value)}")
    if value < 0:
        raise _fail(where, field, f"negative yen amount {value}")
    if value < minimum:
        raise _fail(where, field, f"must be at least {minimum} yen, got {value}")
    return value


def _text(value: object, where: str, field: str) -> str:
    if not isinstance(value, str):
        raise _fail(where, field, f"must be a string, got {_got(value)}")
    if not value.strip():
        raise _fail(where, field, "must not be empty")
    return value


def _boolean(value: object, where: str, field: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(where, field, f"must be true or false, got {_got(value)}")
    return value


def _ratio(value: object) -> Decimal:
    where, field = "low_bid", "ratio"
    if isinstance(value, str):
        try:
            ratio = Decimal(value.strip())
        except InvalidOperation:
            raise _fail(where, field, f'must be a decimal number such as "0.6", got {_show(value)}') from None
    elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        ratio = Decimal(value)
    else:
        raise _fail(where, field, f'must be a decimal string such as "0.6", got {_got(value)}')
    if not ratio.is_finite() or not Decimal(0) < ratio <= Decimal(1):
        raise _fail(where, field, f"must be greater than 0 and at most 1, got {_show(value)}")
    return ratio


# ---------------------------------------------------------------------------
# case
# ---------------------------------------------------------------------------


def _parse_low_bid(value: object) -> LowBidRule | None:
    if value is None:
        return None
    obj = _object(value, "low_bid")
    _fields(obj, "low_bid", LOW_BID_FIELDS, LOW_BID_FIELDS)
    ratio = _ratio(obj["ratio"])
    minimum = _yen(obj["min_estimated_price"], "low_bid", "min_estimated_price")
    return LowBidRule(ratio=ratio, min_estimated_price=minimum)


def _points_map(value: object, where: str, field: str, *, maximum: int | None) -> dict[str, int]:
    obj = _object(value, where, field)
    result: dict[str, int] = {}
    for code, points in obj.items():
        if not isinstance(code, str) or not code.strip():
            raise _fail(where, field, f"codes must be non-empty strings, got {_show(code)}")
        # ranks の点は項目の配点（points）を超えられない。認定等の表は超えてよい（付与の時に上限で切る）。
        result[code] = _whole(points, where, f"{field}[{_quote(code)}]", minimum=0, maximum=maximum)
    return result


def _parse_criteria(value: object) -> tuple[Criterion, ...]:
    items = _list(value, "criteria")
    criteria: list[Criterion] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        where = f"criteria[{index}]"
        obj = _object(item, where)
        criterion_id = ""
        if "id" in obj:
            criterion_id = _text(obj["id"], where, "id")
            where = f"criteria[{index}] (criterion {_quote(criterion_id)})"
        _fields(obj, where, CRITERION_FIELDS, ("id", "kind", "points"))
        if criterion_id in seen:
            first = seen[criterion_id]
            raise _fail(where, "id", f"duplicate criterion {_quote(criterion_id)} (also criteria[{first}])")
        seen[criterion_id] = index
        kind = obj["kind"]
        if kind not in CRITERION_KINDS:
            raise _fail(where, "kind", f"unknown kind {_show(kind)} (expected one of {', '.join(CRITERION_KINDS)})")
        points = _whole(obj["points"], where, "points", minimum=0)
        ranks = table = None
        if "ranks" in obj and kind != RANKED:
            raise _fail(where, "ranks", f"allowed only for a ranked criterion, not {kind}")
        if "table" in obj and kind != CERTIFICATION:
            raise _fail(where, "table", f"allowed only for a certification criterion, not {kind}")
        if kind == RANKED:
            if "ranks" in obj:
                ranks = _points_map(obj["ranks"], where, "ranks", maximum=points)
                if not ranks:
                    raise _fail(where, "ranks", "must list at least one rank")
            elif points not in RANK_TABLES:
                raise _fail(
                    where,
                    "ranks",
                    f"required for a ranked criterion worth {points} points "
                    f"(default tables exist only for {' and '.join(map(str, RANK_TABLES))} points)",
                )
        if kind == CERTIFICATION:
            if "table" not in obj:
                raise _fail(where, None, 'missing field "table" (required for a certification criterion)')
            table = _points_map(obj["table"], where, "table", maximum=None)
        criteria.append(Criterion(id=criterion_id, kind=kind, points=points, ranks=ranks, table=table))
    return tuple(criteria)


def _parse_scores(
    obj: dict, where: str, bidder: str, criteria: tuple[Criterion, ...], *, required: bool
) -> dict[str, object]:
    if "scores" not in obj:
        if required and criteria:
            raise _fail(where, None, 'missing field "scores" (required for weighted_sum)')
        return {}
    scores = _object(obj["scores"], where, "scores")
    by_id = {c.id: c for c in criteria}
    for criterion_id, value in scores.items():
        criterion = by_id.get(criterion_id)
        if criterion is None:
            raise _fail(where, "scores", f"unknown criterion {_quote(criterion_id)}")
        try:
            criterion_points(criterion, value, bidder=bidder)
        except ScoreError as error:
            raise _fail(where, "scores", f"criterion {_quote(criterion_id)}: {error.reason}") from None
    if required:
        for criterion in criteria:
            if criterion.id not in scores:
                raise _fail(where, "scores", f"criterion {_quote(criterion.id)}: score missing")
    return dict(scores)


def _parse_bids(value: object, method: str, criteria: tuple[Criterion, ...]) -> tuple[BidInput, ...]:
    items = _list(value, "bids")
    bids: list[BidInput] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        where = f"bids[{index}]"
        obj = _object(item, where)
        bidder = ""
        if "bidder" in obj:
            bidder = _text(obj["bidder"], where, "bidder")
            where = f"bids[{index}] (bidder {_quote(bidder)})"
        _fields(obj, where, BID_FIELDS, ("bidder",))
        if bidder in seen:
            raise _fail(where, "bidder", f"duplicate bidder {_quote(bidder)} (also bids[{seen[bidder]}])")
        seen[bidder] = index
        invalid = obj.get("invalid")
        if invalid is not None:
            invalid = _text(invalid, where, "invalid")
        amount = obj.get("amount")
        if amount is None:
            if invalid is None:
                raise _fail(where, None, 'missing field "amount" (required unless the bid is invalid)')
        else:
            amount = _yen(amount, where, "amount")
        compliance = _boolean(obj.get("compliance", True), where, "compliance")
        pages = _boolean(obj.get("pages", True), where, "pages")
        # 評価を付けるのは一次評価に合格した有効な入札だけ（評価手順書 2.1、2.2）。
        required = method == "weighted_sum" and invalid is None and compliance and pages
        scores = _parse_scores(obj, where, bidder, criteria, required=required)
        bids.append(
            BidInput(
                bidder=bidder, amount=amount, compliance=compliance, pages=pages, scores=scores, invalid=invalid
            )
        )
    return tuple(bids)


def parse_case(data: object) -> Case:
    """JSON の case（json で読んだ dict）を検査して Case にする。不備は CaseFileError（1行）。"""
    obj = _object(data, "case")
    _fields(obj, "case", CASE_FIELDS, _REQUIRED_CASE_FIELDS)
    method = obj["method"]
    if method not in CONTRACT_METHODS:
        raise _fail("", "method", f"unknown method {_show(method)} (expected one of {', '.join(CONTRACT_METHODS)})")
    estimated_price = _yen(obj["estimated_price"], "", "estimated_price", minimum=1)
    tax_basis = obj.get("estimated_price_tax", "included")
    if not isinstance(tax_basis, str) or tax_basis not in _TAX_BASES:
        raise _fail("", "estimated_price_tax", f'must be "included" or "excluded", got {_show(tax_basis)}')
    tax_rate_percent = _whole(obj.get("tax_rate_percent", 10), "", "tax_rate_percent", minimum=0, maximum=100)
    price_points = _whole(obj.get("price_points", 110), "", "price_points", minimum=0)
    low_bid = _parse_low_bid(obj.get("low_bid"))
    criteria = _parse_criteria(obj.get("criteria", []))
    bids = _parse_bids(obj["bids"], method, criteria)
    try:
        return Case(
            method=method,
            estimated_price=estimated_price,
            estimated_price_tax_included=_TAX_BASES[tax_basis],
            tax_rate_percent=tax_rate_percent,
            price_points=price_points,
            low_bid=low_bid,
            criteria=criteria,
            bids=bids,
        )
    except (TypeError, ValueError) as error:  # 上の検査で尽くしているはずの、最後の守り
        raise CaseFileError(_one_line(f"case: {error}")) from None


# ---------------------------------------------------------------------------
# JSON の読み書き
# ---------------------------------------------------------------------------


def _no_duplicate_fields(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for name, value in pairs:
        if name in result:
            raise CaseFileError(f"invalid JSON: field {_quote(name)} appears twice in the same object")
        result[name] = value
    return result


def _reject_constant(name: str) -> object:
    raise CaseFileError(f"invalid JSON: {name} is not a number")


def loads(text: str | bytes) -> object:
    """JSON を読む。小数は Decimal（float にしない）、NaN・Infinity と重複した欄は CaseFileError。"""
    if isinstance(text, str) and text.startswith("\ufeff"):
        text = text[1:]  # UTF-8 の BOM は読み飛ばす
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_no_duplicate_fields,
        )
    except json.JSONDecodeError as error:
        raise CaseFileError(
            _one_line(f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})")
        ) from None
    except UnicodeDecodeError:
        raise CaseFileError("invalid JSON: the file is not UTF-8 text") from None
    except RecursionError:
        raise CaseFileError("invalid JSON: nested too deeply") from None


def _number(value: Decimal | None) -> float | None:
    # 切り捨てた後の Decimal（小数1桁）をここで初めて JSON の数にする：json.dumps は 11.0、13.5 と書く。
    return None if value is None else float(value)


def result_to_json(evaluation: Evaluation) -> dict:
    """契約の Result の形（results は bids の順）。"""
    return {
        "results": [
            {
                "bidder": r.bidder,
                "status": r.status,
                "compared_price": r.compared_price,
                "technical": r.technical,
                "price": _number(r.price),
                "total": _number(r.total),
            }
            for r in evaluation.results
        ],
        "award": {
            "status": evaluation.award.status,
            "bidder": evaluation.award.bidder,
            "candidates": list(evaluation.award.candidates),
        },
    }


def case_to_json(case: Case) -> dict:
    """A Case as the contract's JSON case, so that ``parse_case(case_to_json(c))`` gives ``c`` back.

    The web application exports each tender's evaluation with this, so that anyone can recompute it
    with ``flask evaluate-case`` without the application.
    """
    if case.method not in CONTRACT_METHODS:
        raise ValueError(f"method {_quote(case.method)} is not part of the JSON contract")
    criteria = []
    for c in case.criteria:
        row: dict = {"id": c.id, "kind": c.kind, "points": c.points}
        if c.ranks is not None:
            row["ranks"] = dict(c.ranks)
        if c.table is not None:
            row["table"] = dict(c.table)
        criteria.append(row)
    bids = []
    for b in case.bids:
        row = {"bidder": b.bidder}
        if b.amount is not None:
            row["amount"] = b.amount
        if b.invalid is not None:
            row["invalid"] = b.invalid
        else:
            row["compliance"] = b.compliance
            row["pages"] = b.pages
            if case.method == "weighted_sum" or b.scores:
                row["scores"] = {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in b.scores.items()}
        bids.append(row)
    return {
        "method": case.method,
        "estimated_price": case.estimated_price,
        "estimated_price_tax": "included" if case.estimated_price_tax_included else "excluded",
        "tax_rate_percent": case.tax_rate_percent,
        "price_points": case.price_points,
        "low_bid": None if case.low_bid is None else {
            "ratio": str(case.low_bid.ratio), "min_estimated_price": case.low_bid.min_estimated_price},
        "criteria": criteria,
        "bids": bids,
    }


def dumps(result: dict) -> str:
    """結果の JSON（字下げ2、日本語はそのまま、末尾に改行）。"""
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def run(text: str | bytes) -> tuple[int, str, str]:
    """case の JSON を評価する：(終了コード, 標準出力, 標準エラー)。

    成功なら (0, 結果の JSON, "")。壊れた JSON や不備のある case なら (2, "", 1行のエラーと改行)。
    """
    try:
        case = parse_case(loads(text))
        evaluation = _evaluate(case)
    except CaseFileError as error:
        return EXIT_MALFORMED, "", f"{_one_line(str(error))}\n"
    return EXIT_OK, dumps(result_to_json(evaluation)), ""


def _evaluate(case: Case) -> Evaluation:
    try:
        return evaluate(case)
    except ValueError as error:  # ScoreError を含む。parse_case が通した case では起きないはず
        raise CaseFileError(_one_line(str(error))) from None
