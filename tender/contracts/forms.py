from wtforms import BooleanField, DateField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forms.yoshiki.contract_change import GROUNDS as CHANGE_GROUNDS
from tender.contracts.remedies import REMEDIES
from tender.rules import conditions as cond
from tender.rules import contracts as rules
from tender.rules.bids import LAPSE_GROUND
from tender.web.forms import BaseForm, CountField, YenField, options, strip


def _date(label: str, message: str):
    return DateField(label, validators=[InputRequired(message)])


class DraftForm(BaseForm):
    """Create the draft (a confirmation button)."""


class RevisionForm(BaseForm):
    period_from = _date("契約期間（始期）", "契約期間の始期を入力してください。")
    period_to = _date("契約期間（終期）", "契約期間の終期を入力してください。")
    inspection_days = SelectField("検査の期間（納入を受けた日から）", coerce=int,
                                  choices=options([(d, f"{d}日以内") for d in rules.INSPECTION_DAYS_CHOICES]))
    # The conditions that differ between the seeds (tender.rules.conditions); the page shows the
    # source of each value next to the form.
    payment = SelectField(cond.FIELD_LABELS["payment"], choices=options(cond.CHOICES["payment"].items()))
    payment_days = CountField("支払までの日数（「日数以内」のとき）", validators=[
        InputRequired("支払までの日数を入力してください。"), NumberRange(1, 60, "支払までの日数は1〜60日です。")])
    interest_day_count = SelectField(cond.FIELD_LABELS["interest_day_count"],
                                     choices=options(cond.CHOICES["interest_day_count"].items()))
    penalty = BooleanField("契約を解除したときの違約金（基礎となる額の100分の10）を定める")
    penalty_base = SelectField(cond.FIELD_LABELS["penalty_base"], choices=options(cond.CHOICES["penalty_base"].items()))
    long_term = BooleanField("長期継続契約（地方自治法第234条の3）")
    penalty_rounding = SelectField(cond.FIELD_LABELS["penalty_rounding"], coerce=int,
                                   choices=options((int(k), v) for k, v in cond.CHOICES["penalty_rounding"].items()))
    collusion = SelectField(cond.FIELD_LABELS["collusion"], choices=options(cond.CHOICES["collusion"].items()))
    shift_holidays = BooleanField("検査・公表・報告書・支払の「○日以内」の末日が休日なら翌開庁日とする")
    damages_cap = BooleanField("損害賠償を契約金額までとする（故意・重大な過失を除く）")
    defect = SelectField(cond.FIELD_LABELS["defect"], choices=options(cond.CHOICES["defect"].items()))
    subcontracting = SelectField(cond.FIELD_LABELS["subcontracting"],
                                 choices=options(cond.CHOICES["subcontracting"].items()))
    late_rate = StringField("発注者の支払遅延の利率（年%。空欄なら契約締結の日の告示の率）", filters=[strip],
                            validators=[Length(max=20)])
    quantity = StringField("数量", filters=[strip], validators=[Length(max=100)], default="一式")
    payment_terms = TextAreaField("支払条件", filters=[strip], validators=[Length(max=4000)])
    period_amounts = TextAreaField("期間ごとの契約金額（税抜）：1行に「期間の名称, 金額」。合計は契約金額（税抜）と一致させる",
                                   filters=[strip], validators=[Length(max=4000)])
    main = TextAreaField("契約条項", validators=[DataRequired("契約条項を入力してください。"), Length(max=100_000)])
    special = TextAreaField("特記事項", validators=[DataRequired("特記事項を入力してください。"), Length(max=100_000)])
    privacy = TextAreaField("個人情報の取扱いに関する特則", validators=[
        DataRequired("個人情報の取扱いに関する特則を入力してください。"), Length(max=100_000)])
    version_note = StringField("この版で変えたこと", filters=[strip], validators=[
        DataRequired("この版で変えたことを入力してください。"), Length(max=500)])


    def condition_values(self) -> dict:
        return {name: getattr(self, name).data for name in CONDITION_FIELDS}


CONDITION_FIELDS = ("payment", "payment_days", "interest_day_count", "penalty_rounding", "penalty", "collusion",
                    "penalty_base", "long_term", "shift_holidays", "damages_cap", "defect", "subcontracting", "late_rate")


