"""What people type into forms, read one way everywhere: bad values get a message, not a 500."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from servicepark.common.inputs import choice_id, iso_date, local_datetime, whole_number


def message(call) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return " ".join(caught.value.messages)


def test_dates_are_read_and_bounded(english):
    assert iso_date(" 2026-03-01 ") == dt.date(2026, 3, 1)
    assert message(lambda: iso_date("2026-02-30")) == "Give the date as YYYY-MM-DD."
    assert message(lambda: iso_date("")) == "Give the date as YYYY-MM-DD."
    early, late = dt.date(2020, 1, 1), dt.date(2030, 12, 31)
    assert iso_date("2020-01-01", earliest=early, latest=late) == early
    assert message(lambda: iso_date("1900-01-01", earliest=early)) == (
        "1900-01-01 is too early: give a date from 2020-01-01 on."
    )
    assert message(lambda: iso_date("2999-01-01", latest=late)) == (
        "2999-01-01 is too late: give a date up to 2030-12-31."
    )


def test_times_are_beijing_time_and_bounded(english):
    moment = local_datetime("2026-12-09T14:00")
    assert moment.utcoffset() == dt.timedelta(hours=8)
    assert moment == dt.datetime(2026, 12, 9, 6, 0, tzinfo=dt.UTC)
    for bad in ("2026-13-45T99:99", "2026-02-30T10:00", "tomorrow", None):
        assert message(lambda bad=bad: local_datetime(bad)) == (
            "Give the date and time as YYYY-MM-DD HH:MM."
        )
    latest = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert "too late" in message(lambda: local_datetime("2999-01-01T10:00", latest=latest))


def test_numbers_and_choices_refuse_what_is_not_one():
    for bad in ("abc", "1e309", "-1", "99999999999999999999", "", None, "2.5"):
        assert (
            message(lambda bad=bad: whole_number(bad, minimum=0, maximum=10**6, message="n")) == "n"
        )
    assert whole_number(" 40 ", minimum=0, maximum=500, message="n") == 40
    assert choice_id("17", "pick") == 17
    for bad in ("__bogus_option__", "0", "", "abc"):
        assert message(lambda bad=bad: choice_id(bad, "pick")) == "pick"
