from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from tender.rules.eligibility import RuleKind
from tender.rules.lifecycle import Procedure
from tender.rules.qualification import GRADES, REGIONS, QualificationCategory
from tender.web.forms import (
    BaseForm,
    CountField,
    JSTDateTimeField,
    MultiCheckboxField,
    YenField,
    blank_to_none,
    options,
    strip,
)

#: The choices of a case's price-score basis (tender.rules.evaluation.Case.price_basis).
PRICE_SCORE_BASES = [("", "予定価格と同じ扱い（税込の予定価格なら入札書の金額＋消費税＝落札価格、税抜なら入札書の金額）"),
                     ("with_tax", "入札書の金額＋消費税（1円未満切捨て。入札心得第5条の落札価格）"),
                     ("as_written", "入札書に記載された金額（税抜。予定価格は税抜に換算）")]


class CaseForm(BaseForm):
    title = StringField("件名", filters=[strip], validators=[DataRequired("件名を入力してください。"), Length(max=300)])
    procedure = SelectField("調達方式", choices=options((p.value, p.label) for p in Procedure if p.selectable))
    department_id = SelectField("担当部署", coerce=int)
    description = TextAreaField("業務の概要・仕様", filters=[strip], validators=[Length(max=20000)])
    place_of_performance = StringField("履行場所", filters=[blank_to_none], validators=[Optional(), Length(max=300)])
    contact_text = TextAreaField("問合せ先（部署・担当者・電話・電子メール）", filters=[blank_to_none],
                                 validators=[Optional(), Length(max=1000)])
    notice_on = DateField("公示日", validators=[Optional()])
    briefing_at = JSTDateTimeField("説明会の日時", validators=[Optional()])
    briefing_place = StringField("説明会の場所（オンラインの場合はその旨）", filters=[blank_to_none],
                                 validators=[Optional(), Length(max=300)])
    briefing_registration_until = JSTDateTimeField("説明会の参加登録期限", validators=[Optional()])
    questions_from = JSTDateTimeField("質問受付開始", validators=[Optional()])
    questions_until = JSTDateTimeField("質問受付終了", validators=[Optional()])
    submissions_from = JSTDateTimeField("提出受付開始", validators=[Optional()])
    submission_deadline = JSTDateTimeField("提出期限（必着）", validators=[Optional()])
    hearing_at = JSTDateTimeField("ヒアリング", validators=[Optional()])
    opening_at = JSTDateTimeField("開札日時", validators=[Optional()])
    opening_place = StringField("開札場所", filters=[blank_to_none], validators=[Optional(), Length(max=300)])
    contract_from = DateField("契約期間（開始）", validators=[Optional()])
    contract_to = DateField("契約期間（終了）", validators=[Optional()])
    bid_bond = StringField("入札保証金", default="全額免除", filters=[strip], validators=[Length(max=200)])
    performance_bond = StringField("契約保証金", default="全額免除", filters=[strip], validators=[Length(max=200)])
    payment_terms = TextAreaField("支払条件", filters=[blank_to_none], validators=[Optional(), Length(max=2000)])
    price_basis = SelectField("価格の上限", choices=options([
        ("estimated", "予定価格（開札まで非公表）"), ("ceiling", "執行限度額（公表）")]))
    estimated_price = YenField("予定価格（円）", description=(
        "入力すると、この案件の公開鍵で封印されます。入力した職員を含め、開札まで誰も閲覧できません。"
        "封印済みの場合、空欄のままなら変わりません。"))
    estimated_price_tax_included = BooleanField("予定価格は消費税込みの額", default=True)
    budget_ceiling = YenField("執行限度額（円・税込）")
    price_score_basis = SelectField("価格点・予定価格の制限で比べる入札価格", choices=options(PRICE_SCORE_BASES),
                                    validate_choice=False)
    opening_officials = MultiCheckboxField("開札担当職員（2名以上）", coerce=int, description=(
        "入札書と予定価格は、ここで指定した職員の分割鍵でしか開封できないよう封印されます。"
        "開札用パスフレーズを設定した、案件の担当部署の職員から選んでください。"))
    opening_threshold = CountField("開封に必要な人数", default=2, validators=[Optional(), NumberRange(min=2, max=20)])
    planned_party_id = SelectField("予定業者（事前確認公募のみ）", coerce=int)
    linked_case_id = SelectField("関連案件（その提案者は参加不可）", coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.price_score_basis.data is None:  # stored None: the first option (like with like)
            self.price_score_basis.data = ""

    SCHEDULE = ["notice_on", "briefing_at", "briefing_place", "briefing_registration_until", "questions_from",
                "questions_until", "submissions_from", "submission_deadline", "hearing_at", "opening_at",
                "opening_place", "contract_from", "contract_to"]


class AmendForm(CaseForm):
    # Officials change through their own ceremony (the current officials confirm), not a 訂正.
    opening_officials = None
    opening_threshold = None
    amendment_summary = TextAreaField("訂正の内容（公告の更新履歴に掲載）", filters=[strip],
                                      validators=[DataRequired("訂正の内容を入力してください。"), Length(max=2000)])
    shortening_reason = TextAreaField("期間を短縮する理由（提出期限・質問期限などを早めるときだけ。訂正とともに公表）",
                                      filters=[strip], validators=[Optional(), Length(max=1000)])


class CancelForm(BaseForm):
    reason = TextAreaField("取り止めの理由（登録事業者に通知されます）", filters=[strip],
                           validators=[DataRequired("取り止めの理由を入力してください。"), Length(max=2000)])


class RequiredDocumentForm(BaseForm):
    name = StringField("書類名", filters=[strip], validators=[DataRequired("書類名を入力してください。"), Length(max=200)])
    copies = CountField("部数", default=1, validators=[DataRequired("部数を入力してください。"), NumberRange(min=1, max=100)])
    unit = SelectField("数え方", choices=options([("", "書類名から（書状・証明は「通」、冊子は「部」）"), ("部", "部"),
                                               ("通", "通")]), validate_choice=False)
    mandatory = BooleanField("必須", default=True)
    note = StringField("備考", filters=[blank_to_none], validators=[Optional(), Length(max=300)])
    on_screen = BooleanField("画面で入力する（入札書）")


class RuleForm(BaseForm):
    kind = SelectField("要件", choices=options((k.value, k.label) for k in RuleKind))
    category = SelectField("資格の種類（全省庁統一資格）", choices=options((c.value, c.label) for c in QualificationCategory),
                           default="services")
    grades = MultiCheckboxField("認める等級", choices=options((g, g) for g in GRADES), default=["A", "B", "C"])
    regions = MultiCheckboxField("競争参加地域（いずれか）", choices=options((r, r) for r in REGIONS))
    fiscal_year = CountField("資格の年度（空欄は提出期限の年度）", validators=[Optional()])


class QuestionForm(BaseForm):
    document = StringField("資料名", filters=[strip], validators=[DataRequired("質問の対象となる資料名を入力してください。"),
                                                              Length(max=200)])
    page = StringField("頁", filters=[blank_to_none], validators=[Optional(), Length(max=20)])
    item = StringField("項目", filters=[blank_to_none], validators=[Optional(), Length(max=200)])
    body = TextAreaField("質問内容（1様式につき1問）", filters=[strip],
                         validators=[DataRequired("質問内容を入力してください。"), Length(max=4000)])


class AnswerForm(BaseForm):
    answer = TextAreaField("回答（公開されます。質問者名は公開されません）", filters=[strip],
                           validators=[DataRequired("回答を入力してください。"), Length(max=8000)])


class BriefingForm(BaseForm):
    name1 = StringField("参加者1 氏名", filters=[strip], validators=[DataRequired("参加者の氏名を入力してください。"),
                                                               Length(max=100)])
    email1 = StringField("参加者1 メールアドレス", filters=[strip], validators=[
        DataRequired("メールアドレスを入力してください。"), Email("メールアドレスの形式が正しくありません。",
                                                  check_deliverability=False)])
    name2 = StringField("参加者2 氏名（任意）", filters=[blank_to_none], validators=[Optional(), Length(max=100)])
    email2 = StringField("参加者2 メールアドレス（任意）", filters=[blank_to_none], validators=[
        Optional(), Email("メールアドレスの形式が正しくありません。", check_deliverability=False)])

    def attendees(self) -> list[dict[str, str]]:
        people = [{"name": self.name1.data, "email": self.email1.data}]
        if self.name2.data:
            people.append({"name": self.name2.data, "email": self.email2.data or ""})
        return people




class HandlerForm(BaseForm):
    """One line of the 情報取扱者名簿 [000 様式]."""

    class Meta:
        csrf = False

    name = StringField("氏名", filters=[blank_to_none], validators=[Optional(), Length(max=100)])
    address = StringField("住所", filters=[blank_to_none], validators=[Optional(), Length(max=300)])
    birth_date = DateField("生年月日", validators=[Optional()])
    department = StringField("所属部署", filters=[blank_to_none], validators=[Optional(), Length(max=100)])
    position = StringField("役職", filters=[blank_to_none], validators=[Optional(), Length(max=100)])
    nationality = StringField("国籍", filters=[blank_to_none], validators=[Optional(), Length(max=50)])
    passport_number = StringField("パスポート番号（外国籍の場合）", filters=[blank_to_none], validators=[Optional(), Length(max=20)])

    def value(self) -> dict | None:
        if not self.name.data:
            return None
        return {"name": self.name.data, "address": self.address.data or "",
                "birth_date": self.birth_date.data.isoformat() if self.birth_date.data else "",
                "department": self.department.data or "", "position": self.position.data or "",
                "nationality": self.nationality.data or "", "passport_number": self.passport_number.data or ""}


STRUCTURE_ROLES = ["情報管理責任者", "情報取扱管理者", "業務従事者"]


class StructureForm(BaseForm):
    """One person of the 情報管理体制図, by role."""

    class Meta:
        csrf = False

    # Checked in ParticipationForm.validate, only for rows that name someone (blank rows are ignored).
    role = SelectField("役割", choices=options((r, r) for r in STRUCTURE_ROLES), validate_choice=False)
    name = StringField("氏名", filters=[blank_to_none], validators=[Optional(), Length(max=100)])
    department = StringField("所属", filters=[blank_to_none], validators=[Optional(), Length(max=100)])

    def value(self) -> dict | None:
        if not self.name.data:
            return None
        return {"role": self.role.data, "name": self.name.data, "department": self.department.data or ""}


class ParticipationForm(BaseForm):
    business_summary = TextAreaField("会社概要（事業内容）", filters=[strip], validators=[
        DataRequired("事業内容を入力してください。"), Length(max=4000)])
    track_record = TextAreaField("類似業務の実績", filters=[blank_to_none], validators=[Optional(), Length(max=4000)])
    handlers = FieldList(FormField(HandlerForm), min_entries=3, max_entries=10)
    structure = FieldList(FormField(StructureForm), min_entries=3, max_entries=10)
    qualification_file = FileField("全省庁統一資格 資格審査結果通知書（写）PDF", validators=[
        FileRequired("資格審査結果通知書の写し（PDF）を添付してください。")])
    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for entry in self.structure:
            if entry.form.name.data and entry.form.role.data not in STRUCTURE_ROLES:
                entry.form.role.errors.append("選択肢が正しくありません。")
                ok = False
        return ok

    declarations = BooleanField("予算決算及び会計令第70条及び第71条の規定に該当しないこと、並びに暴力団排除に関する誓約事項に同意します。",
                                validators=[DataRequired("誓約事項に同意してください。")])


class DecisionForm(BaseForm):
    decision = SelectField("判定", choices=options([("accepted", "受理（要件を満たす）"), ("refused", "不受理")]))
    reason = TextAreaField("理由（不受理の場合は必須。事業者に通知されます）", filters=[strip],
                           validators=[Length(max=2000)])


class AttachmentForm(BaseForm):
    title = StringField("資料名", filters=[strip], validators=[DataRequired("資料名を入力してください。"), Length(max=200)])
    file = FileField("ファイル（PDF・DOCX・XLSX）", validators=[FileRequired("ファイルを選択してください。")])


class ViewingForm(BaseForm):
    nda_signed_on = DateField("秘密保持誓約書の提出日", validators=[Optional()])
    viewing_appointment_at = JSTDateTimeField("閲覧の予約日時", validators=[Optional()])
    documents_viewed_on = DateField("設計書等の閲覧日", validators=[Optional()])
