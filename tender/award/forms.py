from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from tender.rules.bids import REBID_MINUTES
from tender.web.forms import BaseForm, CountField, options, strip


class GroundsForm(BaseForm):
    grounds = TextAreaField("決定の理由（根拠）", filters=[strip], validators=[
        DataRequired("決定の理由（根拠）を入力してください。"), Length(max=4000)])


class ConcludeForm(BaseForm):
    conclusion = SelectField("調査の結論", choices=options([
        ("passed", "契約の内容に適合した履行がされると認める（落札者とする）"),
        ("failed", "履行がされないおそれがある（落札者としない・次順位の者を検討）")]))
    findings = TextAreaField("調査の結果（入札理由・積算内訳・手持業務・履行体制・履行状況など）", filters=[strip], validators=[
        DataRequired("調査の結果を入力してください。"), Length(max=10000)])


class AwardLotteryForm(BaseForm):
    witness_name = StringField("くじの立会人", filters=[strip], validators=[
        DataRequired("立会人の氏名を入力してください。"), Length(max=100)])


class AwardRebidForm(GroundsForm):
    minutes = CountField("受付時間（分）", default=30, validators=[
        DataRequired("受付時間を入力してください。"),
        NumberRange(min=REBID_MINUTES[0], max=REBID_MINUTES[1],
                    message=f"受付時間は{REBID_MINUTES[0]}分から{REBID_MINUTES[1]}分の間で指定してください。")])


class DecideForm(GroundsForm):
    """The award's confirmation: the bid it restated, so that a standing that changed between the
    page and the button (an invalid bid, a lapse) is not decided for another company."""

    bid_id = HiddenField()
