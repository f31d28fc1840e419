"""案件の日程の検査。曜日と祝日は令和8年・9年の暦から手で確かめた（2026年1月1日は木曜日）。"""
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from tender.rules import schedule
from tender.rules.calendar import JST
from tender.rules.lifecycle import Procedure
from tender.rules.schedule import (
    FIELD_LABELS,
    MIN_WORKING_DAYS_AFTER_AMENDMENT,
    Problem,
    Schedule,
    amendment_needs_extension,
    check_schedule,
    countdown,
    earliest_deadline_after_amendment,
    is_within,
    period_message,
)

UTC = UTC


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# [002] の日程を令和8年に移したもの。どの日も開庁日：
# 7/1（水）公示、7/13（月）説明会申込期限、7/14（火）説明会・質問開始、7/22（水）質問終了、
# 7/28（火）提出開始、7/29（水）提出期限、8/4（火）ヒアリング、8/10（月）開札（8/11 山の日の前日）、
# 9/1（火）契約開始、令和9年3/31（水）契約終了。
BASE = Schedule(
    notice_on=date(2026, 7, 1),
    briefing_at=jst(2026, 7, 14, 15, 0),
    briefing_registration_until=jst(2026, 7, 13, 15, 0),
    questions_from=jst(2026, 7, 14, 9, 0),
    questions_until=jst(2026, 7, 22, 17, 0),
    submissions_from=jst(2026, 7, 28, 10, 0),
    submission_deadline=jst(2026, 7, 29, 17, 0),
    hearing_at=jst(2026, 8, 4, 10, 30),
    opening_at=jst(2026, 8, 10, 11, 0),
    contract_from=date(2026, 9, 1),
    contract_to=date(2027, 3, 31),
)
# 事前確認公募：開札もヒアリングもない [000]。
PRIOR = replace(BASE, opening_at=None, hearing_at=None)

ALL_PROCEDURES = list(Procedure)


def error(field: str, message: str) -> Problem:
    return Problem(field, message, "error")


def warning(field: str, message: str) -> Problem:
    return Problem(field, message, "warning")


# --- 項目と名称 ----------------------------------------------------------------------


def test_field_labels_name_every_field_of_the_schedule_in_japanese():
    assert FIELD_LABELS == {
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
    assert list(FIELD_LABELS) == list(Schedule.__dataclass_fields__)


def test_an_empty_schedule_is_allowed_while_drafting():
    assert check_schedule(Schedule(), Procedure.COMPREHENSIVE_ADDITION, for_publication=False) == []


@pytest.mark.parametrize(
    "name",
    ["briefing_at", "briefing_registration_until", "questions_from", "questions_until", "submissions_from",
     "submission_deadline", "hearing_at", "opening_at"],
)
def test_a_schedule_refuses_a_datetime_without_time_zone(name):
    with pytest.raises(ValueError, match="タイムゾーン"):
        Schedule(**{name: datetime(2026, 7, 29, 17, 0)})


@pytest.mark.parametrize("name", ["notice_on", "contract_from", "contract_to"])
def test_a_schedule_refuses_a_datetime_where_a_date_is_expected(name):
    with pytest.raises(TypeError):
        Schedule(**{name: jst(2026, 7, 1, 0, 0)})


def test_a_schedule_refuses_a_date_where_a_datetime_is_expected():
    with pytest.raises(TypeError):
        Schedule(submission_deadline=date(2026, 7, 29))


# --- 公告に必要な項目 ----------------------------------------------------------------


@pytest.mark.parametrize("procedure", ALL_PROCEDURES)
def test_the_model_schedule_of_the_seed_has_no_problem(procedure):
    assert check_schedule(BASE, procedure, for_publication=True) == []


def test_a_prior_confirmation_needs_no_opening_nor_hearing():
    assert check_schedule(PRIOR, Procedure.PRIOR_CONFIRMATION, for_publication=True) == []


@pytest.mark.parametrize(
    "procedure", ["comprehensive_addition", "comprehensive_division", "lowest_price", "proposal_competition"]
)
def test_a_procedure_with_bids_needs_an_opening_to_be_published(procedure):
    assert check_schedule(PRIOR, procedure, for_publication=True) == [error("opening_at", "「開札」を入力してください。")]


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("notice_on", "公示日"),
        ("questions_from", "質問受付開始"),
        ("questions_until", "質問受付終了"),
        ("submissions_from", "提出受付開始"),
        ("submission_deadline", "提出期限"),
        ("contract_from", "契約開始日"),
        ("contract_to", "契約終了日"),
    ],
)
@pytest.mark.parametrize("procedure", ["comprehensive_addition", "prior_confirmation"])
def test_a_missing_required_field_is_an_error_for_publication_only(name, label, procedure):
    schedule = replace(BASE if procedure != "prior_confirmation" else PRIOR, **{name: None})
    assert check_schedule(schedule, procedure, for_publication=True) == [error(name, f"「{label}」を入力してください。")]
    assert check_schedule(schedule, procedure, for_publication=False) == []


