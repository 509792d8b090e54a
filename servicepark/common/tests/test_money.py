"""One parser for amounts of yuan, used by catalogues, calls, applications and the optimiser."""

from decimal import Decimal

import pytest
from django.utils import translation

from servicepark.common.money import AmountError, parse_yuan

pytestmark = pytest.mark.smoke


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("80000.00", Decimal("80000.00")),
        (" 5 ", Decimal("5.00")),
        (12, Decimal("12.00")),
        (Decimal("0.10"), Decimal("0.10")),
        ("0", Decimal("0.00")),
    ],
)
def test_good_amounts(raw, value):
    assert parse_yuan(raw) == value


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        (1.5, "numbers"),
        (True, "numbers"),
        (None, "numbers"),
        ("abc", "not an amount"),
        ("-1", "negative"),
        ("1.001", "two decimal"),
        ("1e20", "too large"),
        ("NaN", "not an amount"),
        ("Infinity", "not an amount"),
    ],
)
def test_bad_amounts_are_explained(raw, needle):
    with translation.override("en"), pytest.raises(AmountError) as err:
        parse_yuan(raw)
    assert needle in err.value.message
