"""The base input form and fields shared by the domain packages.

WTForms ships Japanese messages; they are used for every built-in validator, and the
project's own validators speak Japanese too.
"""
from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, EmailField, HiddenField, IntegerField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tender.rules.calendar import JST, to_jst
from tender.rules.corporate_number import corporate_number_problem, normalize_corporate_number
from tender.rules.money import parse_yen
from tender.web import feedback
from tender.web.input import field_hooks


class BaseForm(FlaskForm):
    """Every input form: WTForms' Japanese messages, and one input layer for every field
    (``tender.web.input``): text in Unicode NFC with control characters and bidirectional overrides
    refused at the field, and dates within a plausible range."""

    class Meta:
        locales = ["ja_JP", "ja"]

        def bind_field(self, form, unbound_field, options):
            field_hooks(unbound_field)
            return super().bind_field(form, unbound_field, options)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A page holds many forms, each with its hidden token (and a ConfirmForm's hidden field): hidden
        # fields have no label to point at them and need no id, and ids must be unique in a page
        # (issue 19). WTForms leaves out an attribute set to False.
        for field in self:
            if field.type in ("HiddenField", "CSRFTokenField"):
                field.id = False
        feedback.restore(self)  # the form refused on the last POST takes back its values and errors

    def hidden_tag(self, *fields):
        """The hidden fields, and first the reason this form was refused, if it was (feedback.block)."""
        return feedback.block(self) + super().hidden_tag(*fields)


class ConfirmForm(BaseForm):
    """A button that only needs its CSRF token."""

    confirm = HiddenField(default="1")


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as select options."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    return value.strip() if isinstance(value, str) else value


def blank_to_none(value):
    value = strip(value)
    return value or None


#: Above any amount this application handles (1,000兆円), and within a BIGINT.
MAX_YEN = 10**15


class YenField(StringField):
    """Whole yen, typed with or without commas, ￥ or 円; kept as an int."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            value = parse_yen(valuelist[0])  # ValueError carries the Japanese message
            if value >= MAX_YEN:
                raise ValueError("金額が大きすぎます。桁数を確認してください。")
            self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:,}" if isinstance(self.data, int) else ""


class CountField(IntegerField):
    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            text = valuelist[0].strip().translate(_FULLWIDTH).replace(",", "")
            try:
                self.data = int(text)
            except ValueError as exc:
                self.data = None
                raise ValueError("整数で入力してください。") from exc
            if self.data < 0:
                raise ValueError("0以上の数を入力してください。")
        else:
            self.data = None


_FULLWIDTH = str.maketrans("０１２３４５６７８９，", "0123456789,")


def corporate_number_validator(form, field):
    problem = corporate_number_problem(field.data or "")
    if problem:
        raise ValidationError(problem)
    field.data = normalize_corporate_number(field.data)


corporate_number_validator.field_flags = {"required": True}


class JSTDateTimeField(DateTimeLocalField):
    """A date and time typed in Japan time, whatever the browser's zone; kept aware (UTC)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
                         **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        for fmt in self.strptime_format:
            try:
                self.data = datetime.strptime(text, fmt).replace(tzinfo=JST)
                return
            except ValueError:
                continue
        self.data = None
        raise ValueError("日時は「2026-04-01 17:00」の形式で入力してください。")

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return to_jst(self.data).strftime("%Y-%m-%dT%H:%M") if self.data else ""


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        allowed = {str(choice.value) for choice in self.choices}
        if any(str(value) not in allowed for value in self.data or []):
            raise ValidationError("選択肢が正しくありません。")


class ContactForm(BaseForm):
    name = StringField("氏名", filters=[strip], validators=[DataRequired("氏名を入力してください。"), Length(max=100)])
    title = StringField("所属・役職", filters=[blank_to_none], validators=[Optional(), Length(max=100)])
    phone = StringField("電話番号", filters=[blank_to_none], validators=[Optional(), Length(max=30)])
    email = EmailField("メールアドレス", filters=[blank_to_none], validators=[
        Optional(), Email("メールアドレスの形式が正しくありません。", check_deliverability=False)])
