"""案件の一生：調達方式、案件の状態、許される状態遷移（この表だけが状態を変える）。

案件は 下書き → 公告中 → 受付終了 → 開札済 → 落札者決定 → 契約締結 → 完了 と進む
（DOMAIN §2）。公告中・受付終了の案件は取り止めることができる（[000 §5(6)]：予算が
成立しない場合の取り止め）。事前確認公募には入札がなく、受付終了の後は、応募要件を
満たす応募者がいなければ予定業者との随意契約へ、一者以上いれば競争へ移行する
（[000] 前文：「応募要件を満たすと認められる者がいない場合にあっては、現在予定している
者との契約手続に移行します」「参加意思確認書等を受理した際は、…競争手続きに移行します」）。
"""
from __future__ import annotations

import enum

from tender.rules.errors import OperationError

__all__ = [
    "Procedure",
    "CaseState",
    "Action",
    "TRANSITIONS",
    "TransitionError",
    "transitions_for",
    "states_of",
    "allowed_actions",
    "can",
    "next_state",
]


class Procedure(str, enum.Enum):
    """調達方式（DOMAIN §2）。値は変えない ASCII のコード（データベースに保存される）。"""

    COMPREHENSIVE_ADDITION = "comprehensive_addition"  # [002] 総合評価落札方式・加算方式
    COMPREHENSIVE_DIVISION = "comprehensive_division"  # DOMAIN §7 除算方式
    LOWEST_PRICE = "lowest_price"  # [002 VII 第14条] 最低価格落札方式
    PRIOR_CONFIRMATION = "prior_confirmation"  # [000] 事前確認公募
    PROPOSAL_COMPETITION = "proposal_competition"  # [002 §2(6)] 企画競争

    @property
    def label(self) -> str:
        """方式の名称（日本語）。"""
        return _PROCEDURE_LABELS[self]

    @property
    def selectable(self) -> bool:
        """画面で選べるか。除算方式と企画競争はモデルにだけ用意し、まだ選ばせない。"""
        return self not in (Procedure.COMPREHENSIVE_DIVISION, Procedure.PROPOSAL_COMPETITION)

    @property
    def has_bids(self) -> bool:
        """入札書を受け付け開札するか。事前確認公募は参加意思確認書だけで入札がない [000]。"""
        return self is not Procedure.PRIOR_CONFIRMATION

    @property
    def has_technical_evaluation(self) -> bool:
        """提案書の技術評価（技術点・審査）があるか（総合評価 [002 V, VI] と企画競争）。"""
        return self in (
            Procedure.COMPREHENSIVE_ADDITION,
            Procedure.COMPREHENSIVE_DIVISION,
            Procedure.PROPOSAL_COMPETITION,
        )


_PROCEDURE_LABELS: dict[Procedure, str] = {
    Procedure.COMPREHENSIVE_ADDITION: "一般競争入札（総合評価落札方式・加算方式）",
    Procedure.COMPREHENSIVE_DIVISION: "一般競争入札（総合評価落札方式・除算方式）",
    Procedure.LOWEST_PRICE: "一般競争入札（最低価格落札方式）",
    Procedure.PRIOR_CONFIRMATION: "事前確認公募",
    Procedure.PROPOSAL_COMPETITION: "企画競争",
}


class CaseState(str, enum.Enum):
    """案件の状態。値は変えない ASCII のコード（データベースに保存される）。"""

    DRAFT = "draft"
    PUBLISHED = "published"
    SUBMISSIONS_CLOSED = "submissions_closed"
    OPENED = "opened"
    AWARDED = "awarded"
    CONTRACTED = "contracted"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    # 事前確認公募で応募要件を満たす応募者がいない：予定業者との随意契約へ [000] 前文。
    PRIVATE_CONTRACT = "private_contract"
    # 事前確認公募で応募者を一者以上受理した：予定業者と応募者の競争へ [000] 前文・§5(2)。
    COMPETITION = "competition"

    @property
    def label(self) -> str:
        """状態の名称（日本語）。"""
        return _STATE_LABELS[self]

    @property
    def is_public(self) -> bool:
        """公告された（誰でも見られる）状態か。下書きだけが非公開。"""
        return self is not CaseState.DRAFT

    @property
    def is_decided(self) -> bool:
        """落札者が決定された後の状態か（落札・契約・完了）。入札者が結果を見られる。"""
        return self in (CaseState.AWARDED, CaseState.CONTRACTED, CaseState.CLOSED)

    @property
    def is_final(self) -> bool:
        """これ以上の遷移がない状態か。移行した事前確認公募の続きは別の手続（案件）になる。"""
        return self in (CaseState.CLOSED, CaseState.CANCELLED, CaseState.PRIVATE_CONTRACT, CaseState.COMPETITION)


