"""単価契約の数量精算：契約単価 × 実績数量で支払う額を確定する。

002 の契約は「事務局運営 一式」と「事業進捗支援 15件（予定数量）」の単価を定め［002 契約書 第5条第1項］、
「実際の採択件数は予定件数よりも減少する場合があるが、その場合も単価の変更はできない」［002 入札内訳書 注1］。
そこで、単位が「式」の行は定額、それ以外の行は契約単価 × 実績数量とし、消費税等は精算後の税抜額に
対して1円未満切捨て［002 契約書 第5条第2項］で計算する。実績が予定数量を超えるときは単価契約の範囲を
超えるので、精算ではなく変更契約［000・002 第12条］による。
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tender.rules.bids import BreakdownLine
from tender.rules.money import consumption_tax, format_yen

__all__ = ["SettledLine", "Settlement", "is_unit_priced", "settle", "unit_priced_lines"]

LUMP_UNIT = "式"


def is_unit_priced(line: BreakdownLine) -> bool:
    """単価 × 数量で精算する行か（単位「式」の行は定額）。"""
    return line.unit.strip() != LUMP_UNIT


def unit_priced_lines(lines: Sequence[BreakdownLine]) -> list[int]:
    """精算する行の番号（0から）。"""
    return [i for i, line in enumerate(lines) if is_unit_priced(line)]


@dataclass(frozen=True)
class SettledLine:
    item: str
    unit: str
    unit_price: int
    planned: int
    actual: int
    amount: int


@dataclass(frozen=True)
class Settlement:
    """精算の結果：各行、税抜額、消費税等、税込額と、契約金額（税抜）との差。"""

    lines: tuple[SettledLine, ...]
    amount_excl: int
    tax: int
    amount_total: int
    planned_excl: int

    @property
    def reduction_excl(self) -> int:
        return self.planned_excl - self.amount_excl

    @property
    def formula(self) -> str:
        parts = [f"{line.item} {format_yen(line.unit_price, 'plain')} × {line.actual:,}{line.unit}"
                 if line.unit != LUMP_UNIT else f"{line.item} {format_yen(line.amount, 'plain')}（一式）"
                 for line in self.lines]
        return (f"{' ＋ '.join(parts)} = {format_yen(self.amount_excl, 'plain')}（税抜）、消費税等 "
                f"{format_yen(self.tax, 'plain')}（1円未満切捨て）、計 {format_yen(self.amount_total, 'plain')}")


def settle(lines: Sequence[BreakdownLine], actual: Mapping[int, int]) -> Settlement:
    """lines は契約の内訳（予定数量）、actual は精算する行の番号 → 実績数量。

    誤り（日本語）は ValueError：精算する行がない、実績の入力がない・負・予定を超える、定額の行に実績がある。
    """
    lines = list(lines)
    if not all(isinstance(line, BreakdownLine) for line in lines):
        raise TypeError("内訳は BreakdownLine で指定してください。")
    priced = unit_priced_lines(lines)
    if not priced:
        raise ValueError("この契約に単価 × 数量の行はありません（一式の契約は精算しません）。")
    extra = sorted(set(actual) - set(priced))
    if extra:
        raise ValueError(f"{extra[0] + 1}行目は一式の行なので実績数量はありません。")
    settled: list[SettledLine] = []
    problems: list[str] = []
    for i, line in enumerate(lines):
        if i not in priced:
            settled.append(SettledLine(line.item, line.unit, line.unit_price, line.quantity, line.quantity,
                                       line.unit_price * line.quantity))
            continue
        count = actual.get(i)
        if count is None:
            problems.append(f"「{line.item}」の実績数量を入力してください。")
            continue
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            problems.append(f"「{line.item}」の実績数量は0以上の整数で入力してください。")
            continue
        if count > line.quantity:
            problems.append(f"「{line.item}」の実績数量（{count:,}{line.unit}）が予定数量（{line.quantity:,}{line.unit}）を"
                            "超えます。予定を超える分は変更契約［第12条］によってください。")
            continue
        settled.append(SettledLine(line.item, line.unit, line.unit_price, line.quantity, count, line.unit_price * count))
    if problems:
        raise ValueError(" ".join(problems))
    excl = sum(line.amount for line in settled)
    planned = sum(line.unit_price * line.quantity for line in lines)
    tax = consumption_tax(excl)
    return Settlement(tuple(settled), excl, tax, excl + tax, planned)
