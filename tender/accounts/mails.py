"""The account mails: an invitation to set the first password, and a password reset link."""
from __future__ import annotations

from flask import url_for

from tender.accounts.models import ResetPurpose, User
from tender.mail.operations import public_url, send


def _link(token: str) -> str:
    return public_url(url_for("accounts.reset_password", token=token))


def send_password_link(user: User, token: str, purpose: str) -> None:
    link = _link(token)
    if purpose == ResetPurpose.INVITATION:
        subject = "【tender 電子調達】アカウントのご案内"
        body = (f"{user.name} 様\n\ntender 電子調達システムのアカウントが作成されました。\n"
                f"次のリンクから、ご自身でパスワードを設定してください（3日間有効、1回限り）。\n\n{link}\n\n"
                f"ログインに使うメールアドレス：{user.email}\n\n"
                "心当たりがない場合は、このメールを破棄してください。\n")
    else:
        subject = "【tender 電子調達】パスワードの再設定"
        body = (f"{user.name} 様\n\nパスワードの再設定の依頼を受け付けました。\n"
                f"次のリンクから、新しいパスワードを設定してください（24時間有効、1回限り）。\n\n{link}\n\n"
                "心当たりがない場合は、このメールを破棄してください。パスワードは変更されません。\n")
    send(user.email, subject, body, sensitive=True)


def send_failures_notice(user: User, count: int) -> None:
    """Tell the owner that log-ins to the account keep failing (the account itself stays open)."""
    send(user.email, "【tender 電子調達】ログインの失敗が続いています",
         f"{user.name} 様\n\nあなたのアカウントへのログインが{count}回続けて失敗しました。\n"
         "ご自身の入力誤りでなければ、第三者がパスワードを推測しようとしている可能性があります。"
         "アカウントはロックしていません（失敗した接続元からの試行だけを遅らせています）。\n"
         "心配な場合はパスワードを変更してください。\n")
