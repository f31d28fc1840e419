"""The award (落札者の決定) of an opened round, on the figures of the one award engine.

``standing(case)`` turns the records (opened bids, invalid marks, the signed technical
consensus, lotteries drawn, investigations concluded) into the engine's Case and reads its
Evaluation; each decision stores that standing with who, when and the grounds. Each operation
validates, changes, records the audit event and flushes; the route commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from tender import clock
from tender.accounts.models import User
from tender.audit.operations import record
from tender.award.models import AwardDecision, DecisionKind, LowBidInvestigation
from tender.bidding import operations as bidding
from tender.bidding.models import Bid, BidRound, BidStatus, Lottery, RoundState
from tender.criteria.operations import engine_criteria
from tender.evaluation import panel
from tender.evaluation.models import TechnicalSignoff
from tender.extensions import db
from tender.notices import operations as notices_ops
from tender.notices.models import ProcurementCase
from tender.notifications.operations import notify_companies, page
from tender.rules import evaluation as engine
from tender.rules.bids import LAPSE_GROUND
from tender.rules.errors import OperationError
from tender.rules.lifecycle import Action, CaseState, Procedure, next_state
from tender.rules.money import tax_included
from tender.rules.wareki import format_wareki

METHOD_OF = {Procedure.COMPREHENSIVE_ADDITION: "weighted_sum", Procedure.COMPREHENSIVE_DIVISION: "division",
             Procedure.LOWEST_PRICE: "lowest_price"}

STATUS_LABELS = {engine.INVALID: "無効", engine.FAILED_SCREENING: "一次評価不合格",
                 engine.FAILED_MANDATORY: "必須項目不合格", engine.OVER_ESTIMATE: "予定価格超過",
                 engine.CANDIDATE: "落札候補"}
AWARD_LABELS = {engine.AWARDED: "落札者を決定できます", engine.HELD_FOR_INVESTIGATION: "低入札：落札決定を保留して調査",
                engine.LOTTERY_REQUIRED: "同点：くじにより決定", engine.REBID_REQUIRED: "予定価格の制限内の入札なし：再度入札",
                engine.NO_VALID_BID: "落札の対象となる入札なし"}




class AwardError(OperationError):
    """A Japanese message; nothing was changed."""


@dataclass
class Standing:
    """Where a round stands: the engine's figures and what the officer may decide next."""

    round: BidRound
    case_input: engine.Case
    evaluation: engine.Evaluation
    bids: dict[str, Bid]
    technical: dict[int, panel.TechnicalResult] = field(default_factory=dict)
    lottery: Lottery | None = None
    investigations: list[LowBidInvestigation] = field(default_factory=list)
    decision: AwardDecision | None = None
    #: Bids whose award lapsed (第17条): they take no further part.
    lapsed_bids: frozenset[int] = frozenset()

    @property
    def status(self) -> str:
        return self.evaluation.award.status

    def result_of(self, bid: Bid) -> engine.BidResult:
        return next(r for r in self.evaluation.results if r.bidder == bid.receipt_number)

    @property
    def tied(self) -> list[Bid]:
        if self.status != engine.LOTTERY_REQUIRED:
            return []
        return [self.bids[b] for b in self.evaluation.award.candidates]

    @property
    def proposed(self) -> Bid | None:
        """The bid the engine (and a drawn lottery) proposes as winner, if any."""
        award = self.evaluation.award
        if award.bidder is not None:
            return self.bids[award.bidder]
        if self.status == engine.LOTTERY_REQUIRED and self.lottery is not None:
            # The lottery ranked every tied bid; if one drops out later (a failed investigation),
            # the next in that ranking follows, so nobody draws twice.
            tied = {b.id for b in self.tied}
            if tied <= {e["bid_id"] for e in self.lottery.entries}:
                first = next(bid_id for bid_id in self.lottery.ranking if bid_id in tied)
                return db.session.get(Bid, first)
        return None

    @property
    def pending_investigation(self) -> LowBidInvestigation | None:
        return next((i for i in self.investigations if i.conclusion is None), None)

    @property
    def needs_investigation(self) -> bool:
        """The proposed winner is a low bid (第13条) not yet cleared by an investigation."""
        bid = self.proposed
        if bid is None or self.case_input.low_bid is None:
            return False
        result = self.result_of(bid)
        if not self.case_input.low_bid.holds(self.case_input.estimated_price, result.compared_price):
            return False
        return not any(i.bid_id == bid.id and i.conclusion == "passed" for i in self.investigations)

    @property
    def may_award(self) -> bool:
        return (self.decision is None and self.proposed is not None and not self.needs_investigation
                and self.pending_investigation is None)

    def label(self, bid: Bid) -> str:
        """The bid's standing in words, the decision taken into account."""
        result = self.result_of(bid)
        if any(i.bid_id == bid.id and i.conclusion == "failed" for i in self.investigations):
            return "落札者としない（低入札価格調査の結果）"
        if bid.id in self.lapsed_bids:
            return "落札の失効（契約書の提出なし）"
        if bid.status == BidStatus.INVALID:
            return f"無効：{bid.invalid_reason}" if bid.invalid_reason else "無効"
        if self.decision is not None and self.decision.kind == DecisionKind.AWARD and result.status == engine.CANDIDATE:
            return "落札者" if self.decision.bid_id == bid.id else "落札者とならず"
        if result.status == engine.CANDIDATE and self.decision is None:
            # One 落札候補, not every valid bid (issue 19: the second bidder also read 落札候補).
            if self.proposed is not None and self.proposed.id == bid.id:
                return "落札候補"
            if any(t.id == bid.id for t in self.tied or []):
                return "同点（くじにより決定）"
            return "有効（落札候補に次ぐ順位）"
        return STATUS_LABELS[result.status]

    def ranking(self) -> list[tuple[int | None, Bid, engine.BidResult]]:
        """Bids with their rank among the candidates (best first), then the others in order of submission."""
        candidates = [r for r in self.evaluation.results if r.status == engine.CANDIDATE]
        if self.case_input.method == "lowest_price":
            def key(r):
                return -r.compared_price
        else:
            def key(r):
                return r.total
        ordered = sorted(candidates, key=key, reverse=True)
        out: list[tuple[int | None, Bid, engine.BidResult]] = []
        for position, r in enumerate(ordered, start=1):
            previous = out[-1] if out else None
            same = previous is not None and key(previous[2]) == key(r)
            out.append((previous[0] if same else position, self.bids[r.bidder], r))
        out += [(None, self.bids[r.bidder], r) for r in self.evaluation.results if r.status != engine.CANDIDATE]
        return out


