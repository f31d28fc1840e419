"""Building a case's 評価項目一覧; frozen once the case is published (the route commits)."""
from __future__ import annotations

from sqlalchemy import select

from forms.yoshiki.evaluation_items import AttachmentItem, ComplianceItem, EvaluationItemsData, RequirementItem
from tender import signals
from tender.accounts.models import User
from tender.audit.operations import record
from tender.criteria.models import EvaluationCriterion
from tender.extensions import db
from tender.notices.models import ProcurementCase
from tender.rules import criteria as rules
from tender.rules import evaluation as engine
from tender.rules.errors import OperationError
from tender.rules.lifecycle import CaseState
from tender.web.memo import read_once


class CriteriaError(OperationError):
    """A Japanese message; nothing was changed."""


def criteria_of(case: ProcurementCase) -> list[EvaluationCriterion]:
    return db.session.execute(select(EvaluationCriterion).where(EvaluationCriterion.case_id == case.id)
                              .order_by(EvaluationCriterion.position, EvaluationCriterion.id)).scalars().all()


def specs(case: ProcurementCase) -> list[rules.CriterionSpec]:
    """The case's 評価項目一覧 as the rules take it: read once per page however many parts of it
    ask (the award page asks five times)."""
    return list(read_once(("criteria", case.id), lambda: _specs(case)))


def _specs(case: ProcurementCase) -> list[rules.CriterionSpec]:
    return [rules.CriterionSpec(c.section, c.item_id, c.title, kind=c.kind, points=c.points, major=c.major,
                                middle=c.middle, ranks=c.ranks, table=c.table,
                                mandatory_attachment=c.mandatory_attachment) for c in criteria_of(case)]


def allocation(case: ProcurementCase) -> rules.Allocation:
    return rules.check(specs(case), case.technical_points)


def engine_criteria(case: ProcurementCase) -> tuple[engine.Criterion, ...]:
    """The requirement items as the award engine takes them."""
    return tuple(engine.Criterion(s.item_id, s.kind, s.points, ranks=s.ranks, table=s.table)
                 for s in specs(case) if s.section == "requirement")


def _editable(case: ProcurementCase) -> None:
    if case.state is not CaseState.DRAFT:
        raise CriteriaError("公告後は評価項目を変更できません（公告とともに確定しています）。")
    if not case.procedure.has_technical_evaluation:
        raise CriteriaError("この調達方式では技術評価を行いません。")


def add(case: ProcurementCase, spec: rules.CriterionSpec, *, by: User) -> EvaluationCriterion:
    _editable(case)
    if any(c.item_id == spec.item_id for c in criteria_of(case)):
        raise CriteriaError(f"項目番号「{spec.item_id}」は既に登録されています。")
    if spec.section == "requirement" and spec.kind == "ranked" and spec.ranks is None \
            and spec.points not in engine.RANK_TABLES:
        raise CriteriaError("15点・10点以外の任意項目には、S/A/B/Cの得点表を設定してください。")
    row = EvaluationCriterion(case_id=case.id, position=len(criteria_of(case)) + 1, section=spec.section,
                              item_id=spec.item_id, major=spec.major, middle=spec.middle, title=spec.title,
                              kind=spec.kind if spec.section == "requirement" else None,
                              points=spec.points if spec.section == "requirement" else 0, ranks=spec.ranks,
                              table=spec.table, mandatory_attachment=spec.mandatory_attachment)
    db.session.add(row)
    db.session.flush()
    record("criterion.added", case, actor=by, summary={"item_id": spec.item_id, "section": spec.section,
                                                       "kind": spec.kind, "points": spec.points})
    return row


def update(case: ProcurementCase, row: EvaluationCriterion, spec: rules.CriterionSpec, *, by: User) -> dict:
    """Change an item in place (issue 19: not delete and re-add): its number, headings, text, kind,
    points, certification table or attachment flag; recorded with what changed."""
    _editable(case)
    if any(c.item_id == spec.item_id and c.id != row.id for c in criteria_of(case)):
        raise CriteriaError(f"項目番号「{spec.item_id}」は既に登録されています。", field="item_id")
    requirement = spec.section == "requirement"
    ranks = row.ranks if requirement and spec.points == row.points else None  # a custom table fits its points
    if requirement and spec.kind == "ranked" and ranks is None and spec.points not in engine.RANK_TABLES:
        raise CriteriaError("15点・10点以外の任意項目には、S/A/B/Cの得点表を設定してください（配点を変えると得点表は"
                            "評価手順書の表に戻ります）。", field="points")
    fields = ("section", "item_id", "major", "middle", "title", "kind", "points", "ranks", "table", "mandatory_attachment")
    before = {f: getattr(row, f) for f in fields}
    row.section, row.item_id, row.major, row.middle, row.title = (spec.section, spec.item_id, spec.major, spec.middle,
                                                                   spec.title)
    row.kind, row.points = (spec.kind, spec.points) if requirement else (None, 0)
    row.ranks, row.table, row.mandatory_attachment = ranks, spec.table, spec.mandatory_attachment
    diff = {f: [before[f], getattr(row, f)] for f in fields if before[f] != getattr(row, f)}
    if not diff:
        raise CriteriaError("変更された項目がありません。")
    db.session.flush()
    record("criterion.changed", case, actor=by, summary={"item_id": row.item_id, "changes": diff})
    return diff


