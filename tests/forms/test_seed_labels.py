"""Each form carries the original's labels, fixed sentences, notes and columns (issue 18). Every
label below is first found in the seed it comes from (../shared/seeds, NFKC, whitespace ignored) —
so the list cannot drift from the original — then in our PDF and in our DOCX of the form."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from tests.forms.rendering import docx_text, pdf_text, sample_docx, sample_pdf


def _seeds_dir() -> Path | None:
    """../shared/seeds beside the checkout (or TENDER_SEEDS): the five source documents."""
    import os

    if os.environ.get("TENDER_SEEDS"):
        return Path(os.environ["TENDER_SEEDS"])
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return None


SEEDS = _seeds_dir()

# form → (seed, labels as the seed writes them). The records with no form of their own in the seeds
# (開札調書, 総合評価点一覧, 落札者決定通知書, 変更契約書) carry the seed's terms they are built on.
LABELS = {
    "question": ("002", ["質問書", "に関する質問書を提出します。", "法人名", "所属部署名", "担当者名", "電話番号", "E-mail",
                         "質問書枚数", "枚中", "枚目", "質問箇所について", "資料名", "ページ", "項目名", "質問内容",
                         "1. 質問は、本様式1枚につき1問とし、簡潔にまとめて記載すること。"]),
    "power_of_attorney": ("002", ["委任状", "所在地", "商号又は名称", "(又は代理人)", "私は、下記の者を代理人と定め、",
                                  "の入札に関する一切の権限を委任します。", "(又は復代理人)", "所属・役職名", "使用印鑑"]),
    "bid": ("002", ["入札書", "入札金額", "代表者氏名", "(又は代理人、復代理人氏名)", "契約条項の内容及び貴機構入札心得を承知のうえ、入札いたします。"]),
    "receipt": ("002", ["提案書受理票(控)", "提案書受理番号", "【入札者記載欄】", "提出年月日", "所属・役職名", "FAX", "E-Mail",
                        "委任状(委任する場合)", "入札書(封緘)", "提出書類", "部数", "有無", "貴殿から提出された標記提案書を受理しました。"]),
    "bid_breakdown": ("002", ["入札内訳書", "事務局運営", "事業進捗支援", "税抜単価(円)", "金額(円)"]),
    "participation": ("000", ["参加意思確認書", "提出者", "住所", "団体名", "代表者役職氏名", "担当者所属役職氏名", "連絡先", "メールアドレス",
                              "TEL", "FAX", "に係る事前確認公募において、応募要件を満たしており、業務への参加を希望しますので参加意思確認書を提出します。",
                              "1 会社概要", "2 応募要件", "※応募要件を満たしている状況等について記載すること"]),
    "company_profile": ("000", ["会社概要(1/2)", "会社概要(2/2)", "会社名", "代表者氏名", "URL", "本社住所", "設立年月", "主取引銀行", "資本金",
                                "資本系列", "従業員数", "加盟協会", "会社の沿革", "学歴・略歴", "株主名", "持株数", "貴社との関係", "関連企業",
                                "主要外注先又は仕入先", "会社概要に関する担当者連絡先", "売上高", "営業利益", "経常利益", "資本勘定",
                                "当期末処分利益", "定期預金残高", "主要取引先とその売上高", "直近決算時点における売上高",
                                "借入金、社債等の元本返済・利払いの遅延の有無", "税金支払い遅滞の有無"]),
    "information_handlers": ("000", ["情報取扱者名簿", "(しめい)", "個人住所", "生年月日", "所属部署", "役職", "情報管理責任者(※1)",
                                     "情報取扱管理者(※2)", "業務従事者(※3)", "再委託先",
                                     "受託事業者としての情報取扱の全ての責任を有する者。必ず明記すること。"]),
    "information_structure": ("000", ["情報管理体制図", "【情報管理体制図に記載すべき事項】", "本業務の遂行のため最低限必要な範囲で情報取扱者を設定し記載すること。"]),
    "nda": ("000", ["(別記2)", "秘密保持誓約書", "本公募に係る役職員以外の者に対して開示又は漏洩致しません。", "本公募のためだけに利用致します。"]),
    "anti_organized_crime": ("000", ["暴力団排除に関する誓約事項", "契約の相手方として不適当な者", "異議は一切申し立てません。"]),
    "evaluation_items": ("002", ["評価項目一覧", "遵守確認事項", "0 遵守確認事項", "提案要求事項", "評価区分", "得点配分", "基礎点", "加点", "合計",
                                 "5 添付資料", "資料内容", "提案の要否", "遵守確認"]),
    "contract": ("002", ["対価の支払及び遅延利息", "財務大臣が決定する率"]),
    "award_notice": ("002", ["落札"]),
    "opening_record": ("002", ["開札"]),
    "score_sheet": ("002", ["総合評価点", "技術点", "価格点"]),
    "contract_change": ("002", ["第12条"]),
}


def _flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _seed(prefix: str) -> str:
    assert SEEDS is not None
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert found, f"seed {prefix} not found in {SEEDS}"
    return _flat(found[0].read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", sorted(LABELS))
def test_every_label_quotes_the_original(code):
    if SEEDS is None:
        pytest.skip("the seeds (../shared/seeds) are not beside this checkout")
    seed, labels = LABELS[code]
    original = _seed(seed)
    for label in labels:
        assert _flat(label) in original, f"{label!r} is not in seed {seed}: the list must quote the original"


@pytest.mark.parametrize("code", sorted(LABELS))
def test_the_form_carries_the_originals_labels(code):
    _, labels = LABELS[code]
    pdf, docx = _flat(pdf_text(sample_pdf(code)[0])), _flat(docx_text(sample_docx(code)))
    for label in labels:
        wanted = _flat(label)
        assert wanted in pdf, f"{code}.pdf lacks {label!r}"
        assert wanted in docx, f"{code}.docx lacks {label!r}"
