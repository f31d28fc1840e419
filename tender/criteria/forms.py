"""The 評価項目一覧 editor's forms."""
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from tender.rules.criteria import KINDS, SECTIONS
from tender.rules.evaluation import LOW_BID_RATIO_SERVICES
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
                        validators=[Optional(), Length(max=1000)],
                        description="行動計画の策定は action_plan（常時雇用する労働者300人以下の事業主に限り加点［002 VI 3.3 ※3］）")
    mandatory_attachment = BooleanField("添付資料：必須（頁番号の記入を求める）")

    def validate_table(self, field) -> None:
        self.parsed_table()

    def parsed_table(self) -> dict[str, int] | None:
        """The table as typed; a malformed one fails the form's validation (ValidationError)."""
        if not self.table.data:
            return None
        out: dict[str, int] = {}
        for part in self.table.data.replace("，", ",").split(","):
            code, _, value = part.partition("=")
            if not code.strip() or not value.strip().isdigit():
                raise ValidationError("認定の得点表は「コード=点数」をカンマで区切って入力してください。")
            out[code.strip()] = int(value.strip())
        return out


class AllocationForm(BaseForm):
    technical_points = CountField("技術点の配分", validators=[DataRequired("技術点の配分を入力してください。"),
                                                         NumberRange(min=1, max=10000)])
    price_points = CountField("価格点の配分", validators=[DataRequired("価格点の配分を入力してください。"),
                                                     NumberRange(min=1, max=10000)])
    low_bid = SelectField("調査基準価格（入札心得第13条）", choices=options([
        (LOW_BID_RATIO_SERVICES, "請負契約（工事以外）：予定価格×10分の6"), ("", "適用しない（請負契約でない）")]))


class RanksForm(BaseForm):
    ranks = StringField("S/A/B/C の得点（例：S=20, A=12, B=5, C=0。空欄で評価手順書の表）", filters=[blank_to_none],
                        validators=[Optional(), Length(max=200)])

    def validate_ranks(self, field) -> None:
        self.parsed()

    def parsed(self) -> dict[str, int] | None:
        """The table as typed; a malformed one fails the form's validation (ValidationError)."""
        if not self.ranks.data:
            return None
        out: dict[str, int] = {}
        for part in self.ranks.data.replace("，", ",").replace("、", ",").split(","):
            code, _, value = part.partition("=")
            code, value = code.strip().upper(), value.strip()
            if code not in ("S", "A", "B", "C") or not value.isdigit():
                raise ValidationError("得点表は「S=20, A=12, B=5, C=0」のように入力してください。")
            out[code] = int(value)
        return out
