"""The 評価項目一覧 of a case as data: allocation checks and the seed's template.

[002 V 評価項目一覧, VI 評価手順書] 技術点 = 基礎点 (mandatory items, all or nothing) + 加点
(optional items ranked S/A/B/C, and the ワーク・ライフ・バランス certifications); the totals must
match the case's allocation (e.g. 220 = 86 + 134) and the price allocation (e.g. 110).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tender.rules.evaluation import RANK_TABLES

SECTIONS = {"compliance": "遵守確認事項", "requirement": "提案要求事項", "attachment": "添付資料"}
KINDS = {"mandatory": "必須（基礎点）", "ranked": "任意（加点・S/A/B/C）", "certification": "任意（加点・認定）"}

#: The WLB certifications of the spec's example (../shared/spec/evaluation-case.md); the seed lost
#: the rest of this table, so the officer completes it per notice.
DEFAULT_CERTIFICATIONS = {"platinum_eruboshi": 9, "eruboshi_3": 8, "youth_yell": 6}

#: What each certification code means, in the words of 002 表5 (女性活躍推進法・次世代法・若者雇用促進法):
#: screens and documents show these, never the code (issue 19).
CERTIFICATION_LABELS = {
    "platinum_eruboshi": "プラチナえるぼし認定（女性活躍推進法）",
    "eruboshi_3": "えるぼし認定 3段階目（女性活躍推進法）",
    "eruboshi_2": "えるぼし認定 2段階目（女性活躍推進法）",
    "eruboshi_1": "えるぼし認定 1段階目（女性活躍推進法）",
    "eruboshi_action_plan": "一般事業主行動計画の策定（女性活躍推進法、300人以下）",
    "action_plan": "一般事業主行動計画の策定（300人以下）",
    "platinum_kurumin": "プラチナくるみん認定（次世代法）",
    "kurumin": "くるみん認定（次世代法）",
    "tokurumin": "トライくるみん認定（次世代法）",
    "youth_yell": "ユースエール認定（若者雇用促進法）",
}


def certification_label(code: str) -> str:
    """A certification's name for people; an officer's own code shows as written."""
    return CERTIFICATION_LABELS.get(code, code)

#: 女性活躍推進法の行動計画の策定：「常時雇用する労働者の数が300人以下の事業主に限る（計画期間が満了して
#: いない行動計画を策定している場合のみ）」[002 VI 3.3 ※3]。認定の得点表でこの符号を使う。
ACTION_PLAN_CODES = frozenset({"action_plan", "eruboshi_action_plan"})
ACTION_PLAN_STAFF_LIMIT = 300


def certification_problems(codes: list[str] | tuple[str, ...], employees: int | None, company: str) -> list[str]:
    """Why some chosen certifications do not count for this company (Japanese; empty when all do):
    a 行動計画 counts only for an employer of at most 300 staff [002 VI 3.3 ※3]."""
    plans = sorted(set(codes) & ACTION_PLAN_CODES)
    if not plans:
        return []
    if employees is None:
        return [f"{company}の従業員数が登録されていないため、行動計画（{'、'.join(plans)}）は加点できません"
                f"（常時雇用する労働者の数が{ACTION_PLAN_STAFF_LIMIT}人以下の事業主に限る［002 VI 3.3 ※3］）。"]
    if employees > ACTION_PLAN_STAFF_LIMIT:
        return [f"{company}は従業員{employees:,}人のため、行動計画（{'、'.join(plans)}）は加点できません"
                f"（常時雇用する労働者の数が{ACTION_PLAN_STAFF_LIMIT}人以下の事業主に限る［002 VI 3.3 ※3］）。"]
    return []


@dataclass(frozen=True)
class CriterionSpec:
    section: str
    item_id: str
    title: str
    kind: str | None = None  # requirement items only
    points: int = 0
    major: str = ""
    middle: str = ""
    ranks: dict[str, int] | None = None
    table: dict[str, int] | None = None
    mandatory_attachment: bool = False

    @property
    def base_points(self) -> int:
        return self.points if self.kind == "mandatory" else 0

    @property
    def bonus_points(self) -> int:
        return self.points if self.kind in ("ranked", "certification") else 0


@dataclass(frozen=True)
class Allocation:
    base: int
    bonus: int
    technical: int
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(items: list[CriterionSpec], technical_points: int) -> Allocation:
    """Totals and consistency of a case's criteria, with Japanese messages."""
    problems: list[str] = []
    ids = [i.item_id for i in items]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"項目番号「{dup}」が重複しています。")
    requirements = [i for i in items if i.section == "requirement"]
    if not requirements:
        problems.append("提案要求事項を1つ以上登録してください。")
    for item in requirements:
        if item.kind not in KINDS:
            problems.append(f"項目「{item.item_id}」の区分（必須・任意）を選んでください。")
        elif item.points <= 0:
            problems.append(f"項目「{item.item_id}」の配点は1点以上にしてください。")
        elif item.kind == "ranked" and item.ranks is None and item.points not in RANK_TABLES:
            problems.append(f"項目「{item.item_id}」（{item.points}点）はS/A/B/Cの得点表を設定してください"
                            "（15点・10点の項目は評価手順書の表を用います）。")
        elif item.kind == "certification" and not item.table:
            problems.append(f"項目「{item.item_id}」の認定の得点表を設定してください。")
    base = sum(i.base_points for i in requirements)
    bonus = sum(i.bonus_points for i in requirements)
    if requirements and base + bonus != technical_points:
        problems.append(f"基礎点（{base}点）と加点（{bonus}点）の合計（{base + bonus}点）が技術点の配分"
                        f"（{technical_points}点）と一致しません。")
    return Allocation(base, bonus, base + bonus, tuple(problems))