def low_bid_rule(case: ProcurementCase) -> engine.LowBidRule | None:
    if not case.low_bid_ratio or case.price_basis == "ceiling":
        return None
    return engine.LowBidRule(Decimal(case.low_bid_ratio), engine.LOW_BID_MIN_ESTIMATED_PRICE)


def investigations_of(case: ProcurementCase) -> list[LowBidInvestigation]:
    return db.session.execute(select(LowBidInvestigation).where(LowBidInvestigation.case_id == case.id)
                              .order_by(LowBidInvestigation.id)).scalars().all()


def decisions_of(case: ProcurementCase) -> list[AwardDecision]:
    return db.session.execute(select(AwardDecision).where(AwardDecision.case_id == case.id)
                              .order_by(AwardDecision.id)).scalars().all()


def lapsed_awards(case: ProcurementCase) -> dict[int, int]:
    """Award decisions that lost their force — the contract lapsed (第17条) or the award was revoked
    (第19条): decision id → the bid that lost the award."""
    rows = db.session.execute(select(AwardDecision.id, AwardDecision.bid_id).where(
        AwardDecision.case_id == case.id, AwardDecision.lapsed_at.is_not(None))).all()
    return {decision_id: bid_id for decision_id, bid_id in rows}


def revoked_grounds(case: ProcurementCase) -> dict[int, str]:
    """Revoked awards (入札心得第19条): the bid → why, as the ground that bid is now invalid on."""
    rows = db.session.execute(select(AwardDecision.bid_id, AwardDecision.revoked_reason).where(
        AwardDecision.case_id == case.id, AwardDecision.revoked_reason.is_not(None))).all()
    return {bid_id: f"落札決定の取消（入札心得第19条）：{reason}" for bid_id, reason in rows if bid_id is not None}


CONDITIONAL_GROUND = ("資格審査の申請中に入札し、開札日までに資格が認められなかったため、落札の対象としない"
                      "（入札心得第9条）")


def qualified_on_application_only(case: ProcurementCase, bid_round) -> set[int]:
    """Companies that bid while their qualification was still under review and are not yet granted
    it: their bids are not awarded [002 入札心得 第9条]. Judged as at the opening; a qualification
    granted later is recorded by clearing its 申請中 mark."""
    if not any(r.kind == "unified_qualification" for r in case.eligibility_rules):
        return set()
    companies = [b.company for b in bid_round.bids]
    if not companies:
        return set()
    opened = bid_round.opened_at or case.opening_at or clock.now()
    verdicts = notices_ops.verdicts_of(case, companies, opened, submitted={c.id: True for c in companies})
    return {company_id for company_id, judged in verdicts.items() if any(j.conditional for j in judged)}


