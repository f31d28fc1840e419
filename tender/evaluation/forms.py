from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from tender.web.forms import BaseForm, options, strip


class AssignForm(BaseForm):
    evaluator = SelectField("審査員", coerce=int, validate_choice=False)
    chair = BooleanField("審査委員長とする（合議を記録し、確定する）")


class DeclareForm(BaseForm):
    # No answer is chosen for the evaluator (issue 19): a declaration is made, not defaulted.
    conflict = SelectField("申告", choices=options([
        ("", "（選択してください）"), ("no", "いずれの入札者とも利害関係はありません"),
        ("yes", "利害関係があります（審査を辞退します）")]),
        validators=[DataRequired("利害関係の有無を選んでください。")])
    detail = TextAreaField("利害関係の内容（ある場合）", filters=[strip], validators=[Length(max=2000)])


class HearingForm(BaseForm):
    bid = SelectField("提案者", coerce=int, validate_choice=False)
    text = TextAreaField("ヒアリングの記録", filters=[strip], validators=[
        DataRequired("ヒアリングの記録を入力してください。"), Length(max=10000)])
    upload = FileField("資料（PDF/DOCX/XLSX・任意）")