def template() -> list[CriterionSpec]:
    """The seed's full 評価項目一覧 [002 V] (DOMAIN §7: 1.1 M11 … 4 WLB 9; 86 + 134 = 220)."""
    rows: list[CriterionSpec] = []
    for item_id, heading, text in COMPLIANCE:
        rows.append(CriterionSpec("compliance", item_id, text, major=heading))
    for item_id, major, middle, text, kind, points in REQUIREMENTS:
        rows.append(CriterionSpec("requirement", item_id, text, kind=kind, points=points, major=major, middle=middle,
                                  table=dict(DEFAULT_CERTIFICATIONS) if kind == "certification" else None))
    for item_id, major, text, mandatory in ATTACHMENTS:
        rows.append(CriterionSpec("attachment", item_id, text, major=major, mandatory_attachment=mandatory))
    return rows


COMPLIANCE = [
    ("C1", "全般", "仕様書に記載された業務をすべて実施すること。"),
    ("C2", "情報セキュリティ", "仕様書の情報セキュリティに関する事項を遵守すること。"),
    ("C3", "個人情報", "契約書(案)の個人情報の取扱いに関する特則を遵守すること。"),
]

_M, _R, _C = "mandatory", "ranked", "certification"
#: One row per bullet, consistent with every printed total of the seed (DOMAIN §7).
REQUIREMENTS = [
    ("1.1", "1 業務の実施方針", "1.1 実施方針", "業務の目的を理解した実施方針が示されていること。", _M, 11),
    ("1.2.1a", "1 業務の実施方針", "1.2.1 進捗管理", "進捗管理の方法が示されていること。", _M, 5),
    ("1.2.1b", "1 業務の実施方針", "1.2.1 進捗管理", "報告の頻度と内容が示されていること。", _M, 5),
    ("1.2.2a", "1 業務の実施方針", "1.2.2 実証事業の確認", "確認の方法が示されていること。", _M, 5),
    ("1.2.2b", "1 業務の実施方針", "1.2.2 実証事業の確認", "確認の方法が具体的で効果的であること。", _R, 15),
    ("1.2.2c", "1 業務の実施方針", "1.2.2 実証事業の確認", "懸念への対応策が示されていること。", _R, 10),
    ("1.2.3a", "1 業務の実施方針", "1.2.3 説明会の支援", "支援の方法が示されていること。", _M, 5),
    ("1.2.3b", "1 業務の実施方針", "1.2.3 説明会の支援", "支援の方法が効果的であること。", _R, 10),
    ("1.2.4a", "1 業務の実施方針", "1.2.4 実態把握の確認", "確認の方法が示されていること。", _M, 5),
    ("1.2.4b", "1 業務の実施方針", "1.2.4 実態把握の確認", "確認の方法が具体的で効果的であること。", _R, 15),
    ("1.2.4c", "1 業務の実施方針", "1.2.4 実態把握の確認", "改善提案の方法が示されていること。", _R, 10),
    ("1.2.5a", "1 業務の実施方針", "1.2.5 地域実証の確認", "確認項目が示されていること。", _M, 5),
    ("1.2.5b", "1 業務の実施方針", "1.2.5 地域実証の確認", "課題への対応が示されていること。", _M, 5),
    ("1.2.6a", "1 業務の実施方針", "1.2.6 報告書の作成支援", "支援の方法が示されていること。", _M, 5),
    ("1.2.6b", "1 業務の実施方針", "1.2.6 報告書の作成支援", "品質確保の工夫があること。", _R, 10),
    ("1.2.6c", "1 業務の実施方針", "1.2.6 報告書の作成支援", "取りまとめの工夫があること。", _R, 10),
    ("1.2.7", "1 業務の実施方針", "1.2.7 会議の運営", "会議の運営方法が示されていること。", _M, 5),
    ("1.2.8", "1 業務の実施方針", "1.2.8 その他", "その他の業務の実施方法が示されていること。", _M, 5),
    ("1.3a", "1 業務の実施方針", "1.3 スケジュール", "実施スケジュールが示されていること。", _M, 5),
    ("1.3b", "1 業務の実施方針", "1.3 スケジュール", "スケジュールが実現可能で効率的であること。", _R, 15),
    ("2.1a", "2 実施体制", "2.1 体制", "実施体制が示されていること。", _M, 5),
    ("2.1b", "2 実施体制", "2.1 体制", "責任者が示されていること。", _M, 5),
    ("2.1c", "2 実施体制", "2.1 体制", "情報管理体制が示されていること。", _M, 5),
    ("2.1d", "2 実施体制", "2.1 体制", "体制が業務に適していること。", _R, 10),
    ("2.2", "2 実施体制", "2.2 専門性", "従事者の専門性・経験が十分であること。", _R, 10),
    ("3.1a", "3 実績", "3.1 類似業務の実績", "類似業務の実績が示されていること。", _M, 5),
    ("3.1b", "3 実績", "3.1 類似業務の実績", "実績が本業務に活かせること。", _R, 10),
    ("4", "4 ワーク・ライフ・バランス", "4 認定等", "女性活躍推進法・次世代法・若者雇用促進法に基づく認定等。", _C, 9),
]

