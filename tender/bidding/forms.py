from flask_wtf.file import FileField
from wtforms import HiddenField, PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tender.rules.bids import InvalidGround
from tender.web.forms import BaseForm, CountField, options, strip

_NOT_SEALED = "入札書が封印（暗号化）されていません。JavaScript を有効にしたブラウザで、この画面から提出してください。"


class BidForm(BaseForm):
    """What a bid sends: the envelope the browser sealed, its fingerprint and the ticket it is bound
    to — never an amount, a 内訳 or a くじ番号 (static/js/seal-bid.js fills these fields)."""

    ticket = HiddenField(validators=[DataRequired("入札画面を開き直して、もう一度提出してください。")])
    sealed_bid = HiddenField(validators=[DataRequired(_NOT_SEALED), Length(max=200_000, message=_NOT_SEALED)])
    fingerprint = HiddenField(validators=[DataRequired(_NOT_SEALED), Length(max=64, message=_NOT_SEALED)])
    power_of_attorney = FileField("委任状（代理人が入札する場合・PDF）")


def _passphrase(what: str) -> PasswordField:
    """The official's opening passphrase, labelled with the step it is for (several can share a page)."""
    return PasswordField(f"開札用パスフレーズ（{what}）", validators=[
        DataRequired("開札用パスフレーズを入力してください。"), Length(max=128)],
        description="ログインのパスワードとは別の、あなただけが知るパスフレーズ。サーバには保存されていません。")


class PassphraseMixin:
    passphrase = _passphrase("開札の確認")


class OpeningRequestForm(PassphraseMixin, BaseForm):
    passphrase = _passphrase("開札の請求")
    witness_kind = SelectField("立会人の区分", choices=options([
        ("bidder", "入札者（またはその代理人）"), ("staff", "入札事務に関係のない職員")]))
    witness_user_id = SelectField("立会人（職員の場合）", coerce=int, validate_choice=False)
    witness_name = StringField("立会人の氏名（入札者の場合）", filters=[strip], validators=[Optional(), Length(max=100)])
    attendees = SelectMultipleField("開札に立ち会った入札者", coerce=int, widget=ListWidget(prefix_label=False),
                                    option_widget=CheckboxInput(), validate_choice=False)


class ConfirmOpeningForm(PassphraseMixin, BaseForm):
    pass


class ReleaseProposalsForm(PassphraseMixin, BaseForm):
    passphrase = _passphrase("提案書の開封")



class InvalidForm(BaseForm):
    ground = SelectField("無効の理由（入札心得第11条）", choices=options((g.value, f"第{i + 1}号 {g.label}")
                                                          for i, g in enumerate(InvalidGround)))
    reason = TextAreaField("具体的な理由（入札者に示されます）", filters=[strip],
                           validators=[DataRequired("無効とする理由を入力してください。"), Length(max=2000)])


class OfficialsForm(BaseForm):
    """The current officials' passphrases are added per person (tender.bidding.routes._officials_form)."""

    officials = SelectMultipleField("新しい開札担当職員", coerce=int, widget=ListWidget(prefix_label=False),
                                    option_widget=CheckboxInput())
    threshold = CountField("開封に必要な人数", default=2, validators=[DataRequired("人数を入力してください。"),
                                                              NumberRange(min=2, max=20)])
