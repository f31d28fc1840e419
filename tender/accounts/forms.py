from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from tender.accounts.models import Role
from tender.accounts.tokens import LIFETIMES, SCOPES
from tender.web.forms import BaseForm, MultiCheckboxField, blank_to_none, options, strip


class LoginForm(BaseForm):
    email = EmailField("メールアドレス", filters=[strip],
                       validators=[DataRequired("メールアドレスを入力してください。"), Length(max=254)])
    password = PasswordField("パスワード", validators=[DataRequired("パスワードを入力してください。")])


class ProfileForm(BaseForm):
    name = StringField("氏名", filters=[strip], validators=[DataRequired("氏名を入力してください。"), Length(max=100)])
    title = StringField("役職", filters=[blank_to_none], validators=[Optional(), Length(max=100)])
    phone = StringField("電話番号", filters=[blank_to_none], validators=[Optional(), Length(max=30)])
    email = EmailField("メールアドレス（ログイン名・パスワード再設定の宛先）", filters=[strip], validators=[
        DataRequired("メールアドレスを入力してください。"),
        Email("メールアドレスの形式が正しくありません。", check_deliverability=False), Length(max=254)])
    password = PasswordField("現在のパスワード（メールアドレスを変えるときに必要）", validators=[Optional()])


class PasswordChangeForm(BaseForm):
    current = PasswordField("現在のパスワード", validators=[DataRequired("現在のパスワードを入力してください。")])
    new = PasswordField("新しいパスワード", validators=[DataRequired("新しいパスワードを入力してください。")],
                        description="12文字以上で、英大文字・英小文字・数字・記号のうち3種類以上を含めてください。")
    confirm = PasswordField("新しいパスワード（確認）",
                            validators=[EqualTo("new", "確認用のパスワードが一致しません。")])


class UserForm(BaseForm):
    email = EmailField("メールアドレス", filters=[strip], validators=[
        DataRequired("メールアドレスを入力してください。"),
        Email("メールアドレスの形式が正しくありません。", check_deliverability=False), Length(max=254)])
    name = StringField("氏名", filters=[strip], validators=[DataRequired("氏名を入力してください。"), Length(max=100)])
    role = SelectField("役割", choices=options((r.value, r.label) for r in Role))
    title = StringField("役職", filters=[blank_to_none], validators=[Optional(), Length(max=100)])
    phone = StringField("電話番号", filters=[blank_to_none], validators=[Optional(), Length(max=30)])
    company_id = SelectField("所属事業者（入札参加者のみ）", coerce=int, validate_choice=True)
    acts_as_agent = BooleanField("代理人として行動する（委任状により）")
    department_id = SelectField("所属部署（調達担当者のみ）", coerce=int, validate_choice=True)
    active = BooleanField("有効（ログインを許可する）", default=True)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.role.data == Role.BIDDER.value and not self.company_id.data:
            self.company_id.errors.append("入札参加者には所属事業者を選択してください。")
            ok = False
        return ok


class ForgotForm(BaseForm):
    email = EmailField("メールアドレス", filters=[strip],
                       validators=[DataRequired("メールアドレスを入力してください。"), Length(max=254)])


class ResetForm(BaseForm):
    new = PasswordField("新しいパスワード", validators=[DataRequired("新しいパスワードを入力してください。"), Length(max=128)],
                        description="12文字以上で、英大文字・英小文字・数字・記号のうち3種類以上を含めてください。")
    confirm = PasswordField("新しいパスワード（確認）",
                            validators=[EqualTo("new", "確認用のパスワードが一致しません。")])


class ApiTokenForm(BaseForm):
    """A new API token (issue 21): what it is for, what it may read, how long it lives."""

    name = StringField("名前（どのシステムで使うか）", filters=[strip],
                       validators=[DataRequired("トークンの名前を入力してください。"), Length(max=100)])
    scopes = MultiCheckboxField("許可する範囲", choices=[], validators=[DataRequired("許可する範囲を一つ以上選んでください。")])
    days = SelectField("有効期間", coerce=int, choices=[], default=90)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes.choices = options(SCOPES.items())
        self.days.choices = options((d, f"{d}日") for d in LIFETIMES)