ATTACHMENTS = [
    ("A1", "添付資料", "会社概要（パンフレット等）", True),
    ("A2", "添付資料", "類似業務の実績を示す資料", True),
    ("A3", "添付資料", "ワーク・ライフ・バランス等の認定通知書の写し（該当する場合）", False),
]


def rank_table_problems(points: int, ranks: dict[str, int]) -> list[str]:
    """A custom S/A/B/C table: all four ranks, S = the item's points, never rising from S to C."""
    problems = []
    if set(ranks) != {"S", "A", "B", "C"}:
        problems.append("S・A・B・Cの4つのランクすべてに得点を設定してください。")
        return problems
    if ranks["S"] != points:
        problems.append(f"Sの得点は項目の配点（{points}点）と同じにしてください。")
    if not ranks["S"] >= ranks["A"] >= ranks["B"] >= ranks["C"] >= 0:
        problems.append("得点は S ≧ A ≧ B ≧ C ≧ 0 となるように設定してください。")
    return problems


# --- the bidder's filled-in sheet and the 一次評価 [002 VI 2.1] -------------------------------

MARKS = ("○", "×")
PAGE_MAX = 50


def normalise_mark(text: object) -> str:
    """A compliance mark as typed or read from the XLSX: ○ (also 〇, o, O), × (also x, X, ✕), or ""."""
    value = str(text or "").strip()
    if value in ("○", "〇", "◯", "o", "O", "ｏ", "Ｏ"):
        return "○"
    if value in ("×", "x", "X", "✕", "✖", "ｘ", "Ｘ"):
        return "×"
    return value


def page_required(item: CriterionSpec) -> bool:
    """Whether the 一次評価 requires a 提案書頁番号 on this line [002 VI 2.1 ②③].

    Every 必須 提案要求事項 and every mandatory 添付資料 needs one. A 任意 line — the ワーク・ライフ・
    バランス row, 評価区分 任意 with 加点 only [002 V 2. item 4] — is left blank when the proposal has no
    such page: 「該当する提案書の頁が存在しない場合には空欄とする」 and 任意 means 「必ずしも提案する
    必要は無い項目」 [002 IV 2.3 表5]; a blank one scores no 加点, since 「本欄に記載された頁のみを対象
    として採点を行う」 [表5]. ② is read with ③'s 必須 qualifier: a bidder without a certification is
    neither refused nor failed.
    """
    if item.section == "requirement":
        return item.kind != "certification"
    return item.section == "attachment" and item.mandatory_attachment


