"""パスワードの規則の検査。"""
import pytest

from tender.rules.passwords import MIN_LENGTH, password_problems

TOO_SHORT = "パスワードは12文字以上にしてください。"
TOO_LONG = "パスワードは128文字以下にしてください。"
CLASSES = "パスワードには英大文字・英小文字・数字・記号のうち3種類以上を含めてください。"
EMAIL = "パスワードにメールアドレスを含めないでください。"
LOCAL = "パスワードにメールアドレスの@より前の部分を含めないでください。"
REPEAT = "同じ文字を4文字以上続けないでください。"


def test_the_minimum_length_is_twelve():
    assert MIN_LENGTH == 12


@pytest.mark.parametrize(
    "password",
    [
        "Correct-Horse7",  # 大・小・数・記号
        "correcthorse7!",  # 小・数・記号
        "CORRECTHORSE7!",  # 大・数・記号
        "CorrectHorse7",  # 大・小・数
        "Correct-Horse-Battery",  # 大・小・記号
        "Qz7-riverTp9",  # ちょうど12文字
        "aaaBBB111!!!",  # 3連続までは可
        "Ab1" + "x" * 3 + "y" * 3 + "z" * 3 + "w" * 3 + "v" * 3 + "u" * 3,
        "Tender!" + "Ab1-" * 30 + "x",  # ちょうど128文字
        "パスワードAb1-xyz-Q",  # 日本語を含んでもよい
    ],
)
def test_acceptable_passwords_have_no_problems(password):
    assert len(password) <= 128
    assert password_problems(password) == []


@pytest.mark.parametrize(
    ("password", "problems"),
    [
        ("Abc12345678", [TOO_SHORT]),  # 11文字
        ("Ab1!", [TOO_SHORT]),
        ("", [TOO_SHORT, CLASSES]),
        ("abcdefghijkl", [CLASSES]),  # 小文字だけ
        ("abcdefghijk1", [CLASSES]),  # 小・数
        ("ABCDEFGHIJK1", [CLASSES]),  # 大・数
        ("abcdefGHIJKL", [CLASSES]),  # 大・小
        ("123456789012", [CLASSES]),
        ("!@#$%^&*()_+", [CLASSES]),
        ("abc def ghi 1", [CLASSES]),  # 空白は記号に数えない
        ("Abcd1111efgh", [REPEAT]),
        ("Abcd-efgh-zzzz9", [REPEAT]),
        ("AAAAbcdefg1!", [REPEAT]),
        ("Abcdefg1!!!!", [REPEAT]),
        ("aaaa", [TOO_SHORT, CLASSES, REPEAT]),
        ("Ab1-" * 33, [TOO_LONG]),  # 132文字
        ("Tender!" + "Ab1-" * 30 + "xy", [TOO_LONG]),  # 129文字
    ],
)
def test_each_broken_rule_is_reported_in_japanese(password, problems):
    assert password_problems(password) == problems


@pytest.mark.parametrize(
    ("password", "email", "problems"),
    [
        ("x-Taro.Yamada@Example.JP-9", "taro.yamada@example.jp", [EMAIL]),
        ("TARO.YAMADA@EXAMPLE.JP", "taro.yamada@example.jp", [CLASSES, EMAIL]),  # 大・記号のみ → 2種類
        ("MyTaro.Yamada-2026", "taro.yamada@example.jp", [LOCAL]),
        ("Secret-ABC-2026", "abc@example.jp", [LOCAL]),  # 3文字ちょうどの@より前の部分
        ("Secret-AB-20266", "ab@example.jp", []),  # 2文字は偶然の一致が多いので検査しない
        ("Secret-Horse-2026", "taro.yamada@example.jp", []),
        ("Secret-Horse-2026", None, []),
        ("Secret-Horse-2026", "", []),
        ("x-taro-9-Example", "taro@example.jp", [LOCAL]),
    ],
)
def test_the_email_address_and_its_local_part_are_not_allowed(password, email, problems):
    assert password_problems(password, email=email) == problems


@pytest.mark.parametrize(("password", "min_length", "problems"), [("Ab1-xyz", 8, [TOO_SHORT.replace("12", "8")]), ("Ab1-xyzwvuts", 8, []), ("Ab1-xyzwvuts", 16, [TOO_SHORT.replace("12", "16")])])
def test_the_minimum_length_can_be_changed(password, min_length, problems):
    assert password_problems(password, min_length=min_length) == problems


def test_a_password_that_breaks_every_rule_gets_every_message():
    password = "tarooooo" * 20  # 160文字、小文字だけ、oが5連続、@より前の部分を含む
    assert password_problems(password, email="taro@example.jp") == [TOO_LONG, CLASSES, LOCAL, REPEAT]


@pytest.mark.parametrize("bad", [None, 12345678901234, b"Correct-Horse7"])
def test_non_string_passwords_are_rejected(bad):
    with pytest.raises(TypeError):
        password_problems(bad)


@pytest.mark.parametrize("password", ["Password12345", "Qwertyuiop12", "Passw0rd!2026", "Iloveyou1234!"])
def test_common_and_keyboard_passwords_are_refused(password):
    """Issue 14: Password12345 and Qwertyuiop12 were accepted."""
    from tender.rules.passwords import COMMON_MESSAGE

    assert COMMON_MESSAGE in password_problems(password)


@pytest.mark.parametrize("password", ["Correct-Horse-42!", "Kaisatsu-Demo-2026!", "Only-I-Know-This-77"])
def test_uncommon_passwords_pass_the_estimator(password):
    assert password_problems(password) == []


def test_the_email_counts_as_known_to_an_attacker():
    from tender.rules.passwords import guessable

    assert guessable("Hanako.Tanaka2026", "hanako.tanaka@example.jp")
