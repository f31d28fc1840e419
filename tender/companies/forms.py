from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp

from tender.companies.models import GRADES, REGIONS, QualificationCategory
from tender.rules.eligibility import CREDIT_EVENT_KINDS
from tender.rules.sme import INDUSTRY_CHOICES, LEGAL_FORM_CHOICES, PRINCIPAL_INDUSTRY_CHOICES
from tender.rules.wareki import format_wareki_fiscal_year
from tender.web.forms import (
    BaseForm,
    CountField,
    MultiCheckboxField,
    YenField,
    blank_to_none,
    corporate_number_validator,
    options,
    strip,
)

_required = DataRequired


class CompanyForm(BaseForm):
    name = StringField("商号又は名称", filters=[strip], validators=[_required("商号又は名称を入力してください。"), Length(max=200)])
    name_kana = StringField("商号又は名称（ふりがな）", filters=[blank_to_none], validators=[Optional(), Length(max=200)])
    corporate_number = StringField("法人番号", filters=[strip], validators=[corporate_number_validator],
                                   description="13桁の数字（チェックデジットを検証します）")
    postal_code = StringField("郵便番号", filters=[blank_to_none], validators=[
        Optional(), Regexp(r"^\d{3}-?\d{4}$", message="郵便番号は「123-4567」の形式で入力してください。")])
    address = StringField("所在地", filters=[strip], validators=[_required("所在地を入力してください。"), Length(max=300)])
    representative_title = StringField("代表者役職", filters=[strip], validators=[_required("代表者の役職を入力してください。"), Length(max=100)])
    representative_name = StringField("代表者氏名", filters=[strip], validators=[_required("代表者の氏名を入力してください。"), Length(max=100)])
    capital = YenField("資本金（円）", description="例：50,000,000。資本金のない法人は空欄")
    employees = CountField("従業員数（人）", validators=[Optional(), NumberRange(min=0, max=10_000_000)])
    industry = SelectField("業種（中小企業の判定区分）", choices=options(INDUSTRY_CHOICES))
    principal_industry = SelectField("主たる業種（組合・財団・社団法人・特定非営利活動法人などの場合）",
                                     choices=options([("", "（該当しない）")] + PRINCIPAL_INDUSTRY_CHOICES),
                                     filters=[blank_to_none], validate_choice=False)
    legal_form = SelectField("法人格", choices=options(LEGAL_FORM_CHOICES), default="corporation")
    phone = StringField("代表電話番号", filters=[blank_to_none], validators=[Optional(), Length(max=30)])
    fax = StringField("FAX番号", filters=[blank_to_none], validators=[Optional(), Length(max=30)])
    website = StringField("ウェブサイト", filters=[blank_to_none], validators=[
        Optional(), URL(message="URLの形式が正しくありません。"), Length(max=300)])


class CompanyProfileForm(CompanyForm):
    """What a company's own users may correct: everything but the 法人番号."""

    corporate_number = None


def fiscal_year_choices(center: int):
    return options((fy, format_wareki_fiscal_year(fy)) for fy in range(center - 6, center + 5))


class QualificationForm(BaseForm):
    category = SelectField("資格の種類", choices=options((c.value, c.label) for c in QualificationCategory))
    grade = SelectField("等級", choices=options((g, g) for g in GRADES))
    regions = MultiCheckboxField("競争参加地域", choices=options((r, r) for r in REGIONS))
    valid_from_fy = SelectField("有効期間（開始年度）", coerce=int)
    valid_to_fy = SelectField("有効期間（終了年度）", coerce=int)
    certificate_number = StringField("業者コード・通知書番号", filters=[blank_to_none], validators=[Optional(), Length(max=50)])
    pending = BooleanField("資格審査の申請中（結果の通知前。入札心得第9条により条件付きで入札できる）")
    granted_on = DateField("資格が認められた日（申請中だった資格の結果の通知日）", validators=[Optional()])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not self.regions.data:
            self.regions.errors.append("競争参加地域を1つ以上選択してください。")
            ok = False
        if ok and self.valid_to_fy.data < self.valid_from_fy.data:
            self.valid_to_fy.errors.append("終了年度は開始年度以降にしてください。")
            ok = False
        if ok and self.pending.data and self.granted_on.data is not None:
            self.granted_on.errors.append("申請中の資格には、認められた日を入れられません。申請中の印を外してください。")
            ok = False
        return ok


class SuspensionForm(BaseForm):
    issuer = StringField("措置機関", filters=[strip], validators=[_required("措置機関を入力してください。"), Length(max=200)])
    starts_on = DateField("停止期間（開始日）", validators=[_required("開始日を入力してください。")])
    ends_on = DateField("停止期間（終了日）", validators=[_required("終了日を入力してください。")])
    reason = TextAreaField("理由", filters=[strip], validators=[_required("理由を入力してください。"), Length(max=2000)])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors.append("終了日は開始日以降にしてください。")
            ok = False
        return ok


class CreditEventForm(BaseForm):
    """A fact on a company's finances or credit [000 応募要件(6)、002 2.(5)]."""

    kind = SelectField("事実の種類", choices=options([("", "（選択）")] + list(CREDIT_EVENT_KINDS.items())),
                       validators=[_required("事実の種類を選んでください。")])
    starts_on = DateField("発生した日（申立て・処分の日）", validators=[_required("発生した日を入力してください。")])
    ends_on = DateField("解消した日（この日まで悪化と扱う。未定なら空欄）", validators=[Optional()])
    reason = TextAreaField("内容・根拠", filters=[strip], validators=[_required("内容を入力してください。"), Length(max=2000)])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and self.ends_on.data is not None and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors.append("解消した日は発生した日以降にしてください。")
            ok = False
        return ok