def test_an_empty_schedule_lists_every_required_field_for_publication_in_order():
    problems = check_schedule(Schedule(), Procedure.LOWEST_PRICE, for_publication=True)
    assert [p.field for p in problems] == [
        "notice_on", "questions_from", "questions_until", "submissions_from", "submission_deadline",
        "contract_from", "contract_to", "opening_at",
    ]
    assert {p.severity for p in problems} == {"error"}


@pytest.mark.parametrize("for_publication", [True, False])
def test_briefing_and_hearing_are_optional(for_publication):
    schedule = replace(BASE, briefing_at=None, briefing_registration_until=None, hearing_at=None)
    assert check_schedule(schedule, Procedure.COMPREHENSIVE_ADDITION, for_publication=for_publication) == []


@pytest.mark.parametrize("for_publication", [True, False])
@pytest.mark.parametrize("missing", ["briefing_at", "briefing_registration_until"])
def test_briefing_and_its_registration_deadline_go_together(for_publication, missing):
    schedule = replace(BASE, **{missing: None})
    assert check_schedule(schedule, Procedure.COMPREHENSIVE_ADDITION, for_publication=for_publication) == [
        error(missing, "「説明会」と「説明会申込期限」は両方とも入力するか、両方とも空にしてください。")
    ]


# --- 順序 ----------------------------------------------------------------------------

ORDER_ERRORS = [
    pytest.param(
        {"notice_on": date(2026, 7, 15)},
        error("notice_on", "「公示日」は「質問受付開始」以前にしてください。"),
        id="notice after the first day of questions",
    ),
    pytest.param(
        {"questions_from": jst(2026, 7, 22, 17, 0)},
        error("questions_from", "「質問受付開始」は「質問受付終了」より前にしてください。"),
        id="questions open and close at the same instant",
    ),
    pytest.param(
        {"questions_from": jst(2026, 7, 22, 17, 0, 0, 1)},
        error("questions_from", "「質問受付開始」は「質問受付終了」より前にしてください。"),
        id="questions open after they close",
    ),
    pytest.param(
        {"questions_until": jst(2026, 7, 29, 17, 0, 0, 1)},
        error("questions_until", "「質問受付終了」は「提出期限」以前にしてください。"),
        id="questions close a microsecond after the deadline",
    ),
    pytest.param(
        {"submissions_from": jst(2026, 7, 29, 17, 0)},
        error("submissions_from", "「提出受付開始」は「提出期限」より前にしてください。"),
        id="submissions open at the deadline",
    ),
    pytest.param(
        {"briefing_registration_until": jst(2026, 7, 14, 15, 1)},
        error("briefing_registration_until", "「説明会申込期限」は「説明会」以前にしてください。"),
        id="registration closes after the briefing",
    ),
    pytest.param(
        {"briefing_at": jst(2026, 7, 29, 17, 0)},
        error("briefing_at", "「説明会」は「提出期限」より前にしてください。"),
        id="briefing at the deadline",
    ),
    pytest.param(
        {"hearing_at": jst(2026, 7, 29, 16, 59)},
        error("submission_deadline", "「提出期限」は「ヒアリング」以前にしてください。"),
        id="hearing before the deadline",
    ),
    pytest.param(
        {"opening_at": jst(2026, 7, 29, 16, 0), "hearing_at": None},
        error("submission_deadline", "「提出期限」は「開札」以前にしてください。"),
        id="opening before the deadline",
    ),
    pytest.param(
        {"hearing_at": jst(2026, 8, 10, 9, 0)},
        error("hearing_at", "「ヒアリング」は「開札」の日の前日までにしてください。"),
        id="hearing on the morning of the opening day",
    ),
    pytest.param(
        {"hearing_at": jst(2026, 8, 12, 10, 0)},
        error("hearing_at", "「ヒアリング」は「開札」の日の前日までにしてください。"),
        id="hearing after the opening",
    ),
    pytest.param(
        {"contract_from": date(2026, 8, 7)},
        error("opening_at", "「開札」は「契約開始日」以前にしてください。"),
        id="contract starts before the opening",
    ),
    pytest.param(
        {"contract_to": date(2026, 8, 31)},
        error("contract_from", "「契約開始日」は「契約終了日」以前にしてください。"),
        id="contract ends before it starts",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), ORDER_ERRORS)
