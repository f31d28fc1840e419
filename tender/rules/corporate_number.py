"""法人番号（13桁）の検査。

国税庁長官が指定する（行政手続における特定の個人を識別するための番号の利用等に関する法律
第39条）。先頭1桁がチェックデジット、続く12桁が基礎番号（法人番号の指定等に関する省令、
国税庁「法人番号の構成」）。
チェックデジット = 9 − (Σ_{n=1}^{12} P_n × Q_n を9で割った余り)。
P_n は基礎番号の最下位の桁から数えて n 番目の数字、Q_n は n が奇数なら1、偶数なら2（国税庁）。
"""
from __future__ import annotations

import re
import unicodedata

__all__ = [
    "normalize_corporate_number",
    "corporate_number_check_digit",
    "corporate_number_problem",
    "is_valid_corporate_number",
]

_LENGTH_MESSAGE = "法人番号は13桁の数字で入力してください。"
_CHECK_MESSAGE = "法人番号のチェックデジットが一致しません。"

# 利用者が区切りとして入れがちな空白とハイフン類（全角・長音記号・マイナス記号を含む）。
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d\uff70]")
_THIRTEEN_DIGITS = re.compile(r"[0-9]{13}")
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")


def normalize_corporate_number(text: str) -> str:
    """空白とハイフンを除き、全角数字を半角にする（桁数や数字かどうかは検査しない）。"""
    if not isinstance(text, str):
        raise TypeError("法人番号は文字列で指定してください。")
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


def corporate_number_check_digit(base12: str) -> int:
    """12桁の基礎番号からチェックデジット（1～9）を計算する。"""
    if not isinstance(base12, str) or _TWELVE_DIGITS.fullmatch(base12) is None:
        raise ValueError("法人番号の基礎番号は12桁の数字で指定してください。")
    total = 0
    for n, digit in enumerate(reversed(base12), start=1):
        total += int(digit) * (1 if n % 2 == 1 else 2)
    return 9 - total % 9


def corporate_number_problem(text: str) -> str | None:
    """法人番号として正しければ None、誤りがあれば利用者向けの説明（日本語）。"""
    number = normalize_corporate_number(text)
    if _THIRTEEN_DIGITS.fullmatch(number) is None:
        return _LENGTH_MESSAGE
    if int(number[0]) != corporate_number_check_digit(number[1:]):
        return _CHECK_MESSAGE
    return None


def is_valid_corporate_number(text: str) -> bool:
    """法人番号として正しいか（桁数とチェックデジット）。"""
    return corporate_number_problem(text) is None
