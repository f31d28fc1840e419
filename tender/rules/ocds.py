"""How Japanese public procurement maps to the Open Contracting Data Standard 1.1 (issue 21).

Pure data and functions: the procedures to OCDS's ``procurementMethod`` and ``awardCriteria``
codes, a case's state to ``tender.status``, dates in Japan time as OCDS wants them (RFC 3339 with
an offset), and which release tags a change deserves (the OCDS ``releaseTag`` codelist). The
mapping is documented for readers of the data in ``tender/opendata/extension/README.md``.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from tender.rules.calendar import JST
from tender.rules.lifecycle import CaseState, Procedure
from tender.rules.sme import LegalForm

#: OCDS ``method`` codelist. 一般競争入札 is open to any company that meets the requirements; so
#: are the 公募 of a 企画競争 and of a 事前確認公募 — but the latter is a call to confirm that only the
#: planned party can perform (会計法第29条の3第4項の随意契約), which OCDS calls ``limited``.
PROCUREMENT_METHOD: dict[Procedure, str] = {
    Procedure.COMPREHENSIVE_ADDITION: "open",
    Procedure.COMPREHENSIVE_DIVISION: "open",
    Procedure.LOWEST_PRICE: "open",
    Procedure.PROPOSAL_COMPETITION: "open",
    Procedure.PRIOR_CONFIRMATION: "limited",
}

#: OCDS 1.1 ``awardCriteria`` codelist: 最低価格落札方式 is price only, 総合評価 weighs price and
#: quality (``ratedCriteria``), a 企画競争 chooses the best proposal and a 事前確認公募 the one able party.
AWARD_CRITERIA: dict[Procedure, str] = {
    Procedure.COMPREHENSIVE_ADDITION: "ratedCriteria",
    Procedure.COMPREHENSIVE_DIVISION: "ratedCriteria",
    Procedure.LOWEST_PRICE: "priceOnly",
    Procedure.PROPOSAL_COMPETITION: "bestProposal",
    Procedure.PRIOR_CONFIRMATION: "singleBidOnly",
}

#: How each 落札方式 turns a bid into its score, stated in the notice's words (評価手順書 1.2, DOMAIN §7).
AWARD_CRITERIA_DETAILS: dict[Procedure, str] = {
    Procedure.COMPREHENSIVE_ADDITION: (
        "総合評価落札方式（加算方式）：総合評価点 ＝ 技術点 ＋ 価格点。"
        "価格点 ＝ 価格点の配分 ×（1 − 入札価格 ÷ 予定価格）、小数点第2位以下切捨て。"
        "予定価格の制限の範囲内で必須項目をすべて満たす入札のうち、総合評価点の最も高い者を落札者とする。"),
    Procedure.COMPREHENSIVE_DIVISION: (
        "総合評価落札方式（除算方式）：評価値 ＝ 技術点 ÷ 入札価格。"
        "予定価格の制限の範囲内で必須項目をすべて満たす入札のうち、評価値の最も高い者を落札者とする。"),
    Procedure.LOWEST_PRICE: "最低価格落札方式：予定価格の制限の範囲内で最低の価格をもって入札した者を落札者とする。",
    Procedure.PROPOSAL_COMPETITION: "企画競争：提出された企画提案書を審査し、最も優れた提案者と随意契約を結ぶ。",
    Procedure.PRIOR_CONFIRMATION: (
        "事前確認公募：応募要件を満たす者がいなければ予定業者と随意契約を結び、"
        "満たす者がいれば予定業者と応募者の競争に移る。"),
}

#: The score sheet's method (``method`` of the evaluation case, tender.rules.evaluation_case).
COMPREHENSIVE_METHOD: dict[Procedure, str] = {
    Procedure.COMPREHENSIVE_ADDITION: "addition",
    Procedure.COMPREHENSIVE_DIVISION: "division",
}


#: How a 個人事業主 is named in open data: their business name is a person's name (personal data).
WITHHELD_PERSON = "個人事業主（氏名は公開しません）"


def public_identity(name: str, corporate_number: str | None, legal_form: str) -> tuple[str, str | None]:
    """The name and 法人番号 a company is published under: a 個人事業主 is a person, named by that role
    only and without a number; every other body by its name and its 法人番号 (if it has one)."""
    if legal_form == LegalForm.SOLE_PROPRIETOR.value:
        return WITHHELD_PERSON, None
    return name, corporate_number or None


#: OCDS ``contractStatus`` of each contract state (tender.contracts.models.ContractState's values): a
#: draft waits for the signature, a signed one is in force, a completed one has come to its close
#: (``terminated`` in the standard's sense), one that lapsed unsigned (第17条) never took effect.
CONTRACT_STATUS: dict[str, str] = {"draft": "pending", "signed": "active", "completed": "terminated",
                                   "lapsed": "cancelled"}


def tender_status(state: CaseState) -> str | None:
    """OCDS ``tenderStatus`` of a case in ``state`` (None for a draft, which is never published)."""
    if state is CaseState.DRAFT:
        return None
    if state is CaseState.CANCELLED:
        return "cancelled"
    if state in (CaseState.AWARDED, CaseState.CONTRACTED, CaseState.CLOSED, CaseState.PRIVATE_CONTRACT):
        return "complete"
    return "active"


def jst_datetime(value: datetime | date | None) -> str | None:
    """A moment as OCDS wants it: RFC 3339 with the offset, here always Japan time (+09:00); a date
    is that day's start in Japan. Seconds are kept, microseconds dropped."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0), JST)
    if value.tzinfo is None:
        raise ValueError("a naive datetime has no known offset")
    return value.astimezone(JST).replace(microsecond=0).isoformat()


