"""tender.rules.ocds: the Japanese procedures and states in OCDS 1.1's codes (checked against the
standard's own codelists, the copy in tender/opendata/schema), dates in Japan time, and the release
tags a change deserves — as a table, and as properties over generated changes."""
from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tender.rules import ocds
from tender.rules.lifecycle import CaseState, Procedure

CODELISTS = Path(__file__).resolve().parents[2] / "tender" / "opendata" / "schema" / "1__1__5" / "codelists"


def codes(name: str) -> set[str]:
    with open(CODELISTS / name, encoding="utf-8") as f:
        return {row["Code"] for row in csv.DictReader(f)}


@pytest.mark.parametrize("procedure", list(Procedure))
def test_every_procedure_has_a_method_and_award_criteria_of_the_standard(procedure):
    assert ocds.PROCUREMENT_METHOD[procedure] in codes("method.csv")
    assert ocds.AWARD_CRITERIA[procedure] in codes("awardCriteria.csv")
    assert "：" in ocds.AWARD_CRITERIA_DETAILS[procedure]  # the method's name, then how it decides


def test_the_price_score_formula_is_stated_for_the_addition_method():
    """評価手順書 1.2: 価格点 ＝ 価格点の配分 ×（1 − 入札価格 ÷ 予定価格）, truncated."""
    details = ocds.AWARD_CRITERIA_DETAILS[Procedure.COMPREHENSIVE_ADDITION]
    assert "価格点 ＝ 価格点の配分 ×（1 − 入札価格 ÷ 予定価格）" in details and "切捨て" in details
    assert "技術点 ÷ 入札価格" in ocds.AWARD_CRITERIA_DETAILS[Procedure.COMPREHENSIVE_DIVISION]
    assert ocds.COMPREHENSIVE_METHOD == {Procedure.COMPREHENSIVE_ADDITION: "addition",
                                         Procedure.COMPREHENSIVE_DIVISION: "division"}


@pytest.mark.parametrize("state", list(CaseState))
def test_every_state_but_a_draft_has_a_tender_status_of_the_standard(state):
    status = ocds.tender_status(state)
    if state is CaseState.DRAFT:
        assert status is None
    else:
        assert status in codes("tenderStatus.csv")


@pytest.mark.parametrize(("state", "status"), [
    (CaseState.PUBLISHED, "active"), (CaseState.SUBMISSIONS_CLOSED, "active"), (CaseState.OPENED, "active"),
    (CaseState.COMPETITION, "active"), (CaseState.AWARDED, "complete"), (CaseState.CONTRACTED, "complete"),
    (CaseState.CLOSED, "complete"), (CaseState.PRIVATE_CONTRACT, "complete"), (CaseState.CANCELLED, "cancelled")])
def test_tender_status_of_each_state(state, status):
    assert ocds.tender_status(state) == status


@pytest.mark.parametrize(("value", "text"), [
    (datetime(2026, 4, 1, 0, 0, tzinfo=UTC), "2026-04-01T09:00:00+09:00"),
    (datetime(2026, 3, 31, 15, 0, tzinfo=UTC), "2026-04-01T00:00:00+09:00"),  # the day changes in Japan
    (datetime(2026, 4, 1, 12, 34, 56, 789000, tzinfo=UTC), "2026-04-01T21:34:56+09:00"),
    (datetime(2026, 4, 1, 9, 0, tzinfo=timezone(timedelta(hours=9))), "2026-04-01T09:00:00+09:00"),
    (date(2026, 12, 31), "2026-12-31T00:00:00+09:00"),
    (None, None)])
def test_dates_in_japan_time(value, text):
    assert ocds.jst_datetime(value) == text


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        ocds.jst_datetime(datetime(2026, 4, 1))


@pytest.mark.parametrize(("prefix", "ok"), [("ocds-jptndr", True), ("ocds-213czf", True), ("ocds-JPTNDR", False),
                                            ("ocds-abc", False), ("ocds-abcdefg", False), ("jp-abcdef", False),
                                            ("", False)])
def test_ocid_prefixes_are_the_partnership_s_form(prefix, ok):
    assert ocds.valid_ocid_prefix(prefix) is ok


def test_the_ocid_is_the_prefix_and_the_case_reference():
    assert ocds.ocid_for("ocds-jptndr", "2026-0009") == "ocds-jptndr-2026-0009"


TENDER = {"status": "active", "title": "清掃業務"}
AWARD = {"id": "a1", "status": "active", "value": {"amount": 1, "currency": "JPY"}}
CONTRACT = {"id": "c1", "awardID": "a1", "status": "active"}


