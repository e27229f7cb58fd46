"""Plain rules about cadres: the citizen ID check and derived service years."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from cadrecare.org.choices import Gender, UnitKind

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CODES = "10X98765432"


def citizen_id_problem(number: str) -> str | None:
    """Why an 18-digit citizen ID number (GB 11643) is invalid, or None if it is valid."""
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return _("身份证号应为18位，前17位为数字，最后一位为数字或大写X。")
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK_CODES[total % 11] != number[17]:
        return _("身份证号校验位不正确，请核对。")
    if birth_date_in_id(number) is None:
        return _("身份证号中的出生日期无效。")
    return None


def birth_date_in_id(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def gender_in_id(number: str) -> str:
    return Gender.MALE if int(number[16]) % 2 else Gender.FEMALE


def citizen_id_check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CODES[total % 11]


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - int((day.month, day.day) < (birth_date.month, birth_date.day))


def remote_service_years(periods: Sequence[tuple[dt.date, dt.date, str, bool]]) -> float:
    """Years served in remote townships, from (start, end, unit kind, unit is remote) periods."""
    days = sum(
        (end - start).days
        for start, end, kind, remote in periods
        if remote and kind == UnitKind.TOWNSHIP and end > start
    )
    return round(days / 365.25, 1)


def citizen_id_compose(region: str, birth_date: dt.date, sequence: int, gender: str) -> str:
    """A well-formed citizen ID for demo and test data: 6-digit region, birth
    date, a sequence whose last digit carries the gender, and the check digit."""
    seq = (sequence * 2 + (1 if gender == Gender.MALE else 0)) % 1000
    first17 = f"{region}{birth_date:%Y%m%d}{seq:03d}"
    return first17 + citizen_id_check_digit(first17)