_OCID_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")


def valid_ocid_prefix(prefix: str) -> bool:
    """An OCID prefix as the Open Contracting Partnership assigns them: ``ocds-`` and six characters."""
    return bool(_OCID_PREFIX.match(prefix))


def ocid_for(prefix: str, reference: str) -> str:
    """The case's open contracting ID: the publisher's prefix and the 案件番号 (stable for life)."""
    return f"{prefix}-{reference}"


#: The sections of a release, in the order tags are given.
SECTIONS = ("tender", "awards", "contracts")


def _contract_core(contract: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in contract.items() if k not in ("implementation", "amendments")}


def release_tags(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[str]:
    """The ``releaseTag`` codes of a release that moves a process from ``before`` (the previous
    release's content, None for the first) to ``after``.

    * ``tender`` for the first notice; later a change of the notice is a ``tenderAmendment`` when a
      訂正公告 came with it (``tender.amendments`` grew), a ``tenderCancellation`` when the case was
      cancelled, else a ``tenderUpdate`` (the number of bidders after the opening, its status).
    * ``award`` when an award appears, ``awardCancellation`` when one is cancelled (a revoked or
      lapsed award), ``awardUpdate`` for other changes.
    * ``contract`` when a contract appears, ``contractAmendment`` when a 変更契約 is added,
      ``contractTermination`` when a contract ends without completion, ``contractUpdate`` otherwise.
    * ``implementation`` when a contract's implementation (deliverables, payments) first appears,
      ``implementationUpdate`` when it changes.

    No change at all gives no tags (and no release is made)."""
    before = before or {}
    tags: list[str] = []
    old_tender, new_tender = before.get("tender"), after.get("tender")
    if new_tender is not None and old_tender is None:
        tags.append("tender")
    elif new_tender != old_tender and new_tender is not None and old_tender is not None:
        if new_tender.get("status") == "cancelled" and old_tender.get("status") != "cancelled":
            tags.append("tenderCancellation")
        elif len(new_tender.get("amendments", [])) > len(old_tender.get("amendments", [])):
            tags.append("tenderAmendment")
        else:
            tags.append("tenderUpdate")

    old_awards = {a["id"]: a for a in before.get("awards", [])}
    new_awards = {a["id"]: a for a in after.get("awards", [])}
    if set(new_awards) - set(old_awards):
        tags.append("award")
    changed = [i for i in set(new_awards) & set(old_awards) if new_awards[i] != old_awards[i]]
    if any(new_awards[i].get("status") == "cancelled" and old_awards[i].get("status") != "cancelled" for i in changed):
        tags.append("awardCancellation")
    elif changed or set(old_awards) - set(new_awards):  # one withdrawn from publication, too
        tags.append("awardUpdate")

    old_contracts = {c["id"]: c for c in before.get("contracts", [])}
    new_contracts = {c["id"]: c for c in after.get("contracts", [])}
    if set(new_contracts) - set(old_contracts):
        tags.append("contract")
    common = sorted(set(new_contracts) & set(old_contracts))
    core_changed = [i for i in common if _contract_core(new_contracts[i]) != _contract_core(old_contracts[i])]
    amended = [i for i in common if len(new_contracts[i].get("amendments", [])) > len(old_contracts[i].get("amendments", []))]
    terminated = [i for i in core_changed if new_contracts[i].get("status") == "cancelled"
                  and old_contracts[i].get("status") != "cancelled"]
    if amended:
        tags.append("contractAmendment")
    if terminated:
        tags.append("contractTermination")
    elif (core_changed and not amended) or set(old_contracts) - set(new_contracts):
        tags.append("contractUpdate")

    first_implementation = any(not old_contracts.get(i, {}).get("implementation")
                               and new_contracts[i].get("implementation") for i in new_contracts)
    implementation_changed = any(i in old_contracts and old_contracts[i].get("implementation")
                                 and new_contracts[i].get("implementation") != old_contracts[i].get("implementation")
                                 for i in new_contracts)
    if first_implementation:
        tags.append("implementation")
    elif implementation_changed:
        tags.append("implementationUpdate")
    return tags