_STATE_LABELS: dict[CaseState, str] = {
    CaseState.DRAFT: "下書き",
    CaseState.PUBLISHED: "公告中",
    CaseState.SUBMISSIONS_CLOSED: "受付終了",
    CaseState.OPENED: "開札済",
    CaseState.AWARDED: "落札者決定",
    CaseState.CONTRACTED: "契約締結",
    CaseState.CLOSED: "完了",
    CaseState.CANCELLED: "取り止め",
    CaseState.PRIVATE_CONTRACT: "随意契約へ移行",
    CaseState.COMPETITION: "競争へ移行",
}


class Action(str, enum.Enum):
    """案件に対して担当職員が行う操作。"""

    PUBLISH = "publish"
    AMEND = "amend"
    CANCEL = "cancel"
    CLOSE_SUBMISSIONS = "close_submissions"
    OPEN = "open"
    AWARD = "award"
    CONTRACT = "contract"
    CLOSE = "close"
    LAPSE_AWARD = "lapse_award"
    CONCLUDE_PRIVATE_CONTRACT = "conclude_private_contract"
    MOVE_TO_COMPETITION = "move_to_competition"

    @property
    def label(self) -> str:
        """操作の名称（日本語、ボタンの文言）。"""
        return _ACTION_LABELS[self]


_ACTION_LABELS: dict[Action, str] = {
    Action.PUBLISH: "公告する",
    Action.AMEND: "訂正する",
    Action.CANCEL: "取り止める",
    Action.CLOSE_SUBMISSIONS: "受付を締め切る",
    Action.OPEN: "開札する",
    Action.AWARD: "落札者を決定する",
    Action.CONTRACT: "契約を締結する",
    Action.CLOSE: "完了する",
    Action.LAPSE_AWARD: "落札を失効させる",
    Action.CONCLUDE_PRIVATE_CONTRACT: "随意契約へ移行する",
    Action.MOVE_TO_COMPETITION: "競争へ移行する",
}

#: 状態遷移の表（全方式の和集合）。方式ごとの制限は _PRIOR_CONFIRMATION_ONLY と
#: _BID_ACTIONS で掛ける（transitions_for）。
TRANSITIONS: dict[tuple[CaseState, Action], CaseState] = {
    (CaseState.DRAFT, Action.PUBLISH): CaseState.PUBLISHED,
    # 公告後の変更は記録に残る訂正だけ（更新履歴）。
    (CaseState.PUBLISHED, Action.AMEND): CaseState.PUBLISHED,
    # 予算が成立しない場合などの取り止め [000 §5(6)]。開札の後は取り止めでなく手続の中で扱う。
    (CaseState.PUBLISHED, Action.CANCEL): CaseState.CANCELLED,
    (CaseState.SUBMISSIONS_CLOSED, Action.CANCEL): CaseState.CANCELLED,
    (CaseState.PUBLISHED, Action.CLOSE_SUBMISSIONS): CaseState.SUBMISSIONS_CLOSED,
    (CaseState.SUBMISSIONS_CLOSED, Action.OPEN): CaseState.OPENED,
    (CaseState.OPENED, Action.AWARD): CaseState.AWARDED,
    # 落札者は決定の日から5日以内に契約書を提出する [002 VII 第17条]。
    (CaseState.AWARDED, Action.CONTRACT): CaseState.CONTRACTED,
    # 期限内に契約書の提出がなければ落札は効力を失い、次順位の者の決定に戻る [002 VII 第17条]。
    (CaseState.AWARDED, Action.LAPSE_AWARD): CaseState.OPENED,
    (CaseState.CONTRACTED, Action.CLOSE): CaseState.CLOSED,
    # 事前確認公募だけ [000] 前文。
    (CaseState.SUBMISSIONS_CLOSED, Action.CONCLUDE_PRIVATE_CONTRACT): CaseState.PRIVATE_CONTRACT,
    (CaseState.SUBMISSIONS_CLOSED, Action.MOVE_TO_COMPETITION): CaseState.COMPETITION,
}

