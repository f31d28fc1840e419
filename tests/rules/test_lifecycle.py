"""案件の状態遷移の検査。期待する表は課題の記述と [000]・[002] から手で書いた（コードから写さない）。"""
import pytest

from tender.rules.lifecycle import (
    TRANSITIONS,
    Action,
    CaseState,
    Procedure,
    TransitionError,
    allowed_actions,
    can,
    next_state,
    states_of,
    transitions_for,
)

PROCEDURE_LABELS = {
    "comprehensive_addition": "一般競争入札（総合評価落札方式・加算方式）",
    "comprehensive_division": "一般競争入札（総合評価落札方式・除算方式）",
    "lowest_price": "一般競争入札（最低価格落札方式）",
    "prior_confirmation": "事前確認公募",
    "proposal_competition": "企画競争",
}
STATE_LABELS = {
    "draft": "下書き",
    "published": "公告中",
    "submissions_closed": "受付終了",
    "opened": "開札済",
    "awarded": "落札者決定",
    "contracted": "契約締結",
    "closed": "完了",
    "cancelled": "取り止め",
    "private_contract": "随意契約へ移行",
    "competition": "競争へ移行",
}
ACTION_LABELS = {
    "publish": "公告する",
    "amend": "訂正する",
    "cancel": "取り止める",
    "close_submissions": "受付を締め切る",
    "open": "開札する",
    "award": "落札者を決定する",
    "contract": "契約を締結する",
    "close": "完了する",
    "lapse_award": "落札を失効させる",
    "conclude_private_contract": "随意契約へ移行する",
    "move_to_competition": "競争へ移行する",
}

# 入札のある方式の遷移（課題の表）。
BID_TABLE = {
    ("draft", "publish"): "published",
    ("published", "amend"): "published",
    ("published", "cancel"): "cancelled",
    ("published", "close_submissions"): "submissions_closed",
    ("submissions_closed", "cancel"): "cancelled",
    ("submissions_closed", "open"): "opened",
    ("opened", "award"): "awarded",
    ("awarded", "contract"): "contracted",
    ("awarded", "lapse_award"): "opened",
    ("contracted", "close"): "closed",
}
# 事前確認公募：入札・開札・落札がなく、受付終了から随意契約か競争へ移行する [000]。
PRIOR_TABLE = {
    ("draft", "publish"): "published",
    ("published", "amend"): "published",
    ("published", "cancel"): "cancelled",
    ("published", "close_submissions"): "submissions_closed",
    ("submissions_closed", "cancel"): "cancelled",
    ("submissions_closed", "conclude_private_contract"): "private_contract",
    ("submissions_closed", "move_to_competition"): "competition",
}
TABLES = {
    "comprehensive_addition": BID_TABLE,
    "comprehensive_division": BID_TABLE,
    "lowest_price": BID_TABLE,
    "proposal_competition": BID_TABLE,
    "prior_confirmation": PRIOR_TABLE,
}
ALL_PAIRS = [
    (procedure, state, action)
    for procedure in PROCEDURE_LABELS
    for state in STATE_LABELS
    for action in ACTION_LABELS
]
ALLOWED = [(p, s, a) for p, s, a in ALL_PAIRS if (s, a) in TABLES[p]]
REFUSED = [(p, s, a) for p, s, a in ALL_PAIRS if (s, a) not in TABLES[p]]


def test_there_are_five_hundred_and_fifty_pairs_of_procedure_state_and_action_of_which_forty_seven_are_allowed():
    assert len(ALL_PAIRS) == 550
    assert len(ALLOWED) == 4 * 10 + 7


@pytest.mark.parametrize(("procedure", "state", "action"), ALLOWED)
def test_an_allowed_action_leads_to_the_state_of_the_table(procedure, state, action):
    expected = CaseState(TABLES[procedure][state, action])
    assert next_state(CaseState(state), Action(action), Procedure(procedure)) is expected
    assert can(state, action, procedure) is True


@pytest.mark.parametrize(("procedure", "state", "action"), REFUSED)
def test_a_refused_action_raises_a_transition_error_naming_state_and_action_in_japanese(procedure, state, action):
    with pytest.raises(TransitionError) as caught:
        next_state(CaseState(state), Action(action), Procedure(procedure))
    message = str(caught.value)
    assert message.startswith(f"「{STATE_LABELS[state]}」の案件は「{ACTION_LABELS[action]}」ことができません")
    assert message.endswith("。")
    assert caught.value.state is CaseState(state)
    assert caught.value.action is Action(action)
    assert caught.value.procedure is Procedure(procedure)
    assert can(state, action, procedure) is False


def test_the_message_of_the_issue_reads_exactly():
    with pytest.raises(TransitionError, match="^「下書き」の案件は「開札する」ことができません。$"):
        next_state(CaseState.DRAFT, Action.OPEN, Procedure.COMPREHENSIVE_ADDITION)


@pytest.mark.parametrize("action", ["open", "award", "contract"])
def test_a_prior_confirmation_has_no_bids_so_opening_awarding_and_contracting_say_so(action):
    with pytest.raises(TransitionError) as caught:
        next_state("submissions_closed", action, "prior_confirmation")
    assert str(caught.value) == (
        f"「受付終了」の案件は「{ACTION_LABELS[action]}」ことができません（事前確認公募にはない操作です）。"
    )


@pytest.mark.parametrize(
    "procedure", ["comprehensive_addition", "comprehensive_division", "lowest_price", "proposal_competition"]
)
@pytest.mark.parametrize("action", ["conclude_private_contract", "move_to_competition"])
def test_only_a_prior_confirmation_moves_to_a_private_contract_or_to_competition(procedure, action):
    with pytest.raises(TransitionError) as caught:
        next_state("submissions_closed", action, procedure)
    assert str(caught.value) == (
        f"「受付終了」の案件は「{ACTION_LABELS[action]}」ことができません（{PROCEDURE_LABELS[procedure]}にはない操作です）。"
    )


