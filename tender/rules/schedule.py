"""案件の日程：公示日から契約期間まで、その検査、受付期間の判定、訂正後の提出期限。

日程の例は [002] の入札説明書（説明会申込 2020年7月20日15時 → 説明会 7月21日15時 →
質問 7月21日～7月29日17時 → 提出 8月4日～8月5日17時必着 → ヒアリング 8月11日 →
開札 8月17日11時）と [000] の公募要領（参加意思確認書 2022年2月21日17時 → 契約期間
2022年4月1日～2023年3月31日）。日時はすべてタイムゾーン付きで受け取り、日付は日本時間
で判断する（DOMAIN §9）。
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from tender.rules.calendar import (
    JST,
    add_working_days,
    holiday_name,
    is_administrative_holiday,
    to_jst,
)
from tender.rules.lifecycle import Procedure
from tender.rules.wareki import format_wareki_datetime

__all__ = [
    "Schedule",
    "FIELD_LABELS",
    "Problem",
    "ERROR",
    "WARNING",
    "check_schedule",
    "is_within",
    "period_message",
    "countdown",
    "MIN_WORKING_DAYS_AFTER_AMENDMENT",
    "earliest_deadline_after_amendment",
    "amendment_needs_extension",
]

ERROR = "error"
WARNING = "warning"

# 日付（暦日）で持つ項目。ほかは日時。
_DATE_FIELDS = ("notice_on", "contract_from", "contract_to")


@dataclass(frozen=True)
class Schedule:
    """案件の日程。どの項目も空（None）でよい。公告に必要な項目は check_schedule が調べる。

    日時の項目はタイムゾーン付きの datetime（タイムゾーンのないものは ValueError）、
    日付の項目は date（datetime を渡すと TypeError：日時帯を無視して日付を取ると
    日付がずれうるので、呼び出し側で to_jst(dt).date() とする）。
    """

    notice_on: date | None = None  # 公示日
    briefing_at: datetime | None = None  # 説明会の日時
    briefing_registration_until: datetime | None = None  # 説明会の申込期限 [002 §4(3)①]
    questions_from: datetime | None = None  # 質問の受付開始 [002 §5(2)]
    questions_until: datetime | None = None  # 質問の受付終了
    submissions_from: datetime | None = None  # 提出の受付開始 [002 §6(1)]
    submission_deadline: datetime | None = None  # 提出期限（必着）[002 §6(2)]
    hearing_at: datetime | None = None  # ヒアリング [002 §6(6)②]
    opening_at: datetime | None = None  # 開札 [002 §7(1)]
    contract_from: date | None = None  # 契約期間の初日 [000 §1(2)]
    contract_to: date | None = None  # 契約期間の末日

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if value is None:
                continue
            label = FIELD_LABELS[item.name]
            if item.name in _DATE_FIELDS:
                if isinstance(value, datetime) or not isinstance(value, date):
                    raise TypeError(f"「{label}」は日付（date）で指定してください。")
            else:
                if not isinstance(value, datetime):
                    raise TypeError(f"「{label}」は日時（datetime）で指定してください。")
                if value.tzinfo is None or value.utcoffset() is None:
                    raise ValueError(f"「{label}」にタイムゾーンがありません。")


#: 項目の名称（画面・メッセージで使う日本語）。
FIELD_LABELS: dict[str, str] = {
    "notice_on": "公示日",
    "briefing_at": "説明会",
    "briefing_registration_until": "説明会申込期限",
    "questions_from": "質問受付開始",
    "questions_until": "質問受付終了",
    "submissions_from": "提出受付開始",
    "submission_deadline": "提出期限",
    "hearing_at": "ヒアリング",
    "opening_at": "開札",
    "contract_from": "契約開始日",
    "contract_to": "契約終了日",
}


@dataclass(frozen=True)
class Problem:
    """日程の問題：項目名（Schedule の属性名）、日本語のメッセージ、重さ（"error" / "warning"）。"""

    field: str
    message: str
    severity: str  # "error" or "warning"


# 公告に必要な項目（全方式）。開札日時は入札のある方式だけ（事前確認公募には開札がない [000]）。
_REQUIRED_FOR_PUBLICATION = (
    "notice_on",
    "questions_from",
    "questions_until",
    "submissions_from",
    "submission_deadline",
    "contract_from",
    "contract_to",
)

# 休日に当たると警告する項目（期限・行事・公示日・契約開始日）。宣言順に調べる。
_HOLIDAY_CHECKED = (
    "notice_on",
    "briefing_at",
    "briefing_registration_until",
    "questions_until",
    "submission_deadline",
    "hearing_at",
    "opening_at",
    "contract_from",
)

_WEEKEND_NAMES = {5: "土曜日", 6: "日曜日"}


def _jst_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return to_jst(value).date()
    return value


def _holiday_reason(d: date) -> str:
    # 祝日の名称を優先し（日曜日の元日なら「元日」）、次に土日、最後に年末年始
    # （行政機関の休日に関する法律 第1条第1項）。
    name = holiday_name(d)
    if name is not None:
        return name
    if d.weekday() in _WEEKEND_NAMES:
        return _WEEKEND_NAMES[d.weekday()]
    return "年末年始"


def _order_problems(s: Schedule) -> list[Problem]:
    problems: list[Problem] = []

    def before(first: str, second: str, *, strict: bool, by_date: bool = False) -> None:
        # first が second より前（strict）／以前であること。どちらかが空なら調べない。
        a, b = getattr(s, first), getattr(s, second)
        if a is None or b is None:
            return
        if by_date:
            a, b = _jst_date(a), _jst_date(b)
        ok = a < b if strict else a <= b
        if not ok:
            relation = "より前" if strict else "以前"
            problems.append(
                Problem(first, f"「{FIELD_LABELS[first]}」は「{FIELD_LABELS[second]}」{relation}にしてください。", ERROR)
            )

    # 公示の日より前に質問を受け付けることはない（日付で比べる：公示日は日付）。
    before("notice_on", "questions_from", strict=False, by_date=True)
    before("questions_from", "questions_until", strict=True)
    # 質問は提出期限までに（[002] では質問終了 7月29日17時、提出期限 8月5日17時）。
    before("questions_until", "submission_deadline", strict=False)
    before("submissions_from", "submission_deadline", strict=True)
    # 説明会の申込は説明会までに [002 §4(3)①]（申込 7月20日15時、説明会 7月21日15時）。
    before("briefing_registration_until", "briefing_at", strict=False)
    before("briefing_at", "submission_deadline", strict=True)
    # ヒアリングは提出された提案書について行う [002 §6(6)②]。
    before("submission_deadline", "hearing_at", strict=False)
    before("submission_deadline", "opening_at", strict=False)
    # ヒアリングは開札より前の日に行う。[002] の日程はヒアリング 8月11日、開札 8月17日で、
    # 入札者は「開札日の前日までの間」に提出書類の説明を求められれば応じる [002 §3(2)]。
    # 技術点はヒアリングの結果も加味して開札前に決める [002 VI 2.2] ので、開札日の前日までとする。
    if s.hearing_at is not None and s.opening_at is not None:
        if _jst_date(s.hearing_at) >= _jst_date(s.opening_at):
            problems.append(Problem("hearing_at", "「ヒアリング」は「開札」の日の前日までにしてください。", ERROR))
    # 契約は落札決定の後：開札の日以後に始まる（決定の翌日から始まる契約もある）。
    before("opening_at", "contract_from", strict=False, by_date=True)
    # 開札のない事前確認公募でも、契約は参加意思確認書の提出期限の日以後に始まる [000]。
    before("submission_deadline", "contract_from", strict=False, by_date=True)
    before("contract_from", "contract_to", strict=False)
    return problems


def check_schedule(s: Schedule, procedure: Procedure | str, *, for_publication: bool) -> list[Problem]:
    """日程の問題を返す：誤り（error）は保存・公告を止め、警告（warning）は知らせるだけ。

    * for_publication=True のときは、公告に必要な項目が空なら誤り。
    * 説明会と説明会申込期限は、両方入れるか両方空にする（いつでも調べる）。
      ヒアリングは任意の項目。
    * 順序は、両方に値のある項目どうしだけ調べる。
    * 期限・行事の日（日本時間の日付）が行政機関の休日なら警告。

    問題は「必須 → 組 → 順序 → 休日」の順、その中は項目の順に並ぶ。順序の誤りは
    先に来るべき項目（メッセージの主語）に付く。
    """
    chosen = Procedure(procedure)
    problems: list[Problem] = []

    if for_publication:
        required = list(_REQUIRED_FOR_PUBLICATION)
        if chosen.has_bids:
            required.append("opening_at")
        for name in required:
            if getattr(s, name) is None:
                problems.append(Problem(name, f"「{FIELD_LABELS[name]}」を入力してください。", ERROR))

    if (s.briefing_at is None) != (s.briefing_registration_until is None):
        missing = "briefing_at" if s.briefing_at is None else "briefing_registration_until"
        problems.append(
            Problem(
                missing,
                "「説明会」と「説明会申込期限」は両方とも入力するか、両方とも空にしてください。",
                ERROR,
            )
        )

    problems.extend(_order_problems(s))

    for name in _HOLIDAY_CHECKED:
        value = getattr(s, name)
        if value is None:
            continue
        day = _jst_date(value)
        if is_administrative_holiday(day):
            problems.append(
                Problem(name, f"「{FIELD_LABELS[name]}」が行政機関の休日（{_holiday_reason(day)}）に当たります。", WARNING)
            )
    return problems


def _aware(dt: datetime, what: str) -> datetime:
    if not isinstance(dt, datetime):
        raise TypeError(f"{what}は日時（datetime）で指定してください。")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{what}にタイムゾーンがありません。")
    return dt


def is_within(now: datetime, start: datetime | None, end: datetime | None) -> bool:
    """受付期間内か：start ≦ now ≦ end を、マイクロ秒まで、サーバーの時刻で判断する。

    終わりは含む：17時00分00秒の期限は 17:00:00.000000 を受け付け、17:00:00.000001 を
    受け付けない（必着 [002 §6(2)]「上記期限を過ぎた入札書等はいかなる理由があっても受け取らない」）。
    start が None なら「ずっと前から開いている」、end が None なら「締め切らない」。
    """
    _aware(now, "現在時刻")
    if start is not None and now < _aware(start, "開始日時"):
        return False
    if end is not None and now > _aware(end, "終了日時"):
        return False
    return True


def period_message(now: datetime, start: datetime | None, end: datetime | None, what: str) -> str | None:
    """期間内なら None、期間外なら利用者に見せる日本語のメッセージ。"""
    if is_within(now, start, end):
        return None
    if start is not None and now < start:
        return f"{what}の受付は{format_wareki_datetime(start)}から開始します。"
    assert end is not None  # is_within が偽で開始前でなければ終了後
    return f"{what}の受付は{format_wareki_datetime(end)}に締め切りました。"


def countdown(now: datetime, deadline: datetime) -> str:
    """締切までの残り時間（日本語）。切り捨てて、残りを多めに見せない。

    1日以上「あと3日4時間」、1時間以上「あと5時間12分」、1分以上「あと45分」、
    1分未満「あと30秒」。端数のない単位は書かない（「あと3日」「あと5時間」）。
    期限ちょうどは受付中（is_within）なので「あと0秒」、過ぎたら「締切済み」。
    """
    remaining = _aware(deadline, "期限") - _aware(now, "現在時刻")
    if remaining < timedelta(0):
        return "締切済み"
    seconds = int(remaining.total_seconds() // 1)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"あと{days}日" + (f"{hours}時間" if hours else "")
    if hours:
        return f"あと{hours}時間" + (f"{minutes}分" if minutes else "")
    if minutes:
        return f"あと{minutes}分"
    return f"あと{secs}秒"


#: 提出期限の近くで公告を訂正したときに、訂正の日から確保する開庁日の数
#: （課題の記述：「期限の近くで行った訂正は期限の延長を要する」）。
MIN_WORKING_DAYS_AFTER_AMENDMENT = 5


def earliest_deadline_after_amendment(amended_at: datetime, deadline: datetime) -> datetime:
    """訂正の後に許される最も早い提出期限。

    訂正の日（日本時間）の後の5開庁日目（訂正の日は数えない。行政機関の休日は数えない）の、
    今の期限と同じ時刻（日本時間）。今の期限がそれ以後ならそのまま返す。
    例：令和8年12月25日（金）の訂正 → 12月28日（月）、1月4日（月）～7日（木）と数えて 令和9年1月7日（木）。
    """
    amended_day = to_jst(_aware(amended_at, "訂正日時")).date()
    current = to_jst(_aware(deadline, "提出期限"))
    day = add_working_days(amended_day, MIN_WORKING_DAYS_AFTER_AMENDMENT)
    earliest = datetime.combine(day, time(current.hour, current.minute, current.second, current.microsecond), JST)
    if deadline >= earliest:
        return deadline
    return earliest


def amendment_needs_extension(amended_at: datetime, deadline: datetime) -> bool:
    """その訂正のために提出期限を延ばす必要があるか。"""
    return earliest_deadline_after_amendment(amended_at, deadline) != deadline


def public_from(notice_on: date | None, now: datetime) -> datetime:
    """When a notice published at ``now`` appears on the board: at once, or at 0時 (Japan time) of its
    公示日 when that is later (issue 19: 「公告する」 published at once although the notice said tomorrow)."""
    if notice_on is not None and notice_on > to_jst(now).date():
        return datetime.combine(notice_on, time.min, tzinfo=JST)
    return now


#: The periods a 訂正 may not shorten without saying why (bidders plan by them).
PERIOD_ENDS = ("briefing_registration_until", "questions_until", "submission_deadline", "hearing_at", "opening_at")


def shortened_periods(before: dict, after: dict) -> list[str]:
    """The names of the periods whose end a 訂正 moves earlier, given the notice's values before and
    after as ISO strings (as the amendment's snapshot keeps them)."""
    return [FIELD_LABELS[f] for f in PERIOD_ENDS
            if before.get(f) and after.get(f) and datetime.fromisoformat(after[f]) < datetime.fromisoformat(before[f])]