def remove(case: ProcurementCase, row: EvaluationCriterion, *, by: User) -> None:
    _editable(case)
    record("criterion.removed", case, actor=by, summary={"item_id": row.item_id, "points": row.points})
    db.session.delete(row)


def apply_template(case: ProcurementCase, *, by: User) -> int:
    """The seed's full table in one step (only into an empty list, so nothing is overwritten)."""
    _editable(case)
    if criteria_of(case):
        raise CriteriaError("評価項目が既にあります。テンプレートは空の一覧にだけ読み込めます。")
    items = rules.template()
    for position, spec in enumerate(items, start=1):
        db.session.add(EvaluationCriterion(
            case_id=case.id, position=position, section=spec.section, item_id=spec.item_id, major=spec.major,
            middle=spec.middle, title=spec.title, kind=spec.kind, points=spec.points, ranks=spec.ranks,
            table=spec.table, mandatory_attachment=spec.mandatory_attachment))
    db.session.flush()
    record("criteria.template_applied", case, actor=by, summary={"items": len(items), "source": "[002 V]"})
    return len(items)


def sheet_data(case: ProcurementCase):
    """The 評価項目一覧 form's data (PDF, DOCX, and the XLSX bidders fill in)."""
    authority = case.department.authority.name if case.department else ""
    rows = specs(case)
    return EvaluationItemsData(
        case_title=case.title, authority=authority,
        compliance=[ComplianceItem(s.item_id, s.major, s.title) for s in rows if s.section == "compliance"],
        requirements=[RequirementItem(s.item_id, s.major, s.middle, "", s.title, s.kind == "mandatory", s.points)
                      for s in rows if s.section == "requirement"],
        attachments=[AttachmentItem(s.item_id, s.major, "", s.title, s.mandatory_attachment)
                     for s in rows if s.section == "attachment"])


def set_allocation(case: ProcurementCase, *, technical_points: int, price_points: int, low_bid_ratio: str | None,
                   by: User) -> None:
    """技術点・価格点の配分 and the 調査基準価格 rule, while the case is a draft."""
    _editable(case)
    if technical_points <= 0 or price_points <= 0:
        raise CriteriaError("技術点と価格点の配分は1点以上にしてください。")
    if low_bid_ratio not in (None, engine.LOW_BID_RATIO_SERVICES):
        raise CriteriaError("調査基準価格の割合を選んでください。")
    before = {"technical_points": case.technical_points, "price_points": case.price_points,
              "low_bid_ratio": case.low_bid_ratio}
    case.technical_points, case.price_points, case.low_bid_ratio = technical_points, price_points, low_bid_ratio
    record("criteria.allocation_changed", case, actor=by, summary={
        "before": before, "after": {"technical_points": technical_points, "price_points": price_points,
                                    "low_bid_ratio": low_bid_ratio}})


def set_ranks(case: ProcurementCase, row: EvaluationCriterion, ranks: dict[str, int] | None, *, by: User) -> None:
    _editable(case)
    if row.section != "requirement" or row.kind != "ranked":
        raise CriteriaError("得点表を設定できるのは任意（加点・S/A/B/C）の項目だけです。")
    if ranks is None:
        if row.points not in engine.RANK_TABLES:
            raise CriteriaError("15点・10点以外の項目には得点表が必要です。")
    else:
        problems = rules.rank_table_problems(row.points, ranks)
        if problems:
            raise CriteriaError(" ".join(problems))
    before = row.ranks
    row.ranks = ranks
    record("criterion.ranks_changed", case, actor=by, summary={"item_id": row.item_id, "before": before,
                                                               "after": ranks})


@signals.case_copied.connect
def _copy_criteria(source: ProcurementCase, copy: ProcurementCase, **_) -> None:
    """A copied case takes the source's 評価項目一覧 as it stands (editable in the new draft)."""
    rows = db.session.execute(select(EvaluationCriterion).where(EvaluationCriterion.case_id == source.id)
                              .order_by(EvaluationCriterion.position, EvaluationCriterion.id)).scalars().all()
    for row in rows:
        db.session.add(EvaluationCriterion(
            case_id=copy.id, position=row.position, section=row.section, item_id=row.item_id, major=row.major,
            middle=row.middle, title=row.title, kind=row.kind, points=row.points,
            ranks=dict(row.ranks) if row.ranks is not None else None,
            table=dict(row.table) if row.table is not None else None, mandatory_attachment=row.mandatory_attachment))


@signals.publication_checked.connect
def _publication_problems(case: ProcurementCase) -> list[str]:
    """A 総合評価 notice is published with a complete 評価項目一覧 whose points add up."""
    if not case.procedure.has_technical_evaluation:
        return []
    return [f"評価項目一覧：{p}" for p in allocation(case).problems]
