"""競争参加資格・応募要件の規則の目録と、応募者ごとの判定（DOMAIN §4）。

規則は [002] 入札説明書「2. 競争参加資格」と [000] 公募要領「2. 応募要件」から採った。
案件ごとに規則（RuleSpec：種類と設定）を並べ、応募者の事実（ApplicantFacts）を
判定日（例：提出期限の日本時間の日付）に照らして、規則ごとに理由付きの判定（Verdict）を出す。

規則の設定（params）はデータベースに JSON で保存されるので、値は JSON にできる型
（文字列・整数・リスト・None）で持つ。日付は ISO 形式の文字列（"2026-10-01"）でもよい。
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tender.rules.calendar import fiscal_year
from tender.rules.checks import require_date as _require_date
from tender.rules.checks import require_int as _require_int
from tender.rules.qualification import CATEGORY_LABELS, GRADES, REGIONS, QualificationCategory
from tender.rules.sme import sme_verdict
from tender.rules.wareki import era_year, format_wareki, format_wareki_fiscal_year

__all__ = [
    "RuleKind",
    "QualificationFact",
    "SuspensionFact",
    "CreditEventFact",
    "CREDIT_EVENT_KINDS",
    "ApplicantFacts",
    "RuleSpec",
    "Verdict",
    "default_params",
    "param_problems",
    "describe",
    "check",
    "check_all",
    "eligible",
]


class RuleKind(str, enum.Enum):
    """規則の種類。値は変えない ASCII のコード（データベースに保存される）。"""

    UNIFIED_QUALIFICATION = "unified_qualification"
    NO_SUSPENSION = "no_suspension"
    LEGAL_PERSONALITY = "legal_personality"
    DECLARATIONS = "declarations"
    NDA_AND_VIEWING = "nda_and_viewing"
    NOT_LINKED_PROPOSER = "not_linked_proposer"
    SME = "sme"
    SOUND_FINANCES = "sound_finances"

    @property
    def label(self) -> str:
        """規則の短い名称（日本語）。"""
        return _KIND_TEXTS[self][0]

    @property
    def description(self) -> str:
        """規則の説明（日本語、出典付き）。担当職員が規則を選ぶ画面に出す。"""
        return _KIND_TEXTS[self][1]


_KIND_TEXTS: dict[RuleKind, tuple[str, str]] = {
    RuleKind.UNIFIED_QUALIFICATION: (
        "全省庁統一資格",
        "全省庁統一資格（競争参加資格）の資格の種類・等級・競争参加地域・年度を確認します"
        "（入札説明書 2.(3)、公募要領 2.(4)）。",
    ),
    RuleKind.NO_SUSPENSION: (
        "指名停止を受けていないこと",
        "各省各庁及び政府関係法人等から取引停止又は指名停止処分等を受けていないことを、判定日に確認します"
        "（入札説明書 2.(4)、公募要領 2.(5)）。",
    ),
    RuleKind.LEGAL_PERSONALITY: (
        "法人格を有すること",
        "応募者が法人格を有していることを確認します（公募要領 2.(1)）。",
    ),
    RuleKind.DECLARATIONS: (
        "予決令第70条・第71条に該当しないこと及び暴力団排除に関する誓約",
        "予算決算及び会計令第70条・第71条の規定に該当しないこと、及び暴力団排除に関する誓約事項について"
        "誓約することを確認します。書類の提出をもって誓約したものとします"
        "（入札説明書 2.(1)(2)、公募要領 2.(2)(3)(7)）。",
    ),
    RuleKind.NDA_AND_VIEWING: (
        "秘密保持誓約書の提出と設計資料の閲覧",
        "秘密保持誓約書を提出した上で設計資料を閲覧したことを確認します（公募要領 2.(10)、3.）。",
    ),
    RuleKind.NOT_LINKED_PROPOSER: (
        "関連する公募の提案者でないこと",
        "関連する企画競争等の提案者でないこと（利益相反の防止）を確認します（入札説明書 2.(6)）。",
    ),
    RuleKind.SOUND_FINANCES: (
        "経営の状況又は信用度が極度に悪化していないこと",
        "経営の状況又は信用度が極度に悪化していないと認められる者であり、適正な契約の履行が確保される者であることを、"
        "事業者に記録した事実（更生・再生・破産手続の申立て、取引停止処分など）で、公告日から開札日までの期間に"
        "確認します（公募要領 2.(6)、入札説明書 2.(5)）。",
    ),
    RuleKind.SME: (
        "中小企業等であること",
        "業種ごとの資本金の額又は出資の総額・常時使用する従業員の数の上限により、中小企業等に当たることを"
        "確認します（入札説明書 III 3.「中小企業等の定義」）。",
    ),
}


# --- 応募者の事実 ---------------------------------------------------------------------




@dataclass(frozen=True)
class QualificationFact:
    """全省庁統一資格の資格審査結果（資格審査結果通知書）の一件。

    category は QualificationCategory の値（"services" など）、grade は "A"～"D"、
    regions は競争参加地域、valid_from_fy～valid_to_fy は有効な年度（西暦の開始年、両端を含む。
    例：令和7・8・9年度 → 2025～2027）。
    """

    category: str
    grade: str
    regions: tuple[str, ...]
    valid_from_fy: int
    valid_to_fy: int
    #: 資格審査の申請中（結果の通知がまだ）。入札心得第9条により、資格が認められることを条件に入札できる。
    pending: bool = False
    #: 申請中だった資格が認められた日。案件の判定では、開札日より後に認められた資格は申請中と同じに扱う。
    granted_on: date | None = None

    def __post_init__(self) -> None:
        if isinstance(self.category, QualificationCategory):
            object.__setattr__(self, "category", self.category.value)
        object.__setattr__(self, "regions", tuple(self.regions))
        _require_int(self.valid_from_fy, "有効期間の初年度")
        _require_int(self.valid_to_fy, "有効期間の最終年度")
        if self.valid_from_fy > self.valid_to_fy:
            raise ValueError("資格の有効期間の初年度が最終年度より後になっています。")
        if self.granted_on is not None:
            _require_date(self.granted_on, "資格が認められた日")
            if self.pending:
                raise ValueError("申請中の資格に、認められた日はありません。")

    def granted_by(self, day: date) -> bool:
        """day までに認められていたか（申請中でなく、認められた日が day 以前か記録がない）。"""
        return not self.pending and (self.granted_on is None or self.granted_on <= day)


@dataclass(frozen=True)
class SuspensionFact:
    """取引停止・指名停止の処分の一件：処分した機関と期間（両端を含む）。"""

    issuer: str
    starts_on: date
    ends_on: date

    def __post_init__(self) -> None:
        _require_date(self.starts_on, "指名停止の開始日")
        _require_date(self.ends_on, "指名停止の終了日")
        if self.starts_on > self.ends_on:
            raise ValueError("指名停止の開始日が終了日より後になっています。")


#: 経営の状況・信用度の極度の悪化に当たる事実の種類 [000 応募要件(6)、002 2.(5)]。種の文書は何を「極度に
#: 悪化」とするかを列挙していないので、国の入札公告で広く使われる事由を選べるようにし、発注機関の判断で
#: 「その他」も記録できる。
CREDIT_EVENT_KINDS: dict[str, str] = {
    "rehabilitation": "会社更生法に基づく更生手続開始の申立て",
    "civil_rehabilitation": "民事再生法に基づく再生手続開始の申立て",
    "bankruptcy": "破産手続開始の申立て",
    "clearing_suspension": "手形交換所・電子債権記録機関による取引停止処分",
    "other": "その他、発注機関が経営の状況又は信用度の極度の悪化と認めた事実",
}


@dataclass(frozen=True)
class CreditEventFact:
    """経営の状況・信用度の極度の悪化に当たる事実の一件：種類と、悪化と扱う期間（ends_on が None なら、
    解消（例：手続開始の決定後の資格の再認定）が記録されるまで続く）。"""

    kind: str
    starts_on: date
    ends_on: date | None = None

    def __post_init__(self) -> None:
        if self.kind not in CREDIT_EVENT_KINDS:
            raise ValueError(f"経営状況の事実の種類が正しくありません: {self.kind!r}")
        _require_date(self.starts_on, "事実の発生日")
        if self.ends_on is not None:
            _require_date(self.ends_on, "解消した日")
            if self.starts_on > self.ends_on:
                raise ValueError("経営状況の事実の発生日が解消した日より後になっています。")

    def overlaps(self, start: date, end: date) -> bool:
        return self.starts_on <= end and (self.ends_on is None or start <= self.ends_on)

    @property
    def text(self) -> str:
        until = f"{format_wareki(self.ends_on)}に解消" if self.ends_on else "解消の記録なし"
        return f"{CREDIT_EVENT_KINDS[self.kind]}（{format_wareki(self.starts_on)}、{until}）"


@dataclass(frozen=True)
class ApplicantFacts:
    """判定に使う応募者（入札者）の事実。

    incorporated は法人格の有無（000 応募要件(1)）。中小企業等の判定で対象外になるのは
    unincorporated_association（法人格のない任意団体 [002 III 3 注]）だけで、個人事業主は法人格が
    なくても中小企業等に当たりうる。principal_industry は⑫～⑮の主たる業種（①～⑧）。
    declarations_affirmed は予決令第70条・第71条・暴力団排除の誓約を、提出の行為によって
    誓約したか（提出した応募者なら True）。
    """

    name: str
    incorporated: bool
    industry: str | None
    capital: int | None
    employees: int | None
    qualifications: tuple[QualificationFact, ...] = ()
    suspensions: tuple[SuspensionFact, ...] = ()
    declarations_affirmed: bool = False
    nda_signed_on: date | None = None
    documents_viewed_on: date | None = None
    proposer_in_linked_case: bool = False
    unincorporated_association: bool = False
    principal_industry: str | None = None
    credit_events: tuple[CreditEventFact, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "qualifications", tuple(self.qualifications))
        object.__setattr__(self, "suspensions", tuple(self.suspensions))
        object.__setattr__(self, "credit_events", tuple(self.credit_events))
        if self.nda_signed_on is not None:
            _require_date(self.nda_signed_on, "秘密保持誓約書の提出日")
        if self.documents_viewed_on is not None:
            _require_date(self.documents_viewed_on, "設計資料の閲覧日")


# --- 規則と判定 ----------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSpec:
    """案件に置く規則：種類と設定。"""

    kind: RuleKind
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", RuleKind(self.kind))


@dataclass(frozen=True)
class Verdict:
    """規則ひとつの判定：種類、規則の名称、適合したか、理由（日本語、見つけたものを名指す）。"""

    kind: RuleKind
    label: str
    passed: bool
    reason: str
    #: 資格審査の申請中の資格で適合とした（入札心得第9条の条件付き）：開札日までに資格が認められなければ、
    #: その入札は落札の対象としない。
    conditional: bool = False


# 種類ごとの設定項目と既定値。
_DEFAULTS: dict[RuleKind, dict[str, Any]] = {
    # [002 §2(3)] は A・B・C、[000 §2(4)] は B・C・D と関東・甲信越。
    RuleKind.UNIFIED_QUALIFICATION: {
        "category": "services",
        "grades": ["A", "B", "C"],
        "regions": [],
        "fiscal_year": None,
    },
    RuleKind.NO_SUSPENSION: {},
    RuleKind.LEGAL_PERSONALITY: {},
    RuleKind.DECLARATIONS: {},
    RuleKind.NDA_AND_VIEWING: {},
    RuleKind.NOT_LINKED_PROPOSER: {},
    RuleKind.SME: {},
    RuleKind.SOUND_FINANCES: {},
}

# 既定値にはないが置いてよい設定項目。
_OPTIONAL: dict[RuleKind, dict[str, Any]] = {
    # 判定日を固定する（None なら check に渡された日）。
    RuleKind.NO_SUSPENSION: {"on": None},
    # 公告に出す関連案件の名称（[002 §2(6)] の「…事業」企画競争）。
    RuleKind.NOT_LINKED_PROPOSER: {"linked_case": None},
}


def default_params(kind: RuleKind | str) -> dict[str, Any]:
    """新しい規則の既定の設定（毎回新しい辞書）。"""
    chosen = RuleKind(kind)
    return {key: (list(value) if isinstance(value, list) else value) for key, value in _DEFAULTS[chosen].items()}


def _merged(kind: RuleKind, params: dict[str, Any]) -> dict[str, Any]:
    return {**default_params(kind), **_OPTIONAL.get(kind, {}), **params}


def _as_date_param(value: object) -> date | None:
    # 設定の日付は date か ISO 形式の文字列。読めなければ ValueError / TypeError。
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value)
    return _require_date(value, "判定日")


def param_problems(kind: RuleKind | str, params: dict[str, Any]) -> list[str]:
    """設定の誤り（日本語）。誤りがなければ空のリスト。"""
    chosen = RuleKind(kind)
    if not isinstance(params, dict):
        return ["設定は辞書（項目名と値の組）で指定してください。"]
    problems: list[str] = []
    known = set(_DEFAULTS[chosen]) | set(_OPTIONAL.get(chosen, {}))
    for key in params:
        if key not in known:
            problems.append(f"この規則にない設定項目です: {key}")
    values = _merged(chosen, params)

    if chosen is RuleKind.UNIFIED_QUALIFICATION:
        category = values["category"]
        if isinstance(category, QualificationCategory):
            category = category.value
        if not isinstance(category, str) or category not in CATEGORY_LABELS:
            problems.append(f"資格の種類が正しくありません: {category!r}")
        grades = values["grades"]
        if not isinstance(grades, (list, tuple)) or not grades:
            problems.append("等級を1つ以上選んでください。")
        else:
            wrong = [g for g in grades if not isinstance(g, str) or g not in GRADES]
            if wrong:
                problems.append(f"等級が正しくありません: {'、'.join(map(str, wrong))}（A・B・C・D から選んでください）")
            elif len(set(grades)) != len(grades):
                problems.append("同じ等級が重複しています。")
        regions = values["regions"]
        if not isinstance(regions, (list, tuple)):
            problems.append("地域はリストで指定してください。")
        else:
            wrong = [r for r in regions if not isinstance(r, str) or r not in REGIONS]
            if wrong:
                problems.append(f"地域が正しくありません: {'、'.join(map(str, wrong))}")
            elif len(set(regions)) != len(regions):
                problems.append("同じ地域が重複しています。")
        fy = values["fiscal_year"]
        if fy is not None and (isinstance(fy, bool) or not isinstance(fy, int)):
            problems.append("年度は整数（西暦の開始年、例：2026）で指定するか、空にしてください。")
    elif chosen is RuleKind.NO_SUSPENSION:
        try:
            _as_date_param(values["on"])
        except (TypeError, ValueError):
            problems.append("判定日は日付（例：2026-10-01）で指定するか、空にしてください。")
    elif chosen is RuleKind.NOT_LINKED_PROPOSER:
        linked = values["linked_case"]
        if linked is not None and not isinstance(linked, str):
            problems.append("関連する案件の名称は文字列で指定してください。")
    return problems


def _valid_values(spec: RuleSpec) -> dict[str, Any]:
    problems = param_problems(spec.kind, spec.params)
    if problems:
        raise ValueError(f"「{spec.kind.label}」の設定に誤りがあります：" + " ".join(problems))
    return _merged(spec.kind, spec.params)


# --- 表示の部品 ----------------------------------------------------------------------


def _category_value(category: object) -> str:
    return category.value if isinstance(category, QualificationCategory) else str(category)


def _category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def _grades_text(grades: Iterable[str]) -> str:
    # 表示は GRADES の順（A が先）にそろえる。
    return "・".join(g for g in GRADES if g in set(grades))


def _ordered_regions(regions: Iterable[str]) -> list[str]:
    wanted = set(regions)
    return [r for r in REGIONS if r in wanted]


def _regions_alternatives(regions: list[str]) -> str:
    # 地域名は「関東・甲信越」のように中黒を含むので、選択は「又は」でつなぐ。
    if len(regions) == 1:
        return regions[0]
    return "、".join(regions[:-1]) + "又は" + regions[-1]


def _year_number(year: int) -> str:
    return "元" if year == 1 else str(year)


def _fiscal_span(first: int, last: int) -> str:
    """年度の範囲（例：令和7〜9年度、平成30年度〜令和2年度、令和8年度）。"""
    if first == last:
        return format_wareki_fiscal_year(first)
    # 年度の元号は中間日（10月1日）で決める（format_wareki_fiscal_year と同じ）。
    era_a, year_a = era_year(date(first, 10, 1))
    era_b, year_b = era_year(date(last, 10, 1))
    if era_a == era_b:
        return f"{era_a}{_year_number(year_a)}〜{_year_number(year_b)}年度"
    return f"{format_wareki_fiscal_year(first)}〜{format_wareki_fiscal_year(last)}"


def _qualification_text(q: QualificationFact) -> str:
    details = [_fiscal_span(q.valid_from_fy, q.valid_to_fy)]
    if q.regions:
        details.append("、".join(q.regions))
    return f"{_category_label(q.category)} {q.grade}等級（{'、'.join(details)}）"


def _date_span(start: date, end: date) -> str:
    return f"{format_wareki(start)}〜{format_wareki(end)}"


# --- 公告に出す文 --------------------------------------------------------------------


def describe(spec: RuleSpec) -> str:
    """公告（入札説明書・公募要領）に載せる規則の文。"""
    values = _valid_values(spec)
    kind = spec.kind
    if kind is RuleKind.UNIFIED_QUALIFICATION:
        category = _category_label(_category_value(values["category"]))
        text = f"全省庁統一資格「{category}」の{_grades_text(values['grades'])}等級に格付けされ"
        regions = _ordered_regions(values["regions"])
        if regions:
            text += f"、{_regions_alternatives(regions)}地域の競争参加資格を有すること"
        else:
            text += "ていること"
        if values["fiscal_year"] is not None:
            text += f"（{format_wareki_fiscal_year(values['fiscal_year'])}）"
        return text
    if kind is RuleKind.NO_SUSPENSION:
        text = "各省各庁及び政府関係法人等から取引停止又は指名停止処分等を受けていないこと"
        on = _as_date_param(values["on"])
        if on is not None:
            text += f"（{format_wareki(on)}時点）"
        return text
    if kind is RuleKind.LEGAL_PERSONALITY:
        return "法人格を有すること"
    if kind is RuleKind.DECLARATIONS:
        return (
            "予算決算及び会計令第70条及び第71条の規定に該当しない者であり、"
            "暴力団排除に関する誓約事項について誓約すること（書類の提出をもって誓約したものとみなします）"
        )
    if kind is RuleKind.NDA_AND_VIEWING:
        return "秘密保持誓約書を提出した上で、設計資料を閲覧した者であること"
    if kind is RuleKind.NOT_LINKED_PROPOSER:
        linked = values["linked_case"]
        if linked:
            return f"「{linked}」の提案者でないこと"
        return "関連する企画競争等の提案者でないこと"
    if kind is RuleKind.SOUND_FINANCES:
        return "経営の状況又は信用度が極度に悪化していないと認められる者であり、適正な契約の履行が確保される者であること"
    if kind is RuleKind.SME:
        return "中小企業等（業種ごとの資本金の額又は出資の総額・常時使用する従業員の数の上限による）に該当すること"
    raise AssertionError(kind)  # pragma: no cover - RuleKind はすべて上で扱う


# --- 判定 ----------------------------------------------------------------------------


def _check_qualification(values: dict[str, Any], facts: ApplicantFacts, on: date,
                         period: tuple[date, date] | None = None) -> tuple[bool, str, bool]:
    """(passed, reason, conditional): conditional when only a qualification still under review
    (申請中) meets the rule — a bid on condition under 入札心得第9条. A case's judgement (period given)
    asks whether it was granted by the opening (the period's end); one granted later is still a bid
    on condition, which is not awarded."""
    by = max(period) if period is not None else on
    category = _category_value(values["category"])
    grades = set(values["grades"])
    regions = set(values["regions"])
    fy = values["fiscal_year"] if values["fiscal_year"] is not None else fiscal_year(on)

    if not facts.qualifications:
        return False, "全省庁統一資格が登録されていません。", False

    def progress(q: QualificationFact) -> int:
        # 条件を順に（種類 → 等級 → 地域 → 年度）いくつ続けて満たすか。4 なら適合。
        if q.category != category:
            return 0
        if q.grade not in grades:
            return 1
        if regions and not regions.intersection(q.regions):
            return 2
        if not q.valid_from_fy <= fy <= q.valid_to_fy:
            return 3
        return 4

    # 認められた資格で適合すれば適合。申請中の資格だけが適合するなら、入札心得第9条の条件付き。
    granted = next((q for q in facts.qualifications if q.granted_by(by) and progress(q) == 4), None)
    if granted is not None:
        return True, f"{_qualification_text(granted)}を確認しました。", False
    late = next((q for q in facts.qualifications if not q.pending and not q.granted_by(by) and progress(q) == 4), None)
    if late is not None and late.granted_on is not None:
        return True, (f"{_qualification_text(late)}は{format_wareki(late.granted_on)}に認められ、開札日"
                      f"（{format_wareki(by)}）までに認められていません。その入札は落札の対象としません（入札心得第9条）。"), True
    applied = next((q for q in facts.qualifications if q.pending and progress(q) == 4), None)
    if applied is not None:
        return True, (f"{_qualification_text(applied)}の資格審査を申請中です。資格が認められることを条件に入札できます。"
                      "開札日までに認められないときは、その入札は落札の対象としません（入札心得第9条）。"), True
    # いちばん先まで条件を満たした資格が判定を決める（同じなら先に登録されたもの）。
    closest = max(facts.qualifications, key=progress)
    stage = progress(closest)
    label = _category_label(category)
    if stage == 0:
        found = "、".join(dict.fromkeys(_category_label(q.category) for q in facts.qualifications))
        return False, f"「{label}」の全省庁統一資格が登録されていません（登録されている資格：{found}）。", False
    if stage == 1:
        return False, f"{label}の資格は{closest.grade}等級で、認められた等級（{_grades_text(grades)}）に含まれません。", False
    if stage == 2:
        held = "、".join(closest.regions) if closest.regions else "登録なし"
        wanted = _regions_alternatives(_ordered_regions(regions))
        return False, (f"{label} {closest.grade}等級の資格の競争参加地域（{held}）に、"
                       f"求められる地域（{wanted}）が含まれません。"), False
    return False, (f"{label} {closest.grade}等級の資格の有効期間（{_fiscal_span(closest.valid_from_fy, closest.valid_to_fy)}）"
                   f"に{format_wareki_fiscal_year(fy)}が含まれません。"), False


def _check_suspension(values: dict[str, Any], facts: ApplicantFacts, on: date,
                      period: tuple[date, date] | None) -> tuple[bool, str]:
    """取引停止・指名停止を受けていないこと [000 応募要件(5)、002 2.(4)]。

    種の文書はどの時点で判定するかを定めていない。案件の判定では period（公告日から開札日まで）に
    少しでも重なる停止期間があれば不適合とする：提出期限の後、開札までに始まった指名停止も数える
    （issue 17）。規則に日付（on）が設定されていればその日、period がなければ判定日で判定する。
    """
    fixed = _as_date_param(values["on"])
    if fixed is None and period is not None:
        start, end = sorted(period)
        overlapping = [s for s in facts.suspensions if s.starts_on <= end and start <= s.ends_on]
        if overlapping:
            return False, "".join(
                f"{s.issuer}による指名停止期間（{_date_span(s.starts_on, s.ends_on)}）が、公告日から開札日までの期間"
                f"（{_date_span(start, end)}）に重なります。" for s in overlapping)
        return True, f"公告日から開札日までの期間（{_date_span(start, end)}）に取引停止・指名停止の期間はありません。"
    day = fixed or on
    # 期間は初日と末日を含む。
    current = [s for s in facts.suspensions if s.starts_on <= day <= s.ends_on]
    if current:
        return False, "".join(
            f"{s.issuer}による指名停止期間中です（{_date_span(s.starts_on, s.ends_on)}）。" for s in current
        )
    return True, f"{format_wareki(day)}時点で取引停止・指名停止の期間中ではありません。"


def _check_finances(facts: ApplicantFacts, on: date, period: tuple[date, date] | None) -> tuple[bool, str]:
    """経営の状況又は信用度が極度に悪化していないこと [000 応募要件(6)、002 2.(5)]。指名停止と同じく、
    公告日から開札日までの期間（なければ判定日）に少しでも重なる事実があれば不適合とする。"""
    start, end = sorted(period) if period is not None else (on, on)
    found = [e for e in facts.credit_events if e.overlaps(start, end)]
    span = f"公告日から開札日までの期間（{_date_span(start, end)}）に" if period is not None else f"{format_wareki(on)}時点で"
    if found:
        return False, f"{span}、{'、'.join(e.text for e in found)}があります。"
    return True, f"{span}、経営の状況又は信用度の極度の悪化に当たる事実の記録はありません。"


def _check_nda(facts: ApplicantFacts, on: date) -> tuple[bool, str]:
    # [000 §3]：秘密保持誓約書を提出した上で閲覧する。閲覧は判定日までに済んでいること。
    signed, viewed = facts.nda_signed_on, facts.documents_viewed_on
    if signed is None:
        return False, "秘密保持誓約書の提出が確認できません。"
    if viewed is None:
        return False, "設計資料の閲覧が確認できません。"
    if viewed < signed:
        return False, (
            f"設計資料の閲覧（{format_wareki(viewed)}）が秘密保持誓約書の提出（{format_wareki(signed)}）より前です。"
        )
    if viewed > on:
        return False, f"設計資料の閲覧（{format_wareki(viewed)}）が判定日（{format_wareki(on)}）より後です。"
    return True, (
        f"秘密保持誓約書の提出（{format_wareki(signed)}）の後、設計資料の閲覧（{format_wareki(viewed)}）を確認しました。"
    )


def _check_sme(facts: ApplicantFacts) -> tuple[bool, str]:
    if facts.industry is None:
        return False, "業種が登録されていないため、中小企業等に当たるか判定できません。"
    try:
        verdict = sme_verdict(facts.industry, facts.capital, facts.employees,
                              incorporated=not facts.unincorporated_association,
                              principal_industry=facts.principal_industry)
    except ValueError as exc:
        return False, str(exc)
    return verdict.is_sme, verdict.reason


def check(spec: RuleSpec, facts: ApplicantFacts, on: date, *, period: tuple[date, date] | None = None) -> Verdict:
    """規則ひとつを、判定日 on（日本時間の日付。例：提出期限の日）に照らして判定する。

    設定に誤りがあれば ValueError（param_problems で先に調べられる）。
    """
    on = _require_date(on, "判定日")
    if period is not None:
        period = (_require_date(period[0], "公告日"), _require_date(period[1], "開札日"))
    values = _valid_values(spec)
    kind = spec.kind
    conditional = False
    if kind is RuleKind.UNIFIED_QUALIFICATION:
        passed, reason, conditional = _check_qualification(values, facts, on, period)
    elif kind is RuleKind.NO_SUSPENSION:
        passed, reason = _check_suspension(values, facts, on, period)
    elif kind is RuleKind.LEGAL_PERSONALITY:
        passed = facts.incorporated
        reason = "法人格を有しています。" if passed else "法人格を有していません。"
    elif kind is RuleKind.DECLARATIONS:
        passed = facts.declarations_affirmed
        reason = (
            "予決令第70条・第71条に該当しないこと及び暴力団排除に関する誓約事項について、提出をもって誓約しています。"
            if passed
            else "予決令第70条・第71条に該当しないこと及び暴力団排除に関する誓約事項の誓約がありません。"
        )
    elif kind is RuleKind.NDA_AND_VIEWING:
        passed, reason = _check_nda(facts, on)
    elif kind is RuleKind.NOT_LINKED_PROPOSER:
        linked = values["linked_case"]
        subject = f"「{linked}」" if linked else "関連する企画競争等"
        passed = not facts.proposer_in_linked_case
        reason = f"{subject}の提案者ではありません。" if passed else f"{subject}の提案者です。"
    elif kind is RuleKind.SME:
        passed, reason = _check_sme(facts)
    elif kind is RuleKind.SOUND_FINANCES:
        passed, reason = _check_finances(facts, on, period)
    else:  # pragma: no cover - RuleKind はすべて上で扱う
        raise AssertionError(kind)
    return Verdict(kind, kind.label, passed, reason, conditional)


def check_all(specs: Iterable[RuleSpec], facts: ApplicantFacts, on: date, *,
              period: tuple[date, date] | None = None) -> list[Verdict]:
    """案件の規則をすべて、並んだ順に判定する。period：公告日から開札日まで（指名停止の判定に使う）。"""
    return [check(spec, facts, on, period=period) for spec in specs]


def eligible(verdicts: Iterable[Verdict]) -> bool:
    """すべての規則に適合したか。規則がひとつもなければ True。"""
    return all(v.passed for v in verdicts)
