from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from tender.rules.conditions import PRESET_LABELS
from tender.web.forms import BaseForm, ContactForm, blank_to_none, options, strip


class AuthorityForm(BaseForm):
    name = StringField("機関名", filters=[strip], validators=[DataRequired("機関名を入力してください。"), Length(max=200)])
    contracting_officer = StringField("契約担当役（役職・氏名）", filters=[blank_to_none], validators=[Optional(), Length(max=200)])
    postal_code = StringField("郵便番号", filters=[blank_to_none], validators=[
        Optional(), Regexp(r"^\d{3}-?\d{4}$", message="郵便番号は「123-4567」の形式で入力してください。")])
    address = StringField("所在地", filters=[blank_to_none], validators=[Optional(), Length(max=300)])
    preset = SelectField("契約の条件の型（新しい契約書（案）がこの文書の条件から始まる）",
                         choices=options(PRESET_LABELS.items()), default="ipa")


class DepartmentForm(BaseForm):
    name = StringField("部署名", filters=[strip], validators=[DataRequired("部署名を入力してください。"), Length(max=200)])
    phone = StringField("電話番号", filters=[blank_to_none], validators=[Optional(), Length(max=30)])
    email = EmailField("メールアドレス", filters=[blank_to_none], validators=[
        Optional(), Email("メールアドレスの形式が正しくありません。", check_deliverability=False)])


DepartmentContactForm = ContactForm
