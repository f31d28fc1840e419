from datetime import date

import pytest

from tender.rules.retention import add_years, is_due, retention_end


@pytest.mark.parametrize("d, years, expected", [
    (date(2027, 3, 31), 1, date(2028, 3, 31)),
    (date(2028, 2, 29), 1, date(2029, 2, 28)),
    (date(2028, 2, 29), 4, date(2032, 2, 29)),
    (date(2026, 12, 31), 5, date(2031, 12, 31)),
    (date(2026, 4, 1), 0, date(2026, 4, 1)),
])
def test_add_years(d, years, expected):
    assert add_years(d, years) == expected


@pytest.mark.parametrize("years", [-1, True, "1"])
def test_add_years_refuses_odd_counts(years):
    with pytest.raises(ValueError):
        add_years(date(2026, 1, 1), years)


def test_retention_runs_from_the_contract_end_else_the_cancellation():
    assert retention_end(date(2027, 3, 31), None, 1) == date(2028, 3, 31)
    assert retention_end(date(2027, 3, 31), date(2026, 6, 1), 1) == date(2028, 3, 31)
    assert retention_end(None, date(2026, 6, 1), 2) == date(2028, 6, 1)
    assert retention_end(None, None, 1) is None


def test_due_the_day_after_the_last_day():
    end = date(2028, 3, 31)
    assert not is_due(end, date(2028, 3, 31)) and is_due(end, date(2028, 4, 1)) and not is_due(None, date(2099, 1, 1))