@pytest.mark.parametrize("for_publication", [True, False])
def test_each_ordering_mistake_is_one_error_naming_both_fields(changes, expected, for_publication):
    schedule = replace(BASE, **changes)
    assert check_schedule(schedule, Procedure.COMPREHENSIVE_ADDITION, for_publication=for_publication) == [expected]


ORDER_BOUNDARIES_ALLOWED = [
    pytest.param({"notice_on": date(2026, 7, 14)}, id="notice on the day questions open"),
    pytest.param({"questions_until": jst(2026, 7, 29, 17, 0)}, id="questions close at the deadline"),
    pytest.param({"submissions_from": jst(2026, 7, 29, 16, 59, 59)}, id="submissions open a second before"),
    pytest.param({"briefing_registration_until": jst(2026, 7, 14, 15, 0)}, id="registration until the briefing itself"),
    pytest.param({"hearing_at": jst(2026, 7, 29, 17, 0)}, id="hearing right at the deadline"),
    pytest.param({"hearing_at": jst(2026, 8, 7, 17, 30)}, id="hearing on the working day before the opening"),
    pytest.param({"opening_at": jst(2026, 7, 29, 17, 0), "hearing_at": None}, id="opening right at the deadline"),
    pytest.param({"contract_from": date(2026, 8, 10)}, id="contract starts on the opening day"),
    pytest.param({"contract_to": date(2026, 9, 1)}, id="a one-day contract"),
]


@pytest.mark.parametrize("changes", ORDER_BOUNDARIES_ALLOWED)
def test_order_boundaries_that_are_allowed(changes):
    assert check_schedule(replace(BASE, **changes), Procedure.COMPREHENSIVE_ADDITION, for_publication=True) == []


def test_the_notice_is_compared_with_the_japan_date_of_the_questions():
    # 2026-07-13 15:30 UTC は日本時間 7月14日 0時30分：公示日 7月14日 と同じ日。
    ok = replace(BASE, notice_on=date(2026, 7, 14), questions_from=utc(2026, 7, 13, 15, 30))
    assert check_schedule(ok, Procedure.LOWEST_PRICE, for_publication=True) == []
    # 2026-07-13 14:59 UTC は日本時間 7月13日 23時59分：公示日より前。
    early = replace(ok, questions_from=utc(2026, 7, 13, 14, 59))
    assert check_schedule(early, Procedure.LOWEST_PRICE, for_publication=True) == [
        error("notice_on", "「公示日」は「質問受付開始」以前にしてください。")
    ]


def test_the_opening_is_compared_with_the_contract_by_its_japan_date():
    # 8月9日 16:00 UTC は日本時間 8月10日 1時：契約開始 8月10日 と同じ日でよい。
    ok = replace(BASE, opening_at=utc(2026, 8, 9, 16, 0), contract_from=date(2026, 8, 10))
    assert check_schedule(ok, Procedure.LOWEST_PRICE, for_publication=True) == []
    # 8月10日 15:00 UTC は日本時間 8月11日（山の日）0時：契約開始より後で、休日でもある。
    late = replace(ok, opening_at=utc(2026, 8, 10, 15, 0))
    assert check_schedule(late, Procedure.LOWEST_PRICE, for_publication=True) == [
        error("opening_at", "「開札」は「契約開始日」以前にしてください。"),
        warning("opening_at", "「開札」が行政機関の休日（山の日）に当たります。"),
    ]


