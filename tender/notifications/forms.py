from wtforms import RadioField
from wtforms.validators import DataRequired

from tender.accounts.models import MailMode
from tender.web.forms import BaseForm, options


class MailSettingsForm(BaseForm):
    mode = RadioField("お知らせのメール", choices=options((m.value, m.label) for m in MailMode),
                      validators=[DataRequired("受け取り方を選んでください。")])