class ChangeForm(BaseForm):
    """変更契約 [000/002 第12条]: what changes (blank: unchanged), why, and the day of agreement."""

    ground = SelectField("変更の事由（第12条第1項）", choices=options([("", "（選択）")] + list(CHANGE_GROUNDS.items())),
                         validate_choice=False)
    amount_excl = YenField("変更後の契約金額（税抜・円）", description="変えない場合は空欄")
    period_from = DateField("変更後の契約期間（始期）", validators=[Optional()])
    period_to = DateField("変更後の契約期間（終期）", validators=[Optional()])
    reason = TextAreaField("変更の理由", filters=[strip], validators=[
        DataRequired("変更の理由を入力してください。"), Length(max=2000)])
    agreed_on = _date("合意の日（この日に効力を生じる）", "合意の日を入力してください。")


class DefectForm(BaseForm):
    """契約不適合の記録 [000/002 第9条; 004 １３．]."""

    found_on = _date("発見（認識）した日", "発見した日を入力してください。")
    description = TextAreaField("契約不適合の内容", filters=[strip], validators=[
        DataRequired("契約不適合の内容を入力してください。"), Length(max=4000)])
    remedy = SelectField("請求の内容", choices=options([("", "（選択）")] + list(REMEDIES.items())), validate_choice=False)


class DefectNoticeForm(BaseForm):
    notified_on = _date("受注者に通知した日", "通知した日を入力してください。")


class DefectResolveForm(BaseForm):
    resolved_on = _date("解決した日", "解決した日を入力してください。")
    resolution = TextAreaField("解決の内容", filters=[strip], validators=[
        DataRequired("解決の内容を入力してください。"), Length(max=4000)])


class SubcontractForm(BaseForm):
    """再委託・再請負の届出・承諾の申請."""

    name = StringField("再委託先の名称", filters=[strip], validators=[
        DataRequired("再委託先の名称を入力してください。"), Length(max=200)])
    address = StringField("再委託先の所在地", filters=[strip], validators=[
        DataRequired("再委託先の所在地を入力してください。"), Length(max=300)])
    scope = TextAreaField("再委託する業務の範囲（業務の一部）", filters=[strip], validators=[
        DataRequired("再委託する業務の範囲を入力してください。"), Length(max=4000)])
    amount = YenField("再委託の対価（円・税込、任意）")
    reason = TextAreaField("再委託の理由", filters=[strip], validators=[
        DataRequired("再委託の理由を入力してください。"), Length(max=4000)])


class SubcontractDecisionForm(BaseForm):
    decision = SelectField("決定", choices=options([("", "（選択）"), ("approve", "承諾する"), ("refuse", "承諾しない")]),
                           validate_choice=False)
    note = TextAreaField("理由・条件", filters=[strip], validators=[Length(max=2000)])


class ExtendForm(BaseForm):
    new_deadline = _date("延長後の提出期限", "延長後の期限を入力してください。")
    reason = TextAreaField("延長の理由", filters=[strip], validators=[
        DataRequired("延長の理由を入力してください。"), Length(max=2000)])


class LapseForm(BaseForm):
    lapse_reason = TextAreaField("失効の理由", filters=[strip], validators=[Length(max=2000)],
                           default=LAPSE_GROUND)


class SignForm(BaseForm):
    contract_number = StringField("契約番号", filters=[strip], validators=[
        DataRequired("契約番号を入力してください。"), Length(max=100)])
    signed_on = _date("締結日", "締結日を入力してください。")
    signed_file = MultipleFileField("記名押印した契約書（PDF、任意）")


class RuleForm(BaseForm):
    kind = SelectField("期限の定め方", choices=options([(k, rules.KIND_LABELS[k]) for k in rules.RULE_KINDS]))
    title = StringField("納入物件", filters=[strip], validators=[
        DataRequired("納入物件の名称を入力してください。"), Length(max=200)])
    on = DateField("期日（期日を定める場合）", validators=[Optional()])
    days = CountField("日数（契約日から・各月末日の後）", validators=[Optional()])
    day = CountField("日（四半期の翌月の何日まで）", validators=[Optional()])
    december_day = CountField("10〜12月分の日（翌年1月の何日まで、空欄なら同じ日）", validators=[Optional()])
    month = CountField("月（毎年度の期日）", validators=[Optional()])
    weeks = CountField("週数（障害復旧作業の後）", validators=[Optional()])
    fiscal_year_last_month_on_month_end = BooleanField("年度の最終月（3月）分は当該月の末日まで")

    def rule(self) -> rules.DueRule:
        return rules.DueRule(
            kind=self.kind.data, title=self.title.data or "", on=self.on.data, days=self.days.data, day=self.day.data,
            december_day=self.december_day.data, month=self.month.data, weeks=self.weeks.data,
            fiscal_year_last_month_on_month_end=bool(self.fiscal_year_last_month_on_month_end.data))


