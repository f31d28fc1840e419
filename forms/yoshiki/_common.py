"""様式どうしで共有する小さな道具と、見本（sample）に使う架空の名前。

見本の名前はすべて架空（実在の機関・役職者・会社を指さない）。seeds の原文に出てくる
実在の機関名・氏名は使わない。
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from forms.blocks import BLANK_DATE
from tender.rules.wareki import format_wareki

__all__ = [
    "JST",
    "SAMPLE_AUTHORITY",
    "SAMPLE_AUTHORITY_ADDRESS",
    "SAMPLE_AUTHORITY_HEAD",
    "SAMPLE_CASE_TITLE",
    "SAMPLE_COMPANY",
    "SAMPLE_COMPANY_ADDRESS",
    "SAMPLE_DATE",
    "SAMPLE_DEPARTMENT",
    "SAMPLE_RECEIVED_AT",
    "SAMPLE_REPRESENTATIVE",
    "date_or_blank",
    "quoted",
]

JST = timezone(timedelta(hours=9), "JST")

SAMPLE_AUTHORITY = "独立行政法人デジタル調達推進機構"
SAMPLE_AUTHORITY_ADDRESS = "東京都千代田区霞が関九丁目1番1号"
SAMPLE_AUTHORITY_HEAD = "理事長　山川　一郎"
SAMPLE_DEPARTMENT = "セキュリティセンター 企画部 中小企業支援グループ"
SAMPLE_CASE_TITLE = "令和8年度中小企業サイバーセキュリティ対策支援体制構築事業の実施に係る事業進捗支援業務"
SAMPLE_COMPANY = "株式会社さくら情報システム"
SAMPLE_COMPANY_ADDRESS = "東京都港区芝浦五丁目3番2号"
SAMPLE_REPRESENTATIVE = "代表取締役　青木　美咲"
SAMPLE_DATE = date(2026, 6, 15)
SAMPLE_RECEIVED_AT = datetime(2026, 6, 15, 14, 5, tzinfo=JST)


def date_or_blank(value: date | None) -> str:
    """和暦の日付、未記入なら「令和　　年　　月　　日」。"""
    return BLANK_DATE if value is None else format_wareki(value)


def quoted(title: str) -> str:
    """件名を「」で囲む（すでに囲まれていればそのまま）。"""
    return title if title.startswith("「") else f"「{title}」"
