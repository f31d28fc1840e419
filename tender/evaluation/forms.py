from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tender.rules.criteria import KINDS, SECTIONS
from tender.web.forms import BaseForm, CountField, blank_to_none, options, strip


class CriterionForm(BaseForm):
    section = SelectField("区分", choices=options(SECTIONS.items()))
    item_id = StringField("項目番号", filters=[strip], validators=[DataRequired("項目番号を入力してください。"),
                                                              Length(max=20)])
    major = StringField("大項目", filters=[strip], validators=[Length(max=200)])
    middle = StringField("中項目", filters=[strip], validators=[Length(max=200)])
    title = TextAreaField("要求内容", filters=[strip], validators=[DataRequired("要求内容を入力してください。"),
                                                               Length(max=2000)])
    kind = SelectField("提案要求事項の種類", choices=options(KINDS.items()))
    points = CountField("配点", default=5, validators=[Optional(), NumberRange(min=0, max=1000)])
    table = StringField("認定の得点表（認定項目のみ。例：platinum_eruboshi=9, youth_yell=6）", filters=[blank_to_none],
                        validators=[Optional(), Length(max=1000)])
    mandatory_attachment = BooleanField("添付資料：必須（頁番号の記入を求める）")

    def parsed_table(self) -> dict[str, int] | None:
        if not self.table.data:
            return None
        out: dict[str, int] = {}
        for part in self.table.data.replace("，", ",").split(","):
            code, _, value = part.partition("=")
            if not code.strip() or not value.strip().isdigit():
                raise ValueError("認定の得点表は「コード=点数」をカンマで区切って入力してください。")
            out[code.strip()] = int(value.strip())
        return out