class IncidentForm(BaseForm):
    rule_id = SelectField("報告の定め", coerce=int, choices=[])
    incident_on = _date("障害復旧作業を終えた日（報告書の期限はこの日から数える）", "障害復旧作業を終えた日を入力してください。")


class DeliveryForm(BaseForm):
    """The delivery counts from today (the server's date); an earlier day needs a reason and an
    officer's confirmation."""

    files = MultipleFileField("納入物件のファイル（PDF・Word・Excel）")
    note = TextAreaField("備考（紙・媒体で納入したときはその内容）", filters=[strip], validators=[Length(max=2000)])
    earlier_on = DateField("本日より前に納入した場合の納入日", validators=[Optional()],
                           description="空欄なら本日（記録した日）の納入です。前の日にするには理由が必要で、職員の確認後に納入日となります。")
    reason = TextAreaField("前の日とする理由（紙で先に提出した等）", filters=[strip], validators=[Length(max=2000)])


class ClaimForm(BaseForm):
    decision = SelectField("申出の納入日", choices=options([("confirm", "認める（納入日とする）"), ("refuse", "認めない")]))


class InspectionForm(BaseForm):
    # No result is chosen for the inspector (issue 19): 合格 is a decision, not a default.
    result = SelectField("検査の結果", choices=options([("", "（選択してください）"), ("passed", "合格"),
                                                ("failed", "不合格（基準に適合しない事実を乙に通知）")]),
                         validators=[DataRequired("検査の結果（合格・不合格）を選んでください。")])
    inspected_on = _date("検査日", "検査日を入力してください。")
    findings = TextAreaField("所見（不合格のときは基準に適合しない事実の概要）", filters=[strip], validators=[Length(max=4000)])


class InvoiceForm(BaseForm):
    amount = YenField("請求金額（税込）", validators=[InputRequired("請求金額を入力してください。")])
    received_on = _date("適法な支払請求書を受理した日", "受理日を入力してください。")
    deliverable_id = SelectField("対象の納入物件（任意）", coerce=int, choices=[])


class PaymentForm(BaseForm):
    paid_on = _date("支払日", "支払日を入力してください。")


class PublishForm(BaseForm):
    published_on = _date("公表日", "公表日を入力してください。")


class CompleteForm(BaseForm):
    completed_on = _date("履行完了日", "完了日を入力してください。")


class InterestForm(BaseForm):
    """A calculator of 遅延利息 on an unpaid penalty (GET, nothing stored)."""

    class Meta:
        csrf = False

    principal = YenField("未払の違約金等", validators=[InputRequired("金額を入力してください。")])
    deadline = _date("支払期限（甲の指定する期間の末日）", "支払期限を入力してください。")
    paid_on = _date("支払日", "支払日を入力してください。")




class SettlementForm(BaseForm):
    """数量精算: the actual quantity of each unit-priced line (fields added per contract by
    :func:`settlement_form`), the day and a note."""

    settled_on = _date("精算の日", "精算の日を入力してください。")
    note = TextAreaField("備考（実績の根拠など）", filters=[strip], validators=[Length(max=2000)])

    def actual(self) -> dict[int, int]:
        return {int(name.removeprefix("line")): field.data for name, field in self._fields.items()
                if name.startswith("line") and field.data is not None}


def settlement_form(lines, **kwargs) -> SettlementForm:
    """The settlement form of a contract: one quantity per unit-priced line (index, BreakdownLine)."""

    class Form(SettlementForm):
        pass

    for index, line in lines:
        setattr(Form, f"line{index}", CountField(
            f"{line.item} の実績数量（予定 {line.quantity:,}{line.unit}、単価 {line.unit_price:,}円）",
            validators=[InputRequired(f"「{line.item}」の実績数量を入力してください。"),
                        NumberRange(0, line.quantity, f"「{line.item}」の実績数量は0〜{line.quantity:,}です。"
                                                      "予定を超える分は変更契約によってください。")]))
    return Form(prefix="settle", **kwargs)
