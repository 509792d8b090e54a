"""Unified Social Credit Codes of civil-affairs organizations (GB 32100-2015).

python-stdnum checks length, alphabet and the final mod-31 character. On top of it we check the
inner GB 11714 organization-code check character (position 17), that the registration authority
is civil affairs (`5`) and that the type digit matches the organization type.
"""

from __future__ import annotations

import random

from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CIVIL_AFFAIRS = "5"
GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# GB 11714 values: digits 0-9, letters A-Z as 10-35.
_VALUE = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
TYPE_DIGIT = {"social_group": "1", "social_service_agency": "2", "foundation": "3", "other": "9"}

MESSAGES = {
    "uscc_spaces": _("The code must not contain spaces."),
    "uscc_lowercase": _("The code must use capital letters only."),
    "uscc_length": _("The code must have exactly 18 characters."),
    "uscc_letters": _(
        "The code may only use digits and capital letters other than I, O, S, V and Z."
    ),
    "uscc_checksum": _("The last character (check character) does not match the rest of the code."),
    "uscc_org_check": _("The 17th character (organization-code check) does not match."),
    "uscc_authority": _("This is not a civil-affairs code: the first character must be 5."),
    "uscc_type": _(
        "The second character (%(digit)s) does not match the organization type (%(expected)s)."
    ),
}


class UsccError(ValueError):
    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        text = str(MESSAGES[self.code])
        return text % self.params if self.params else text


def gb11714_check_char(body: str) -> str:
    """Check character of an 8-character organization-code body."""
    total = sum(_VALUE[c] * w for c, w in zip(body, GB11714_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def validate_uscc(value: str, *, org_type: str | None = None) -> str:
    """Return the code if valid for a civil-affairs organization of `org_type`, else raise."""
    if value != value.strip() or " " in value or "\u3000" in value:
        raise UsccError("uscc_spaces")
    if value != value.upper():
        raise UsccError("uscc_lowercase")
    if len(value) != 18:
        raise UsccError("uscc_length")
    if any(c not in ALPHABET for c in value):
        raise UsccError("uscc_letters")
    try:
        stdnum_uscc.validate(value)
    except InvalidChecksum:
        raise UsccError("uscc_checksum") from None
    except InvalidLength:
        raise UsccError("uscc_length") from None
    except ValidationError:
        raise UsccError("uscc_letters") from None
    if value[0] != CIVIL_AFFAIRS:
        raise UsccError("uscc_authority")
    if value[16] != gb11714_check_char(value[8:16]):
        raise UsccError("uscc_org_check")
    if org_type is not None and value[1] != TYPE_DIGIT.get(org_type, value[1]):
        raise UsccError("uscc_type", digit=value[1], expected=TYPE_DIGIT[org_type])
    return value


def make_uscc(*, org_type: str, division_code: str, rng: random.Random) -> str:
    """A checksum-valid fictional civil-affairs code (demo and benchmark data)."""
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    head = CIVIL_AFFAIRS + TYPE_DIGIT[org_type] + division_code[:6] + body
    head += gb11714_check_char(body)
    return head + stdnum_uscc.calc_check_digit(head)
