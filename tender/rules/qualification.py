"""The vocabulary of the 全省庁統一資格 (競争参加資格): categories, grades, regions."""
from __future__ import annotations

import enum


class QualificationCategory(str, enum.Enum):
    """The four categories of the 全省庁統一資格."""

    MANUFACTURE = "manufacture"
    SALE = "sale"
    SERVICES = "services"
    PURCHASE = "purchase"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.value]


CATEGORY_LABELS = {
    "manufacture": "物品の製造",
    "sale": "物品の販売",
    "services": "役務の提供等",
    "purchase": "物品の買受け",
}

#: The competition regions (競争参加地域).
REGIONS = ("北海道", "東北", "関東・甲信越", "東海・北陸", "近畿", "中国", "四国", "九州・沖縄")
#: 等級, highest first.
GRADES = ("A", "B", "C", "D")