def test_a_prior_confirmation_contract_cannot_start_before_the_deadline_day():
    schedule = replace(PRIOR, contract_from=date(2026, 7, 28))
    assert check_schedule(schedule, Procedure.PRIOR_CONFIRMATION, for_publication=True) == [
        error("submission_deadline", "「提出期限」は「契約開始日」以前にしてください。")
    ]
    same_day = replace(PRIOR, contract_from=date(2026, 7, 29))
    assert check_schedule(same_day, Procedure.PRIOR_CONFIRMATION, for_publication=True) == []


def test_order_is_checked_only_between_fields_that_are_set():
    schedule = Schedule(questions_until=jst(2026, 7, 22, 17, 0), contract_to=date(2026, 1, 5))
    assert check_schedule(schedule, Procedure.LOWEST_PRICE, for_publication=False) == []


def test_several_problems_come_required_first_then_order_then_holidays():
    schedule = replace(BASE, notice_on=None, contract_to=date(2026, 8, 31), submission_deadline=jst(2026, 7, 29, 17, 0))
    schedule = replace(schedule, questions_until=jst(2026, 7, 25, 12, 0))  # 7月25日は土曜日
    assert check_schedule(schedule, Procedure.COMPREHENSIVE_ADDITION, for_publication=True) == [
        error("notice_on", "「公示日」を入力してください。"),
        error("contract_from", "「契約開始日」は「契約終了日」以前にしてください。"),
        warning("questions_until", "「質問受付終了」が行政機関の休日（土曜日）に当たります。"),
    ]


# --- 休日の警告 ----------------------------------------------------------------------

CHECKED_FIELDS = [
    ("notice_on", "公示日"),
    ("briefing_at", "説明会"),
    ("briefing_registration_until", "説明会申込期限"),
    ("questions_until", "質問受付終了"),
    ("submission_deadline", "提出期限"),
    ("hearing_at", "ヒアリング"),
    ("opening_at", "開札"),
    ("contract_from", "契約開始日"),
]
DATE_FIELDS = {"notice_on", "contract_from", "contract_to"}


def on_day(name: str, day: date, hour: int = 17) -> Schedule:
    if name in DATE_FIELDS:
        return Schedule(**{name: day})
    return Schedule(**{name: datetime(day.year, day.month, day.day, hour, 0, tzinfo=JST)})


def warnings_of(schedule: Schedule) -> list[Problem]:
    # 説明会だけ・申込期限だけの日程は組の誤りにもなるので、ここでは警告だけを見る。
    problems = check_schedule(schedule, Procedure.COMPREHENSIVE_ADDITION, for_publication=False)
    return [p for p in problems if p.severity == "warning"]


@pytest.mark.parametrize(("name", "label"), CHECKED_FIELDS)
@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 11, 23), "勤労感謝の日"),  # 月曜日
        (date(2026, 12, 29), "年末年始"),  # 火曜日
        (date(2026, 12, 31), "年末年始"),  # 木曜日
        (date(2027, 1, 1), "元日"),  # 金曜日
        (date(2027, 1, 2), "土曜日"),
        (date(2027, 1, 3), "日曜日"),
        (date(2026, 7, 18), "土曜日"),
        (date(2026, 7, 19), "日曜日"),
        (date(2026, 5, 6), "振替休日"),  # 5月3日（日）の振替
        (date(2026, 9, 22), "国民の休日"),
        (date(2026, 8, 11), "山の日"),
    ],
)
def test_a_deadline_or_event_on_an_administrative_holiday_is_a_warning(name, label, day, reason):
    assert warnings_of(on_day(name, day)) == [
        warning(name, f"「{label}」が行政機関の休日（{reason}）に当たります。")
    ]


@pytest.mark.parametrize(("name", "label"), CHECKED_FIELDS)
@pytest.mark.parametrize(
    "day",
    [
        date(2026, 12, 28),  # 月曜日、年末年始の前日
        date(2027, 1, 4),  # 月曜日、仕事始め
        date(2026, 11, 24),  # 火曜日
        date(2026, 7, 17),  # 金曜日
    ],
)
def test_a_working_day_gives_no_warning(name, label, day):
    assert warnings_of(on_day(name, day)) == []


