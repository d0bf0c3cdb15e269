"""String formats (DESIGN 2.1 `format:`): one written grammar per format, for every judge.

Each format is a regular expression over ASCII (`PATTERNS`, written in the common subset
of Python `re`, Go RE2 and PCRE: no lookaround, no backreferences, matched against the
whole value) plus, for a few formats, a small numeric check the grammar cannot say
(`calendar_ok`, `lengths_ok`). The langpacks embed these patterns as they are and
implement the two checks in a few lines each; docs/formats.md is the human version, and
the tests hold every judge to the JSON Schema Test Suite's format cases.
"""

from __future__ import annotations

import re
from functools import lru_cache

FORMATS = ("date-time", "date", "time", "uuid", "email", "hostname", "ipv4", "ipv6", "uri")

_DIGIT2 = "[0-9]{2}"
_FULL_DATE = "([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
# time-offset: Z, or +hh:mm / -hh:mm with hh 00-23 and mm 00-59
_OFFSET = "([Zz]|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))"
_FULL_TIME = "([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(\\.[0-9]+)?" + _OFFSET

_DEC_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = f"{_DEC_OCTET}(\\.{_DEC_OCTET}){{3}}"
_H16 = "[0-9A-Fa-f]{1,4}"
_LS32 = f"({_H16}:{_H16}|{_IPV4})"
_IPV6 = "(" + "|".join(
    (
        f"({_H16}:){{6}}{_LS32}",
        f"::({_H16}:){{5}}{_LS32}",
        f"({_H16})?::({_H16}:){{4}}{_LS32}",
        f"(({_H16}:){{0,1}}{_H16})?::({_H16}:){{3}}{_LS32}",
        f"(({_H16}:){{0,2}}{_H16})?::({_H16}:){{2}}{_LS32}",
        f"(({_H16}:){{0,3}}{_H16})?::{_H16}:{_LS32}",
        f"(({_H16}:){{0,4}}{_H16})?::{_LS32}",
        f"(({_H16}:){{0,5}}{_H16})?::{_H16}",
        f"(({_H16}:){{0,6}}{_H16})?::",
    )
) + ")"

_LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = f"{_LABEL}(\\.{_LABEL})*"

# RFC 5321 4.1.2 Mailbox: Dot-string or Quoted-string "@" Domain or address literal
_ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_DOT_STRING = f"{_ATEXT}+(\\.{_ATEXT}+)*"
_QUOTED_STRING = '"([ !#-\\[\\]-~]|\\\\[ -~])*"'
_ADDRESS_LITERAL = f"\\[({_IPV4}|IPv6:{_IPV6})\\]"
_EMAIL = f"({_DOT_STRING}|{_QUOTED_STRING})@({_HOSTNAME}|{_ADDRESS_LITERAL})"

# RFC 3986 section 3: URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ]
_UNRESERVED = "A-Za-z0-9._~"  # and "-", written last in each class
_SUB_DELIMS = "!$&'()*+,;="
_PCT = "%[0-9A-Fa-f]{2}"
_PCHAR = f"([{_UNRESERVED}{_SUB_DELIMS}:@-]|{_PCT})"
_SEGMENT = f"{_PCHAR}*"
_SEGMENT_NZ = f"{_PCHAR}+"
_USERINFO = f"([{_UNRESERVED}{_SUB_DELIMS}:-]|{_PCT})*"
_IP_LITERAL = f"\\[({_IPV6}|v[0-9A-Fa-f]+\\.[{_UNRESERVED}{_SUB_DELIMS}:-]+)\\]"
_REG_NAME = f"([{_UNRESERVED}{_SUB_DELIMS}-]|{_PCT})*"
_AUTHORITY = f"({_USERINFO}@)?({_IP_LITERAL}|{_REG_NAME})(:[0-9]*)?"
_HIER_PART = f"(//{_AUTHORITY}(/{_SEGMENT})*|/({_SEGMENT_NZ}(/{_SEGMENT})*)?|{_SEGMENT_NZ}(/{_SEGMENT})*|)"
_QUERY = f"([/?]|{_PCHAR})*"
_URI = f"[A-Za-z][A-Za-z0-9+.-]*:{_HIER_PART}(\\?{_QUERY})?(#{_QUERY})?"

PATTERNS: dict[str, str] = {
    "date-time": f"{_FULL_DATE}[Tt]{_FULL_TIME}",
    "date": _FULL_DATE,
    "time": _FULL_TIME,
    "uuid": "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}",
    "email": _EMAIL,
    "hostname": _HOSTNAME,
    "ipv4": _IPV4,
    "ipv6": _IPV6,
    "uri": _URI,
}