def sheet_problems(items: list[CriterionSpec], marks: dict[str, str], pages: dict[str, str]) -> list[str]:
    """What stops a sheet from being accepted with a bid (Japanese; empty when acceptable).

    A blank is refused (almost always an oversight, and the bidder can still fix it); a × is the
    bidder's statement and is accepted, though it fails the 一次評価.
    """
    problems: list[str] = []
    known = {i.item_id: i for i in items}
    unknown = sorted((set(marks) | set(pages)) - set(known))
    if unknown:
        problems.append("評価項目一覧にない項目番号があります：" + "、".join(unknown) + "（公告された様式を使ってください）。")
    blank_marks = [i.item_id for i in items if i.section == "compliance" and normalise_mark(marks.get(i.item_id)) == ""]
    if blank_marks:
        problems.append("遵守確認欄に ○ か × を記入してください：" + "、".join(blank_marks) + "。")
    bad_marks = [i.item_id for i in items if i.section == "compliance"
                 and normalise_mark(marks.get(i.item_id)) not in ("",) + MARKS]
    if bad_marks:
        problems.append("遵守確認欄には ○ か × だけを記入してください：" + "、".join(bad_marks) + "。")
    blank_pages = [i.item_id for i in items if page_required(i) and not str(pages.get(i.item_id) or "").strip()]
    if blank_pages:
        problems.append("提案書頁番号を記入してください：" + "、".join(blank_pages) + "。")
    long_pages = [k for k, v in pages.items() if len(str(v or "").strip()) > PAGE_MAX]
    if long_pages:
        problems.append(f"提案書頁番号は{PAGE_MAX}文字以内で記入してください：" + "、".join(sorted(long_pages)) + "。")
    return problems


def clean_sheet(items: list[CriterionSpec], marks: dict[str, str], pages: dict[str, str]) -> dict:
    """The sheet as stored with the bid: one mark per compliance item, one page entry per line."""
    return {"marks": {i.item_id: normalise_mark(marks.get(i.item_id)) for i in items if i.section == "compliance"},
            "pages": {i.item_id: str(pages.get(i.item_id) or "").strip() for i in items if i.section != "compliance"}}


@dataclass(frozen=True)
class ScreeningFailure:
    item_id: str
    rule: str  # "compliance" (①), "page" (②), "attachment" (③)
    message: str


@dataclass(frozen=True)
class Screening:
    """The 一次評価 of one sheet: the engine's ``compliance`` and ``pages`` flags, and why not."""

    compliance: bool
    pages: bool
    failures: tuple[ScreeningFailure, ...]

    @property
    def passed(self) -> bool:
        return self.compliance and self.pages


def screen(items: list[CriterionSpec], sheet: dict | None) -> Screening:
    """一次評価 [002 VI 2.1]: ① every 遵守確認 ○; ② every 必須 提案要求事項 has a page number (a 任意
    one may be blank: page_required); ③ every mandatory 添付資料 has a page number. A missing sheet
    fails every line."""
    marks = (sheet or {}).get("marks") or {}
    pages = (sheet or {}).get("pages") or {}
    failures: list[ScreeningFailure] = []
    for item in items:
        if item.section == "compliance":
            mark = normalise_mark(marks.get(item.item_id))
            if mark != "○":
                shown = f"「{mark}」" if mark else "空欄"
                failures.append(ScreeningFailure(item.item_id, "compliance",
                                                 f"遵守確認事項 {item.item_id}：遵守確認欄が{shown}です（①すべて○）。"))
        elif page_required(item) and not str(pages.get(item.item_id) or "").strip():
            rule = "page" if item.section == "requirement" else "attachment"
            which = "提案要求事項" if rule == "page" else "必須の添付資料"
            number = "②" if rule == "page" else "③"
            failures.append(ScreeningFailure(item.item_id, rule,
                                             f"{which} {item.item_id}：提案書頁番号が記入されていません（{number}）。"))
    return Screening(compliance=not any(f.rule == "compliance" for f in failures),
                     pages=not any(f.rule != "compliance" for f in failures), failures=tuple(failures))


# --- evaluators' marks side by side ---------------------------------------------------------

def mark_label(kind: str | None, value: object) -> str:
    """A mark as the screens show it: 満たす/満たさない, a rank, or the certifications."""
    if value is None:
        return "—"
    if kind == "mandatory":
        return {"met": "満たす", "not_met": "満たさない"}.get(str(value), str(value))
    if kind == "certification":
        return "、".join(value) if isinstance(value, (list, tuple)) and value else "該当なし"
    return str(value)


def _canonical(value: object) -> object:
    return tuple(sorted(value)) if isinstance(value, (list, tuple)) else value


def disagrees(values: list[object]) -> bool:
    """Do the evaluators' marks for one item differ (certification lists compared as sets)?"""
    return len({_canonical(v) for v in values}) > 1