def awards_in_force(case_ids) -> dict[int, AwardDecision]:
    """The award in force of each case, in one statement: the latest award that has not lost its force
    (a lapsed contract, 第17条, or a revocation, 第19条, both set lapsed_at)."""
    found: dict[int, AwardDecision] = {}
    for decision in db.session.execute(select(AwardDecision).where(
            AwardDecision.case_id.in_(list(case_ids)), AwardDecision.kind == DecisionKind.AWARD,
            AwardDecision.lapsed_at.is_(None)).order_by(AwardDecision.id)).scalars():
        found[decision.case_id] = decision
    return found


def award_of(case: ProcurementCase) -> AwardDecision | None:
    """The award in force: the latest one whose contract has not lapsed."""
    return awards_in_force([case.id]).get(case.id)


def blockers(case: ProcurementCase, signoff: TechnicalSignoff | None) -> list[str]:
    """Why no standing can be computed yet (Japanese); ``signoff``: the case's technical sign-off
    (``assess`` reads it)."""
    problems = []
    if case.procedure not in METHOD_OF:
        return ["この調達方式は入札による落札者の決定を行いません。"]
    bid_round = bidding.current_round(case)
    if bid_round is None or bid_round.state != RoundState.OPENED:
        problems.append("開札の後に落札者を決定します。")
    if case.procedure.has_technical_evaluation and signoff is None:
        problems.append("技術評価（合議）が確定（審査委員長の署名）した後に総合評価点を計算します。")
    ceiling, _ = case.price_limit
    if not ceiling:
        problems.append("予定価格（または執行限度額）が設定されていません。")
    return problems


def assess(case: ProcurementCase) -> tuple[Standing | None, list[str]]:
    """The standing, or why none can be computed yet: the sign-off and the blockers read once."""
    signoff = panel.signoff_of(case) if case.procedure.has_technical_evaluation else None
    problems = blockers(case, signoff)
    return (None, problems) if problems else (_standing(case, signoff), [])


def standing(case: ProcurementCase) -> Standing | None:
    return assess(case)[0]


def _standing(case: ProcurementCase, signoff: TechnicalSignoff | None) -> Standing:
    bid_round = bidding.current_round(case)
    ceiling, tax_included = case.price_limit
    method = METHOD_OF[case.procedure]
    technical_by_company: dict[int, panel.TechnicalResult] = {}
    if signoff is not None:  # the technical scores as signed
        technical_by_company = {r.bid.company_id: r
                                for r in panel.technical_results(case, panel.signed_values(signoff))}
    investigations = investigations_of(case)
    failed_investigation = {i.bid_id: i for i in investigations if i.conclusion == "failed"}
    lapsed = lapsed_awards(case)
    revoked = revoked_grounds(case) if lapsed else {}
    unqualified = qualified_on_application_only(case, bid_round)
    inputs, bids, technical = [], {}, {}
    for bid in bid_round.bids:
        bids[bid.receipt_number] = bid
        invalid = None
        if bid.status == BidStatus.INVALID:
            invalid = bid.invalid_reason or "無効"
        elif bid.id in failed_investigation:
            invalid = "低入札価格調査の結果、落札者としない（入札心得第14条第3項）"
        elif bid.id in lapsed.values():
            invalid = revoked.get(bid.id, LAPSE_GROUND)
        elif bid.company_id in unqualified:
            invalid = CONDITIONAL_GROUND
        compliance = pages = True
        scores: dict = {}
        if method != "lowest_price":
            result = technical_by_company.get(bid.company_id)
            if result is None:
                invalid = invalid or "提案書（初度入札）がない"
            else:
                technical[bid.id] = result
                compliance, pages = result.screening.compliance, result.screening.pages
                if result.scores is not None:
                    scores = dict(result.scores)
                elif invalid is None and result.screening.passed:
                    invalid = "技術評価の対象外"
        inputs.append(engine.BidInput(bid.receipt_number, None if invalid else bid.amount, compliance=compliance,
                                      pages=pages, scores=scores if invalid is None else {}, invalid=invalid))
    case_input = engine.Case(method=method, estimated_price=ceiling, estimated_price_tax_included=tax_included,
                             price_points=case.price_points, low_bid=low_bid_rule(case),
                             criteria=engine_criteria(case) if method != "lowest_price" else (), bids=tuple(inputs),
                             price_basis=case.price_score_basis)
    decision = next((d for d in reversed(decisions_of(case)) if d.round_id == bid_round.id
                     and d.kind in (DecisionKind.AWARD, DecisionKind.REBID, DecisionKind.NO_AWARD)), None)
    if decision is not None and decision.id in lapsed:
        decision = None  # the award lapsed: the next best may be awarded
    return Standing(bid_round, case_input, engine.evaluate(case_input), bids, technical,
                    bidding.lottery_of(bid_round), investigations, decision, frozenset(lapsed.values()))