@pytest.mark.parametrize(("before", "after", "tags"), [
    (None, {"tender": TENDER}, ["tender"]),
    ({"tender": TENDER}, {"tender": TENDER}, []),
    ({"tender": TENDER}, {"tender": {**TENDER, "amendments": [{"id": "1"}]}}, ["tenderAmendment"]),
    ({"tender": TENDER}, {"tender": {**TENDER, "status": "cancelled"}}, ["tenderCancellation"]),
    ({"tender": TENDER}, {"tender": {**TENDER, "numberOfTenderers": 3}}, ["tenderUpdate"]),
    ({"tender": TENDER}, {"tender": TENDER, "awards": [AWARD]}, ["award"]),
    ({"tender": TENDER}, {"tender": {**TENDER, "status": "complete"}, "awards": [AWARD]}, ["tenderUpdate", "award"]),
    ({"tender": TENDER, "awards": [AWARD]}, {"tender": TENDER, "awards": [{**AWARD, "status": "cancelled"}]},
     ["awardCancellation"]),
    ({"tender": TENDER, "awards": [AWARD]}, {"tender": TENDER, "awards": [{**AWARD, "date": "x"}]}, ["awardUpdate"]),
    ({"tender": TENDER, "awards": [AWARD]}, {"tender": TENDER, "awards": [AWARD], "contracts": [CONTRACT]},
     ["contract"]),
    ({"contracts": [CONTRACT]}, {"contracts": [{**CONTRACT, "amendments": [{"id": "1"}], "value": 2}]},
     ["contractAmendment"]),
    ({"contracts": [CONTRACT]}, {"contracts": [{**CONTRACT, "status": "terminated"}]}, ["contractUpdate"]),
    ({"contracts": [CONTRACT]}, {"contracts": [{**CONTRACT, "status": "cancelled"}]}, ["contractTermination"]),
    ({"contracts": [CONTRACT]}, {"contracts": [{**CONTRACT, "implementation": {"transactions": [{"id": "p1"}]}}]},
     ["implementation"]),
    ({"contracts": [{**CONTRACT, "implementation": {"transactions": [{"id": "p1"}]}}]},
     {"contracts": [{**CONTRACT, "implementation": {"transactions": [{"id": "p1"}, {"id": "p2"}]}}]},
     ["implementationUpdate"]),
    # An award and its contract at once (a first release made after both, by the sweep).
    (None, {"tender": TENDER, "awards": [AWARD], "contracts": [{**CONTRACT, "implementation": {"milestones": [1]}}]},
     ["tender", "award", "contract", "implementation"]),
])
def test_release_tags(before, after, tags):
    assert ocds.release_tags(before, after) == tags


_leaf = st.one_of(st.integers(0, 3), st.sampled_from(["active", "complete", "cancelled", "terminated"]))
_award = st.fixed_dictionaries({"id": st.sampled_from(["a1", "a2"]), "status": st.sampled_from(["active", "cancelled"]),
                                "value": _leaf})
_contract = st.fixed_dictionaries({"id": st.sampled_from(["c1", "c2"]),
                                   "status": st.sampled_from(["pending", "active", "cancelled", "terminated"]),
                                   "amendments": st.lists(st.just({"id": "1"}), max_size=2),
                                   "implementation": st.dictionaries(st.sampled_from(["milestones", "transactions"]),
                                                                     st.lists(_leaf, max_size=2), max_size=2)})
_content = st.fixed_dictionaries({
    "tender": st.fixed_dictionaries({"status": st.sampled_from(["active", "complete", "cancelled"]),
                                     "amendments": st.lists(st.just({"id": "1"}), max_size=3),
                                     "numberOfTenderers": st.integers(0, 5)}),
    "awards": st.lists(_award, max_size=2, unique_by=lambda a: a["id"]),
    "contracts": st.lists(_contract, max_size=2, unique_by=lambda c: c["id"])})


@given(_content, _content)
def test_tags_are_codes_of_the_standard_each_once_and_none_without_a_change(before, after):
    tags = ocds.release_tags(before, after)
    assert set(tags) <= codes("releaseTag.csv") - {"compiled"}
    assert len(tags) == len(set(tags))
    assert (tags == []) == (before == after)


@given(_content)
def test_a_first_release_is_tagged_tender(content):
    assert ocds.release_tags(None, content)[0] == "tender"


@pytest.mark.parametrize("state", ["draft", "signed", "completed", "lapsed"])
def test_every_contract_state_has_a_contract_status_of_the_standard(state):
    from tender.contracts.models import ContractState

    assert {s.value for s in ContractState} == set(ocds.CONTRACT_STATUS)
    assert ocds.CONTRACT_STATUS[state] in codes("contractStatus.csv")


@pytest.mark.parametrize(("legal_form", "number", "published"), [
    ("corporation", "1234567890123", ("株式会社A", "1234567890123")),
    ("unincorporated", "", ("株式会社A", None)),
    ("sole_proprietor", "1234567890123", ("個人事業主（氏名は公開しません）", None)),
])
def test_a_sole_proprietor_is_published_by_role_only(legal_form, number, published):
    assert ocds.public_identity("株式会社A", number, legal_form) == published