@pytest.mark.parametrize("name", ["questions_from", "submissions_from", "contract_to"])
def test_openings_of_periods_and_the_contract_end_are_not_checked_for_holidays(name):
    assert check_schedule(on_day(name, date(2026, 11, 23)), Procedure.LOWEST_PRICE, for_publication=False) == []


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 11, 22, 15, 0), ["勤労感謝の日"]),  # 日本時間 11月23日 0時
        (utc(2026, 11, 22, 14, 59, 59), ["日曜日"]),  # 日本時間 11月22日（日）23時59分59秒
        (utc(2026, 11, 23, 15, 0), []),  # 日本時間 11月24日（火）0時
        (utc(2026, 11, 23, 8, 0), ["勤労感謝の日"]),  # 日本時間 11月23日 17時
    ],
)
def test_the_holiday_is_judged_on_the_japan_date_of_the_instant(moment, expected):
    problems = check_schedule(Schedule(submission_deadline=moment), Procedure.LOWEST_PRICE, for_publication=False)
    assert problems == [
        warning("submission_deadline", f"「提出期限」が行政機関の休日（{reason}）に当たります。") for reason in expected
    ]


# --- 受付期間 ------------------------------------------------------------------------

START = jst(2026, 7, 28, 10, 0)
DEADLINE = jst(2026, 7, 29, 17, 0)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (jst(2026, 7, 29, 17, 0, 0, 0), True),  # 期限ちょうどは受け付ける
        (jst(2026, 7, 29, 17, 0, 0, 1), False),  # 1マイクロ秒遅れは受け付けない
        (jst(2026, 7, 29, 16, 59, 59), True),  # 1秒前
        (jst(2026, 7, 29, 16, 59, 59, 999_999), True),
        (jst(2026, 7, 29, 17, 0, 1), False),  # 1秒後
        (utc(2026, 7, 29, 8, 0), True),  # 同じ瞬間を UTC で
        (utc(2026, 7, 29, 8, 0, 0, 1), False),
        (jst(2026, 7, 28, 10, 0), True),  # 受付開始ちょうど
        (jst(2026, 7, 28, 9, 59, 59, 999_999), False),  # 開始の1マイクロ秒前
        (jst(2026, 7, 28, 12, 0), True),
    ],
)
def test_the_period_includes_both_ends_to_the_microsecond(now, expected):
    assert is_within(now, START, DEADLINE) is expected


@pytest.mark.parametrize(
    ("now", "start", "end", "expected"),
    [
        (jst(1990, 1, 1, 0, 0), None, DEADLINE, True),  # 開始なし：ずっと前から開いている
        (jst(2026, 7, 29, 17, 0, 0, 1), None, DEADLINE, False),
        (jst(2100, 1, 1, 0, 0), START, None, True),  # 終わりなし：締め切らない
        (jst(2026, 7, 28, 9, 0), START, None, False),
        (jst(2026, 7, 28, 9, 0), None, None, True),
    ],
)
def test_a_missing_start_or_end_leaves_that_side_open(now, start, end, expected):
    assert is_within(now, start, end) is expected


def test_is_within_refuses_a_naive_now():
    with pytest.raises(ValueError):
        is_within(datetime(2026, 7, 29, 17, 0), START, DEADLINE)


def test_is_within_refuses_a_naive_deadline():
    with pytest.raises(ValueError):
        is_within(DEADLINE, None, datetime(2026, 7, 29, 17, 0))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (jst(2026, 7, 28, 9, 59), "提出の受付は令和8年7月28日 10時00分から開始します。"),
        (jst(2026, 7, 28, 10, 0), None),
        (jst(2026, 7, 29, 17, 0), None),
        (jst(2026, 7, 29, 17, 0, 0, 1), "提出の受付は令和8年7月29日 17時00分に締め切りました。"),
        (utc(2026, 8, 1, 0, 0), "提出の受付は令和8年7月29日 17時00分に締め切りました。"),
    ],
)
def test_period_message_tells_when_the_period_opens_or_closed(now, expected):
    assert period_message(now, START, DEADLINE, "提出") == expected


def test_period_message_shows_japan_time_for_instants_given_in_utc():
    # 2026-07-21 23:00 UTC は日本時間 7月22日 8時00分。
    assert period_message(utc(2026, 7, 21, 0, 0), utc(2026, 7, 21, 23, 0), None, "質問") == (
        "質問の受付は令和8年7月22日 8時00分から開始します。"
    )