def standing_summary(s: Standing) -> dict:
    """What a decision was taken on, as JSON (scores as strings so nothing is rounded)."""
    return {"round": s.round.number, "method": s.case_input.method, "award": {
        "status": s.status, "bidder": s.evaluation.award.bidder, "candidates": list(s.evaluation.award.candidates)},
        "results": [{"bidder": r.bidder, "status": r.status, "compared_price": r.compared_price,
                     "technical": r.technical, "price": None if r.price is None else str(r.price),
                     "total": None if r.total is None else str(r.total)} for r in s.evaluation.results],
        "lottery_id": s.lottery.id if s.lottery else None}


def _current(case: ProcurementCase) -> Standing:
    s, problems = assess(case)
    if s is None:
        raise AwardError(" ".join(problems))
    if s.decision is not None:
        raise AwardError(f"この回は「{s.decision.kind_label}」と決定済みです。")
    return s


def _decide(case: ProcurementCase, s: Standing, kind: str, bid: Bid | None, grounds: str, *, by: User,
            now: datetime) -> AwardDecision:
    grounds = (grounds or "").strip()
    if not grounds:
        raise AwardError("決定の理由（根拠）を入力してください。")
    row = AwardDecision(case_id=case.id, round_id=s.round.id, kind=kind, bid_id=bid.id if bid else None,
                        grounds=grounds, standing=standing_summary(s), decided_by_id=by.id, decided_at=now)
    db.session.add(row)
    db.session.flush()
    record(f"award.{kind}", row, actor=by, summary={"case_id": case.id, "round": s.round.number,
                                                   "bid_id": row.bid_id, "grounds": grounds,
                                                   "standing": row.standing})
    return row


def default_grounds(s: Standing) -> str:
    bid = s.proposed
    if bid is None:
        return ""
    name = bid.company.name
    if s.case_input.method == "lowest_price":
        text = f"予定価格の制限の範囲内で最低の価格をもって入札した{name}を落札者とする（入札心得第14条）。"
    else:
        total = s.result_of(bid).total
        text = (f"予定価格の制限の範囲内で、評価手順書により算出した総合評価点（{total}点）が最も高い{name}を"
                "落札者とする（入札心得第14条）。")
    if s.lottery is not None and s.status == engine.LOTTERY_REQUIRED:
        text += "同点の者があったため、電子くじにより決定した（第16条）。"
    if any(i.bid_id == bid.id and i.conclusion == "passed" for i in s.investigations):
        text += "低入札価格調査の結果、契約の内容に適合した履行がされると認めた（第13条、第14条第2項）。"
    return text


def decide_award(case: ProcurementCase, grounds: str, *, by: User, now: datetime) -> AwardDecision:
    s = _current(case)
    if s.status == engine.LOTTERY_REQUIRED and s.lottery is None:
        raise AwardError("同点の者があるため、先にくじを行ってください（入札心得第16条）。")
    if s.pending_investigation is not None:
        raise AwardError("低入札価格調査の結論を記録してから落札者を決定してください。")
    if s.needs_investigation:
        raise AwardError("調査基準価格に満たない入札のため、落札決定を保留して低入札価格調査を行ってください（第13条）。")
    bid = s.proposed
    if bid is None:
        raise AwardError("落札者となるべき入札がありません。")
    row = _decide(case, s, DecisionKind.AWARD, bid, grounds, by=by, now=now)
    case.state = next_state(case.state, Action.AWARD, case.procedure)
    deadline = row.contract_deadline
    # The winner first, then every bidder of the case.
    notify_companies({bid.company_id}, f"「{case.title}」の落札者に決定しました。契約書は{format_wareki(deadline)}までに"
                     "提出してください（入札心得第17条）。", page("award.results", case_id=case.id))
    others = {b.company_id for r in bidding.rounds_of(case) for b in r.bids} - {bid.company_id}
    notify_companies(others, f"「{case.title}」の落札者が決定しました。結果を確認できます。", page("award.results", case_id=case.id))
    return row