# What the grammar cannot say, checked after it matched:
# - dates: the day exists in that month (Gregorian calendar, leap years);
# - times: second 60 (a leap second) only at 23:59 UTC, after applying the offset;
# - lengths: a host name has at most 253 characters; an e-mail address's local part at
#   most 64 and its domain at most 255 (RFC 5321 4.5.3.1).
CALENDAR = frozenset({"date-time", "date", "time"})
MAX_HOSTNAME = 253
MAX_LOCAL_PART = 64
MAX_DOMAIN = 255

# Values for the test vectors: valid ones at the grammar's edges, and invalid ones a
# character away from valid (the traps where judges used to disagree).
VALID_SAMPLES: dict[str, tuple[str, ...]] = {
    "date-time": ("2024-02-29T23:59:60Z", "1970-01-01T00:00:00.000001+14:00", "2026-11-30t07:30:05z"),
    "date": ("2024-02-29", "0001-01-01", "9999-12-31"),
    "time": ("23:59:60Z", "00:00:00.5-23:59", "15:59:60-08:00"),
    "uuid": ("019ac1a2-3b4c-7d5e-8f60-718293a4b5c6", "00000000-0000-0000-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"),
    "email": ("joe.bloggs@example.com", '"joe bloggs"@example.com', "a@[IPv6:::1]"),
    "hostname": ("www.example.com", "localhost", "xn--4gbwdl.xn--wgbh1c"),
    "ipv4": ("192.168.0.1", "0.0.0.0", "255.255.255.255"),
    "ipv6": ("::1", "2001:DB8::8:800:200C:417A", "::ffff:192.0.2.128"),
    "uri": ("https://example.com/a?b=c#d", "urn:isbn:0451450523", "mailto:John.Doe@example.com"),
}
INVALID_SAMPLES: dict[str, tuple[str, ...]] = {
    "date-time": ("2023-02-29T00:00:00Z", "2024-01-01T00:00:00Z\n", "2024-01-01 00:00:00Z", "2024-01-01T23:58:60Z"),
    "date": ("2023-02-29", "2024-1-01", "2024-01-01\n", "2024-01-0\u0661"),
    "time": ("24:00:00Z", "12:00:00", "23:59:60+01:00"),
    "uuid": ("019ac1a2-3b4c-7d5e-8f60-718293a4b5c", "019ac1a23b4c7d5e8f60718293a4b5c6", "019ac1a2-3b4c-7d5e-8f60-718293a4b5c6\n"),
    "email": ("joe..bloggs@example.com", "joe.bloggs@", "jo\u00eb@example.com"),
    "hostname": ("-example.com", "example.com.", "ex_ample.com"),
    "ipv4": ("01.2.3.4", "256.1.1.1", "1.2.3.4\n"),
    "ipv6": ("1::2::3", "fe80::1%eth0", "12345::"),
    "uri": ("//example.com/a", "http://exa mple.com", "http://example.com/\u00fc"),
}


@lru_cache(maxsize=None)
def compiled(name: str) -> re.Pattern[str]:
    return re.compile(PATTERNS[name])


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def calendar_ok(name: str, value: str) -> bool:
    """The day exists, and a leap second falls on 23:59:60 UTC (`value` matched PATTERNS).

    The grammar fixes every position, so the numbers are read by position: the langpacks
    do exactly the same in a few lines each.
    """
    if name in ("date", "date-time"):
        if int(value[8:10]) > days_in_month(int(value[0:4]), int(value[5:7])):
            return False
    if name in ("time", "date-time"):
        time = value[11:] if name == "date-time" else value
        if time[6:8] == "60":
            minutes = int(time[0:2]) * 60 + int(time[3:5])
            if time[-1] not in "Zz":  # local time = UTC + offset
                offset = int(time[-5:-3]) * 60 + int(time[-2:])
                minutes += -offset if time[-6] == "+" else offset
            if minutes % 1440 != 23 * 60 + 59:
                return False
    return True


def lengths_ok(name: str, value: str) -> bool:
    if name == "hostname":
        return len(value) <= MAX_HOSTNAME
    if name == "email":
        local, _, domain = value.rpartition("@")
        return len(local) <= MAX_LOCAL_PART and len(domain) <= MAX_DOMAIN
    return True


def matches(name: str, value: str) -> bool:
    """Whether `value` is in the format `name`, by the one grammar of docs/formats.md."""
    if not value.isascii() or compiled(name).fullmatch(value) is None:
        return False
    return calendar_ok(name, value) and lengths_ok(name, value)
