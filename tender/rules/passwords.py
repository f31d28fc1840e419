"""パスワードの強さの規則。

利用者に示す理由は日本語で、受け入れられるときは空のリストを返す。
"""
from __future__ import annotations

from zxcvbn import zxcvbn

__all__ = ["MIN_LENGTH", "MAX_LENGTH", "password_problems", "guessable", "COMMON_MESSAGE"]

MIN_LENGTH = 12
# 上限はハッシュ計算の負荷を抑えるため（長すぎる入力による負荷攻撃の防止）。
MAX_LENGTH = 128
# 同じ文字の連続はこの数まで許す（「aaa」は可、「aaaa」は不可）。
_MAX_RUN = 3
# メールアドレスの@より前の部分は、これより短いと偶然の一致が多いので検査しない。
_MIN_LOCAL_PART = 3
_MIN_CLASSES = 3


def _character_classes(password: str) -> int:
    has_upper = any(c.isupper() for c in password)
    has_lower = any(c.islower() for c in password)
    has_digit = any(c.isdigit() for c in password)
    # 記号＝英数字でも空白でもない文字。
    has_symbol = any(not c.isalnum() and not c.isspace() for c in password)
    return sum((has_upper, has_lower, has_digit, has_symbol))


def _longest_run(password: str) -> int:
    longest = run = 0
    previous: str | None = None
    for c in password:
        run = run + 1 if c == previous else 1
        previous = c
        longest = max(longest, run)
    return longest


def password_problems(password: str, *, email: str | None = None, min_length: int = MIN_LENGTH) -> list[str]:
    """パスワードの問題点を日本語で列挙する（問題がなければ空のリスト）。

    規則：min_length 文字以上 128 文字以下、英大文字・英小文字・数字・記号のうち3種類以上、
    メールアドレス（および3文字以上ならその@より前の部分）を大文字小文字を問わず含まない、
    同じ文字を4文字以上続けない。
    """
    if not isinstance(password, str):
        raise TypeError("パスワードは文字列で指定してください。")
    if isinstance(min_length, bool) or not isinstance(min_length, int):
        raise TypeError("最小文字数は整数で指定してください。")
    if not 1 <= min_length <= MAX_LENGTH:
        raise ValueError(f"最小文字数は1以上{MAX_LENGTH}以下で指定してください。")

    problems: list[str] = []
    if len(password) < min_length:
        problems.append(f"パスワードは{min_length}文字以上にしてください。")
    if len(password) > MAX_LENGTH:
        problems.append(f"パスワードは{MAX_LENGTH}文字以下にしてください。")
    if _character_classes(password) < _MIN_CLASSES:
        problems.append("パスワードには英大文字・英小文字・数字・記号のうち3種類以上を含めてください。")

    if email:
        folded = password.casefold()
        address = email.strip().casefold()
        local_part = address.rpartition("@")[0] if "@" in address else address
        if address and address in folded:
            problems.append("パスワードにメールアドレスを含めないでください。")
        elif len(local_part) >= _MIN_LOCAL_PART and local_part in folded:
            problems.append("パスワードにメールアドレスの@より前の部分を含めないでください。")

    if _longest_run(password) > _MAX_RUN:
        problems.append(f"同じ文字を{_MAX_RUN + 1}文字以上続けないでください。")
    if not problems and len(password) <= MAX_LENGTH and guessable(password, email):
        problems.append(COMMON_MESSAGE)
    return problems


COMMON_MESSAGE = ("よく使われるパスワードや推測しやすい組み合わせ（単語・キーボードの並び・連番など）に近いため、"
                  "使えません。別のパスワードにしてください。")
#: zxcvbn's score (0–4) below which a password is refused: 3 is "safely unguessable: moderate
#: protection from offline slow-hash scenario" — what Argon2 at OWASP's parameters is.
MIN_SCORE = 3


def guessable(password: str, email: str | None = None) -> bool:
    """Whether zxcvbn (Dropbox's estimator, with its lists of common passwords, words and
    keyboard patterns) scores the password below MIN_SCORE; the e-mail counts as known to an attacker."""
    hints = [email] + email.split("@") if email else []
    # zxcvbn reads at most 72 characters; a longer password is judged by its beginning.
    return zxcvbn(password[:72], user_inputs=[h for h in hints if h])["score"] < MIN_SCORE