# --- 残り時間 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("remaining", "expected"),
    [
        (timedelta(days=3, hours=4), "あと3日4時間"),
        (timedelta(days=3, hours=4, minutes=59, seconds=59), "あと3日4時間"),
        (timedelta(days=3), "あと3日"),
        (timedelta(days=3, minutes=30), "あと3日"),
        (timedelta(days=1), "あと1日"),
        (timedelta(days=1, hours=23), "あと1日23時間"),
        (timedelta(hours=23, minutes=59, seconds=59), "あと23時間59分"),
        (timedelta(hours=5, minutes=12), "あと5時間12分"),
        (timedelta(hours=5, minutes=12, seconds=59), "あと5時間12分"),
        (timedelta(hours=5), "あと5時間"),
        (timedelta(hours=1), "あと1時間"),
        (timedelta(minutes=59, seconds=59), "あと59分"),
        (timedelta(minutes=45), "あと45分"),
        (timedelta(minutes=1), "あと1分"),
        (timedelta(seconds=59), "あと59秒"),
        (timedelta(seconds=30), "あと30秒"),
        (timedelta(seconds=1), "あと1秒"),
        (timedelta(microseconds=500_000), "あと0秒"),
        (timedelta(0), "あと0秒"),
        (timedelta(microseconds=-1), "締切済み"),
        (timedelta(seconds=-1), "締切済み"),
        (timedelta(days=-2), "締切済み"),
    ],
)
def test_countdown_shows_the_remaining_time_in_japanese_rounded_down(remaining, expected):
    assert countdown(DEADLINE - remaining, DEADLINE) == expected


def test_countdown_compares_instants_across_time_zones():
    assert countdown(utc(2026, 7, 29, 3, 48), DEADLINE) == "あと4時間12分"


def test_countdown_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        countdown(datetime(2026, 7, 29, 12, 0), DEADLINE)


# --- 訂正と提出期限 ------------------------------------------------------------------


def test_five_working_days_are_required_after_an_amendment():
    assert MIN_WORKING_DAYS_AFTER_AMENDMENT == 5


@pytest.mark.parametrize(
    ("amended_at", "deadline", "expected"),
    [
        # 7月2日（木）の訂正：3日（金）、6日（月）、7日、8日、9日（木）が5開庁日目。週末は数えない。
        pytest.param(jst(2026, 7, 2, 10, 0), jst(2026, 7, 8, 17, 0), jst(2026, 7, 9, 17, 0), id="across a weekend"),
        pytest.param(jst(2026, 7, 2, 10, 0), jst(2026, 7, 6, 12, 0), jst(2026, 7, 9, 12, 0), id="time of day kept"),
        pytest.param(jst(2026, 7, 2, 10, 0), jst(2026, 7, 8, 23, 59), jst(2026, 7, 9, 23, 59), id="late in the day"),
        # 訂正の時刻は関係ない：日付（日本時間）で数える。
        pytest.param(jst(2026, 7, 2, 23, 59), jst(2026, 7, 8, 17, 0), jst(2026, 7, 9, 17, 0), id="amended at midnight"),
        # 7月2日 15:30 UTC は日本時間 7月3日（金）0時30分：6日、7日、8日、9日、10日（金）。
        pytest.param(utc(2026, 7, 2, 15, 30), jst(2026, 7, 8, 17, 0), jst(2026, 7, 10, 17, 0), id="japan date of utc"),
        # 11月19日（木）：20日（金）、23日は勤労感謝の日、24日、25日、26日、27日（金）。
        pytest.param(jst(2026, 11, 19, 9, 0), jst(2026, 11, 24, 17, 0), jst(2026, 11, 27, 17, 0), id="holiday"),
        # 12月25日（金）：28日（月）、29日～1月3日は休み、1月4日（月）、5日、6日、7日（木）。
        pytest.param(jst(2026, 12, 25, 10, 0), jst(2027, 1, 6, 17, 0), jst(2027, 1, 7, 17, 0), id="year-end closure"),
        # 12月28日（月）：1月4日、5日、6日、7日、8日（金）。
        pytest.param(jst(2026, 12, 28, 16, 0), jst(2026, 12, 28, 17, 0), jst(2027, 1, 8, 17, 0), id="last working day"),
        # 1月5日（火）：6日、7日、8日、11日は成人の日、12日、13日（水）。
        pytest.param(jst(2027, 1, 5, 10, 0), jst(2027, 1, 8, 17, 0), jst(2027, 1, 13, 17, 0), id="coming of age day"),
    ],
)
def test_an_amendment_close_to_the_deadline_moves_it_to_five_working_days_later(amended_at, deadline, expected):
    assert earliest_deadline_after_amendment(amended_at, deadline) == expected
    assert amendment_needs_extension(amended_at, deadline) is True


