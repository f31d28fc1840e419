"""金額の規則：円の表示、消費税、端数の切捨て、入力の読み取り。

金額は int または Decimal だけで扱う。float は 0.1 が正確に表せず1円単位の誤差を生むので
TypeError で拒否する（bool も int の派生型だが金額ではないので拒否する）。
"""
from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_FLOOR, Decimal, localcontext

from babel import Locale
from babel.numbers import get_group_symbol

__all__ = [
    "TAX_RATE",
    "format_yen",
    "consumption_tax",
    "tax_included",
    "truncate_yen",
    "parse_yen",
]

# 消費税及び地方消費税の標準税率（消費税法第29条 7.8% + 地方税法 2.2%）。
TAX_RATE = Decimal("0.10")

_YEN_STYLES = ("kanji", "symbol", "plain")
_FULLWIDTH_YEN_SIGN = "\uffe5"  # ￥（様式の金額欄で使う全角円記号）

# 桁区切りは Babel の ja_JP ロケールに従う（3桁ごとのカンマ）。その記号と桁数を一度だけ読み、
# 書くのは Python の桁区切りで行う（一覧が金額を数百書くので、毎回 Babel の書式を解かない）。
_GROUP = get_group_symbol("ja_JP")
if Locale.parse("ja_JP").decimal_formats[None].grouping != (3, 3):  # pragma: no cover - Babel のデータが変わったとき
    raise RuntimeError("ja_JP の桁区切りが3桁ではありません")


def _require_amount(amount: object, name: str = "金額") -> Decimal:
    """int か Decimal の有限の値を Decimal にして返す。float・bool は TypeError。"""
    if isinstance(amount, bool) or not isinstance(amount, (int, Decimal)):
        raise TypeError(f"{name}は int または Decimal で指定してください（float は使えません）。")
    value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"{name}が数値ではありません。")
    return value


def _require_whole_yen(amount: object, name: str = "金額") -> int:
    value = _require_amount(amount, name)
    if value != value.to_integral_value():
        raise ValueError(f"{name}は円単位の整数にしてください（円未満の端数があります）。")
    return int(value)


def format_yen(amount: int | Decimal, style: str = "kanji") -> str:
    """金額を円で書く。

    * ``"kanji"``  → 「金12,345,000円」（契約書・入札書の書き方）
    * ``"symbol"`` → 「￥12,345,000」（全角円記号 U+FFE5）
    * ``"plain"``  → 「12,345,000円」

    負の金額は記号の前に半角マイナスを付ける：「-金1,000円」「-￥1,000」「-1,000円」
    （「金」「￥」は金額の頭に付ける語なので、符号はその外側に置く）。
    """
    if style not in _YEN_STYLES:
        raise ValueError(f"金額の書式は {', '.join(_YEN_STYLES)} のいずれかです。")
    yen = _require_whole_yen(amount)
    sign = "-" if yen < 0 else ""
    digits = f"{abs(yen):,}".replace(",", _GROUP)
    if style == "kanji":
        return f"{sign}金{digits}円"
    if style == "symbol":
        return f"{sign}{_FULLWIDTH_YEN_SIGN}{digits}"
    return f"{sign}{digits}円"


def _require_rate(rate: object) -> Decimal:
    if isinstance(rate, bool) or not isinstance(rate, (int, Decimal)):
        raise TypeError("税率は Decimal で指定してください（float は使えません）。")
    value = Decimal(rate)
    if not value.is_finite() or value < 0:
        raise ValueError("税率は0以上の数で指定してください。")
    return value


def consumption_tax(amount_excl: int, rate: Decimal = TAX_RATE) -> int:
    """税抜金額に対する消費税額。1円未満の端数は切り捨てる [002 §1(5)]。"""
    base = _require_whole_yen(amount_excl, "税抜金額")
    if base < 0:
        raise ValueError("税抜金額は0以上にしてください。")
    with localcontext() as context:
        # 既定の有効桁数28では巨大な金額の積が丸められうるので、十分な桁数で計算する。
        context.prec = 100
        tax = (Decimal(base) * _require_rate(rate)).to_integral_value(rounding=ROUND_FLOOR)
    return int(tax)


def tax_included(amount_excl: int, rate: Decimal = TAX_RATE) -> int:
    """税込金額＝税抜金額＋消費税額（1円未満切捨て）。

    入札書に記載された金額に10%を加算した額（1円未満の端数切捨て）が落札価格となる [002 §1(5)]。
    """
    return _require_whole_yen(amount_excl, "税抜金額") + consumption_tax(amount_excl, rate)


def truncate_yen(amount: int | Decimal, unit: int) -> int:
    """unit 円未満を切り捨てる（例：違約金は100円未満切捨て。DOMAIN §9）。

    端数処理は0以上の金額だけを対象とし、負の金額は ValueError とする。
    """
    value = _require_amount(amount)
    if isinstance(unit, bool) or not isinstance(unit, int):
        raise TypeError("切捨ての単位は整数（円）で指定してください。")
    if unit < 1:
        raise ValueError("切捨ての単位は1円以上にしてください。")
    if value < 0:
        raise ValueError("切捨ての対象は0以上の金額にしてください。")
    with localcontext() as context:
        context.prec = 100
        units = (value / unit).to_integral_value(rounding=ROUND_FLOOR)
    return int(units) * unit


_PARSE_MESSAGE = "金額は円単位の整数で入力してください。"
# 「金」「￥/¥/\」の接頭辞、「円」「円也」の接尾辞を許す。桁区切りは3桁ごとのカンマのみ。
_YEN_PATTERN = re.compile(
    r"(?:金)?\s*[¥\\]?\s*(?P<number>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)\s*(?:円(?:也)?)?"
)


def parse_yen(text: str) -> int:
    """入力された金額を円の整数で読む。

    「12,345,000」「１２，３４５，０００」「￥12,345,000」「12345000円」「金12,345,000円」を受け付け、
    小数・負数・空欄・文字の混じった値は ValueError（「金額は円単位の整数で入力してください。」）。
    """
    if not isinstance(text, str):
        raise TypeError(_PARSE_MESSAGE)
    # NFKC で全角数字・全角カンマ・全角円記号（￥ → ¥）・全角空白を半角にそろえる。
    normalized = unicodedata.normalize("NFKC", text).strip()
    match = _YEN_PATTERN.fullmatch(normalized)
    if match is None:
        raise ValueError(_PARSE_MESSAGE)
    return int(match["number"].replace(",", ""))