# 事前確認公募にだけある操作。
_PRIOR_CONFIRMATION_ONLY = frozenset({Action.CONCLUDE_PRIVATE_CONTRACT, Action.MOVE_TO_COMPETITION})
# 入札のある方式にだけある操作（事前確認公募には入札書も開札もない [000]）。
_BID_ACTIONS = frozenset({Action.OPEN, Action.AWARD, Action.CONTRACT, Action.LAPSE_AWARD})


def _applies(action: Action, procedure: Procedure) -> bool:
    if action in _PRIOR_CONFIRMATION_ONLY:
        return procedure is Procedure.PRIOR_CONFIRMATION
    if action in _BID_ACTIONS:
        return procedure.has_bids
    return True


def _with_actions_of(procedure: Procedure) -> dict[tuple[CaseState, Action], CaseState]:
    return {key: target for key, target in TRANSITIONS.items() if _applies(key[1], procedure)}


def states_of(procedure: Procedure | str) -> list[CaseState]:
    """その方式の案件がとりうる状態（下書きから辿れるもの）を宣言順に返す。

    事前確認公募は開札済・落札者決定・契約締結・完了にならず、ほかの方式は
    随意契約へ移行・競争へ移行にならない。
    """
    table = _with_actions_of(Procedure(procedure))
    reached = {CaseState.DRAFT}
    frontier = [CaseState.DRAFT]
    while frontier:
        state = frontier.pop()
        for (source, _), target in table.items():
            if source is state and target not in reached:
                reached.add(target)
                frontier.append(target)
    return [state for state in CaseState if state in reached]


def transitions_for(procedure: Procedure | str) -> dict[tuple[CaseState, Action], CaseState]:
    """その方式で使える遷移だけの表（その方式の操作で、その方式が辿り着く状態から出るもの）。"""
    chosen = Procedure(procedure)
    reachable = set(states_of(chosen))
    return {key: target for key, target in _with_actions_of(chosen).items() if key[0] in reachable}


class TransitionError(OperationError):
    """許されない操作。メッセージは利用者に見せられる日本語。"""

    def __init__(self, state: CaseState, action: Action, procedure: Procedure) -> None:
        self.state = state
        self.action = action
        self.procedure = procedure
        message = f"「{state.label}」の案件は「{action.label}」ことができません"
        if not _applies(action, procedure):
            message += f"（{procedure.label}にはない操作です）"
        super().__init__(message + "。")


def _lookup(state: CaseState, action: Action, procedure: Procedure) -> CaseState | None:
    if not _applies(action, procedure):
        return None
    # 方式では辿り着けない状態（事前確認公募の「契約締結」など）からは何もできない。
    if state not in states_of(procedure):
        return None
    return TRANSITIONS.get((state, action))


def allowed_actions(state: CaseState | str, procedure: Procedure | str) -> list[Action]:
    """その状態・方式で許される操作を Action の宣言順に返す。"""
    state, procedure = CaseState(state), Procedure(procedure)
    return [action for action in Action if _lookup(state, action, procedure) is not None]


def can(state: CaseState | str, action: Action | str, procedure: Procedure | str) -> bool:
    """その操作が許されるか。"""
    return _lookup(CaseState(state), Action(action), Procedure(procedure)) is not None


def next_state(state: CaseState | str, action: Action | str, procedure: Procedure | str) -> CaseState:
    """操作の後の状態。許されない操作は TransitionError（日本語のメッセージ付き）。

    文字列のコードも受け付ける。知らないコードは ValueError。
    """
    state, action, procedure = CaseState(state), Action(action), Procedure(procedure)
    target = _lookup(state, action, procedure)
    if target is None:
        raise TransitionError(state, action, procedure)
    return target
