from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from tender.web.forms import BaseForm


class PassphraseForm(BaseForm):
    current = PasswordField("現在の開札用パスフレーズ（変更する場合）", validators=[Optional(), Length(max=128)])
    new = PasswordField("新しい開札用パスフレーズ", validators=[DataRequired("開札用パスフレーズを入力してください。"),
                                                        Length(max=128)],
                        description="12文字以上、英大文字・英小文字・数字・記号のうち3種類以上。ログインのパスワードとは別のもの。")
    confirm = PasswordField("新しい開札用パスフレーズ（確認）", validators=[
        DataRequired("確認のため、もう一度入力してください。"), EqualTo("new", "確認の入力が一致しません。")])


class ReplaceForm(BaseForm):
    password = PasswordField("ログインのパスワード（本人の確認）", validators=[DataRequired("ログインのパスワードを入力してください。")])
    new = PasswordField("新しい開札用パスフレーズ", validators=[DataRequired("開札用パスフレーズを入力してください。"),
                                                        Length(max=128)])
    confirm = PasswordField("新しい開札用パスフレーズ（確認）", validators=[
        DataRequired("確認のため、もう一度入力してください。"), EqualTo("new", "確認の入力が一致しません。")])
    understood = BooleanField("これまでの分割鍵が使えなくなることを理解しました",
                              validators=[DataRequired("内容を確認して、チェックを入れてください。")])