@pytest.mark.parametrize(
    ("amended_at", "deadline"),
    [
        (jst(2026, 7, 2, 10, 0), jst(2026, 7, 9, 17, 0)),  # ちょうど5開庁日目
        (jst(2026, 7, 2, 10, 0), jst(2026, 7, 9, 9, 0)),  # 5開庁日目の朝（時刻はそのまま）
        (jst(2026, 7, 2, 10, 0), jst(2026, 7, 29, 17, 0)),
        (jst(2026, 12, 25, 10, 0), jst(2027, 1, 7, 17, 0)),
    ],
)
def test_a_deadline_already_far_enough_is_returned_unchanged(amended_at, deadline):
    assert earliest_deadline_after_amendment(amended_at, deadline) is deadline
    assert amendment_needs_extension(amended_at, deadline) is False


def test_the_time_of_day_is_that_of_the_deadline_in_japan_time():
    # 7月7日 15:30 UTC は日本時間 7月8日 0時30分。延長後も日本時間 0時30分。
    result = earliest_deadline_after_amendment(jst(2026, 7, 2, 10, 0), utc(2026, 7, 7, 15, 30))
    assert result == jst(2026, 7, 9, 0, 30)
    assert result.utcoffset() == timedelta(hours=9)


def test_an_amendment_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        earliest_deadline_after_amendment(datetime(2026, 7, 2, 10, 0), DEADLINE)
    with pytest.raises(ValueError):
        amendment_needs_extension(jst(2026, 7, 2, 10, 0), datetime(2026, 7, 29, 17, 0))


@pytest.mark.parametrize("notice_on, now, expected", [
    (None, datetime(2026, 11, 24, 1, 0, tzinfo=UTC), datetime(2026, 11, 24, 1, 0, tzinfo=UTC)),
    (date(2026, 11, 24), datetime(2026, 11, 24, 1, 0, tzinfo=UTC), datetime(2026, 11, 24, 1, 0, tzinfo=UTC)),
    (date(2026, 11, 23), datetime(2026, 11, 24, 1, 0, tzinfo=UTC), datetime(2026, 11, 24, 1, 0, tzinfo=UTC)),
    # 公示日 tomorrow: 0時 Japan time, which is 15:00 UTC today
    (date(2026, 11, 25), datetime(2026, 11, 24, 1, 0, tzinfo=UTC), datetime(2026, 11, 24, 15, 0, tzinfo=UTC)),
    # 23:30 JST on the 24th is already the 24th in Japan: tomorrow's 公示日 waits for 0時
    (date(2026, 11, 25), datetime(2026, 11, 24, 14, 30, tzinfo=UTC), datetime(2026, 11, 24, 15, 0, tzinfo=UTC)),
])
def test_a_notice_appears_at_once_or_at_the_start_of_its_notice_day(notice_on, now, expected):
    assert schedule.public_from(notice_on, now) == expected


def test_only_periods_moved_earlier_count_as_shortened():
    before = {"questions_until": "2026-12-04T08:00:00+00:00", "submission_deadline": "2026-12-14T03:00:00+00:00",
              "notice_on": "2026-11-24"}
    assert schedule.shortened_periods(before, {**before, "questions_until": "2026-12-02T08:00:00+00:00"}) == ["質問受付終了"]
    assert schedule.shortened_periods(before, {**before, "submission_deadline": "2026-12-21T03:00:00+00:00"}) == []
    assert schedule.shortened_periods(before, {**before, "notice_on": "2026-11-20"}) == []  # not a period's end
    assert schedule.shortened_periods(before, {**before, "questions_until": None}) == []
