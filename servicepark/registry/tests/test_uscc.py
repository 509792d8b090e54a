import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicepark.registry.uscc import UsccError, gb11714_check_char, make_uscc, validate_uscc

pytestmark = pytest.mark.smoke

VALID = make_uscc(org_type="social_service_agency", division_code="510107", rng=random.Random(1))


def test_generated_code_is_valid_for_its_type():
    assert validate_uscc(VALID, org_type="social_service_agency") == VALID


def test_gb11714_known_value():
    # The organization code inside python-stdnum's valid example 91110000600037341L.
    assert gb11714_check_char("60003734") == "1"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (VALID.lower(), "uscc_lowercase"),
        (VALID[:9] + " " + VALID[9:], "uscc_spaces"),
        (" " + VALID, "uscc_spaces"),
        (VALID[:-1], "uscc_length"),
        (VALID[:10] + "I" + VALID[11:], "uscc_letters"),
        (VALID[:10] + "O" + VALID[11:], "uscc_letters"),
        (VALID[:10] + "Z" + VALID[11:], "uscc_letters"),
        (VALID[:10] + "S" + VALID[11:], "uscc_letters"),
        (VALID[:10] + "V" + VALID[11:], "uscc_letters"),
    ],
)
def test_malformed_codes_are_named(value, code):
    with pytest.raises(UsccError) as err:
        validate_uscc(value)
    assert err.value.code == code
    assert err.value.message


def test_changed_character_breaks_checksum():
    broken = VALID[:12] + ("1" if VALID[12] != "1" else "2") + VALID[13:]
    with pytest.raises(UsccError) as err:
        validate_uscc(broken)
    assert err.value.code in {"uscc_checksum", "uscc_org_check"}


def test_valid_company_code_is_not_civil_affairs():
    # 91110000600037341L is python-stdnum's example of a valid (company) code.
    with pytest.raises(UsccError) as err:
        validate_uscc("91110000600037341L")
    assert err.value.code == "uscc_authority"


def test_inner_check_character_is_verified():
    from stdnum.cn import uscc as stdnum_uscc

    head = VALID[:16] + ("0" if VALID[16] != "0" else "1")
    forged = head + stdnum_uscc.calc_check_digit(head)  # outer checksum right, inner wrong
    with pytest.raises(UsccError) as err:
        validate_uscc(forged)
    assert err.value.code == "uscc_org_check"


def test_type_digit_must_match_org_type():
    foundation = make_uscc(org_type="foundation", division_code="110102", rng=random.Random(2))
    with pytest.raises(UsccError) as err:
        validate_uscc(foundation, org_type="social_group")
    assert err.value.code == "uscc_type"
    assert "3" in err.value.message


@given(
    st.sampled_from(["social_group", "social_service_agency", "foundation", "other"]),
    st.integers(min_value=0, max_value=2**32),
)
def test_every_generated_code_validates(org_type, seed):
    code = make_uscc(org_type=org_type, division_code="370103", rng=random.Random(seed))
    assert validate_uscc(code, org_type=org_type) == code