def hold(case: ProcurementCase, grounds: str, *, by: User, now: datetime) -> LowBidInvestigation:
    """Hold the award of a low bid and open its investigation (第13条第2項、第14条第2項)."""
    s = _current(case)
    if s.pending_investigation is not None:
        raise AwardError("低入札価格調査を実施中です。")
    if not s.needs_investigation:
        raise AwardError("落札候補の入札は調査基準価格を下回っていません。")
    bid = s.proposed
    assert bid is not None
    _decide(case, s, DecisionKind.HOLD, bid, grounds, by=by, now=now)
    row = LowBidInvestigation(case_id=case.id, bid_id=bid.id, started_at=now, position=len(s.investigations) + 1)
    db.session.add(row)
    db.session.flush()
    notify_companies({bid.company_id}, f"「{case.title}」の入札は調査基準価格を下回ったため、落札決定を保留します。"
                     "低入札価格調査へのご協力をお願いします（入札心得第13条）。", page("award.results", case_id=case.id))
    return row


def conclude(case: ProcurementCase, passed: bool, findings: str, *, by: User, now: datetime) -> LowBidInvestigation:
    """Record the investigation's conclusion; a failed one takes the bid out and the next best is proposed."""
    s = _current(case)
    row = s.pending_investigation
    if row is None:
        raise AwardError("実施中の低入札価格調査がありません。")
    findings = (findings or "").strip()
    if not findings:
        raise AwardError("調査の結果（入札理由・積算内訳・履行体制などの確認内容）を入力してください（第13条第3項）。")
    row.conclusion = "passed" if passed else "failed"
    row.findings, row.concluded_by_id, row.concluded_at = findings, by.id, now
    record("award.investigation_concluded", row, actor=by, summary={
        "case_id": case.id, "bid_id": row.bid_id, "conclusion": row.conclusion, "findings": findings})
    if not passed:
        notify_companies({row.bid.company_id}, f"「{case.title}」の低入札価格調査の結果、落札者としないこととしました。",
                         page("award.results", case_id=case.id))
    db.session.flush()
    return row


def lottery(case: ProcurementCase, witness_name: str, *, by: User, now: datetime) -> Lottery:
    s = _current(case)
    if s.status != engine.LOTTERY_REQUIRED:
        raise AwardError("くじは、落札となるべき同点（同価格）の入札が二者以上ある場合に行います（入札心得第16条）。")
    try:
        drawn = bidding.draw_lottery(case, by=by, now=now, witness_name=witness_name,
                                     tied_ids=tuple(b.id for b in s.tied))
    except bidding.BidError as exc:
        raise AwardError(str(exc)) from exc
    s.lottery = drawn
    _decide(case, s, DecisionKind.LOTTERY, db.session.get(Bid, drawn.ranking[0]),
            f"同点の者が{len(s.tied)}者あるため電子くじを行った（入札心得第16条）。立会人：{drawn.witness_name}", by=by, now=now)
    return drawn


def rebid(case: ProcurementCase, minutes: int, grounds: str, *, by: User, now: datetime) -> BidRound:
    s = _current(case)
    if s.status != engine.REBID_REQUIRED:
        raise AwardError("再度入札は、予定価格の制限の範囲内の入札がなかった場合に行います（入札心得第15条）。")
    over = {s.bids[r.bidder].id for r in s.evaluation.results if r.status == engine.OVER_ESTIMATE}
    _decide(case, s, DecisionKind.REBID, None, grounds, by=by, now=now)
    try:
        return bidding.start_rebid(case, by=by, now=now, minutes=minutes, rebid_bid_ids=over)
    except bidding.BidError as exc:
        raise AwardError(str(exc)) from exc


def no_award(case: ProcurementCase, grounds: str, *, by: User, now: datetime) -> AwardDecision:
    s = _current(case)
    if s.status != engine.NO_VALID_BID:
        raise AwardError("落札の対象となる入札があるため、不調とはできません。")
    return _decide(case, s, DecisionKind.NO_AWARD, None, grounds, by=by, now=now)


# --- what bidders see after the award ------------------------------------------------------

def results_for(case: ProcurementCase, company_id: int) -> dict | None:
    """A bidder's own figures and the winner's total (or price), once the award is decided."""
    decision = award_of(case)
    if decision is None or case.state not in (CaseState.AWARDED, CaseState.CONTRACTED, CaseState.CLOSED):
        return None
    s = standing(case)
    if s is None:
        return None
    own = next((b for b in s.round.bids if b.company_id == company_id), None)
    winner = decision.bid
    return {"decision": decision, "winner": winner, "winner_result": s.result_of(winner),
            "award_price": tax_included(winner.amount),
            "own": own, "own_result": s.result_of(own) if own else None, "own_label": s.label(own) if own else None,
            "own_technical": s.technical.get(own.id) if own else None, "method": s.case_input.method,
            "status_labels": STATUS_LABELS}