def test_a_prior_confirmation_cannot_be_closed_from_a_state_it_never_reaches():
    with pytest.raises(TransitionError, match="^「契約締結」の案件は「完了する」ことができません。$"):
        next_state("contracted", "close", "prior_confirmation")


@pytest.mark.parametrize(("procedure", "state"), [(p, s) for p in PROCEDURE_LABELS for s in STATE_LABELS])
def test_allowed_actions_list_the_actions_of_the_table_in_declaration_order(procedure, state):
    expected = [Action(a) for a in ACTION_LABELS if (state, a) in TABLES[procedure]]
    assert allowed_actions(CaseState(state), Procedure(procedure)) == expected


@pytest.mark.parametrize(
    ("procedure", "state", "expected"),
    [
        ("comprehensive_addition", "published", ["amend", "cancel", "close_submissions"]),
        ("lowest_price", "submissions_closed", ["cancel", "open"]),
        ("prior_confirmation", "submissions_closed", ["cancel", "conclude_private_contract", "move_to_competition"]),
        ("prior_confirmation", "draft", ["publish"]),
        ("comprehensive_addition", "opened", ["award"]),
        ("comprehensive_addition", "closed", []),
    ],
)
def test_allowed_actions_of_some_states_written_out(procedure, state, expected):
    assert allowed_actions(state, procedure) == [Action(a) for a in expected]


@pytest.mark.parametrize("procedure", list(PROCEDURE_LABELS))
@pytest.mark.parametrize("state", ["closed", "cancelled", "private_contract", "competition"])
def test_a_final_state_allows_nothing(procedure, state):
    assert CaseState(state).is_final is True
    assert allowed_actions(state, procedure) == []


BID_STATES = ["draft", "published", "submissions_closed", "opened", "awarded", "contracted", "closed", "cancelled"]
PRIOR_STATES = ["draft", "published", "submissions_closed", "cancelled", "private_contract", "competition"]


@pytest.mark.parametrize(
    ("procedure", "expected"),
    [
        ("comprehensive_addition", BID_STATES),
        ("lowest_price", BID_STATES),
        ("prior_confirmation", PRIOR_STATES),
    ],
)
def test_states_of_a_procedure_are_those_reached_from_a_draft(procedure, expected):
    assert states_of(procedure) == [CaseState(s) for s in expected]


@pytest.mark.parametrize("procedure", list(PROCEDURE_LABELS))
def test_every_reachable_state_that_is_not_final_allows_some_action(procedure):
    for state in states_of(procedure):
        assert (allowed_actions(state, procedure) == []) is state.is_final


def test_the_transitions_table_is_the_union_of_both_tables():
    union = {**BID_TABLE, **PRIOR_TABLE}
    assert {(s.value, a.value): t.value for (s, a), t in TRANSITIONS.items()} == union


@pytest.mark.parametrize("procedure", list(PROCEDURE_LABELS))
def test_transitions_for_a_procedure_are_its_table(procedure):
    assert {(s.value, a.value): t.value for (s, a), t in transitions_for(procedure).items()} == TABLES[procedure]


@pytest.mark.parametrize(("code", "label"), list(PROCEDURE_LABELS.items()))
def test_every_procedure_has_its_japanese_label(code, label):
    assert Procedure(code).label == label
    assert Procedure(code) == code


@pytest.mark.parametrize(
    ("code", "selectable", "has_bids", "technical"),
    [
        ("comprehensive_addition", True, True, True),
        ("comprehensive_division", False, True, True),
        ("lowest_price", True, True, False),
        ("prior_confirmation", True, False, False),
        ("proposal_competition", False, True, True),
    ],
)
def test_procedure_properties(code, selectable, has_bids, technical):
    procedure = Procedure(code)
    assert procedure.selectable is selectable
    assert procedure.has_bids is has_bids
    assert procedure.has_technical_evaluation is technical


@pytest.mark.parametrize(("code", "label"), list(STATE_LABELS.items()))
def test_every_state_has_its_japanese_label(code, label):
    assert CaseState(code).label == label


@pytest.mark.parametrize(
    ("code", "public", "final"),
    [
        ("draft", False, False),
        ("published", True, False),
        ("submissions_closed", True, False),
        ("opened", True, False),
        ("awarded", True, False),
        ("contracted", True, False),
        ("closed", True, True),
        ("cancelled", True, True),
        ("private_contract", True, True),
        ("competition", True, True),
    ],
)
def test_state_is_public_except_a_draft_and_final_after_closing_cancelling_or_moving(code, public, final):
    assert CaseState(code).is_public is public
    assert CaseState(code).is_final is final


@pytest.mark.parametrize(("code", "label"), list(ACTION_LABELS.items()))
def test_every_action_has_its_japanese_label(code, label):
    assert Action(code).label == label


def test_enums_list_exactly_the_codes_of_the_issue_in_order():
    assert [p.value for p in Procedure] == list(PROCEDURE_LABELS)
    assert [s.value for s in CaseState] == list(STATE_LABELS)
    assert [a.value for a in Action] == list(ACTION_LABELS)


def test_string_codes_are_accepted_and_unknown_codes_are_refused():
    assert next_state("draft", "publish", "lowest_price") is CaseState.PUBLISHED
    with pytest.raises(ValueError):
        next_state("drafted", "publish", "lowest_price")
    with pytest.raises(ValueError):
        next_state("draft", "publish", "auction")


def test_a_transition_error_is_a_value_error():
    assert issubclass(TransitionError, ValueError)
