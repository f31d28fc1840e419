from flask_wtf.file import FileField
from wtforms import FieldList, FormField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tender.rules.bids import BreakdownLine, InvalidGround
from tender.web.forms import BaseForm, CountField, YenField, blank_to_none, options, strip


class BreakdownLineForm(BaseForm):
    """One line of the 入札内訳書: a lump sum (1 式) or unit price × quantity."""

    class Meta:
        csrf = False

    item = StringField("項目", filters=[blank_to_none], validators=[Optional(), Length(max=200)])
    quantity = CountField("数量", default=1, validators=[Optional(), NumberRange(min=1, max=10_000_000)])
    unit = StringField("単位", default="式", filters=[blank_to_none], validators=[Optional(), Length(max=10)])
    unit_price = YenField("単価（円）")

    def value(self) -> BreakdownLine | None:
        if not self.item.data:
            return None
        return BreakdownLine(self.item.data, self.quantity.data or 1, self.unit.data or "式", self.unit_price.data or 0)


class BidForm(BaseForm):
    amount = YenField("入札金額（消費税抜き・円）", validators=[DataRequired("入札金額を入力してください。")],
                      description="見積もった契約金額の110分の100に相当する金額（入札心得第5条）。")
    lottery_number = StringField("くじ番号（3桁）", filters=[strip], validators=[
        DataRequired("くじ番号を入力してください。")], description="同価格の入札があった場合の電子くじに使います。入札書とともに封印されます。")
    lines = FieldList(FormField(BreakdownLineForm), min_entries=5, max_entries=30)
    power_of_attorney = FileField("委任状（代理人が入札する場合・PDF）")

    def breakdown(self) -> list[BreakdownLine]:
        return [v for v in (entry.form.value() for entry in self.lines) if v]


class OpeningRequestForm(BaseForm):
    witness_kind = SelectField("立会人の区分", choices=options([
        ("bidder", "入札者（またはその代理人）"), ("staff", "入札事務に関係のない職員")]))
    witness_name = StringField("立会人の氏名", filters=[strip], validators=[
        DataRequired("立会人の氏名を入力してください。"), Length(max=100)])
    attendees = SelectMultipleField("開札に立ち会った入札者", coerce=int, widget=ListWidget(prefix_label=False),
                                    option_widget=CheckboxInput(), validate_choice=False)


class InvalidForm(BaseForm):
    ground = SelectField("無効の理由（入札心得第11条）", choices=options((g.value, f"第{i + 1}号 {g.label}")
                                                          for i, g in enumerate(InvalidGround)))
    reason = TextAreaField("具体的な理由（入札者に示されます）", filters=[strip],
                           validators=[DataRequired("無効とする理由を入力してください。"), Length(max=2000)])


class RebidForm(BaseForm):
    minutes = CountField("受付時間（分）", default=30, validators=[DataRequired("受付時間を入力してください。"),
                                                           NumberRange(min=5, max=1440)])


class LotteryForm(BaseForm):
    witness_name = StringField("くじの立会人", filters=[strip], validators=[
        DataRequired("立会人の氏名を入力してください。"), Length(max=100)])
