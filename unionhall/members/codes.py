"""Member codes: ten digits and an ISO 7064 MOD 11-2 check character (0-9 or X).

The check character catches every single wrong character and every swap of two neighbours, so a
mistyped code is refused instead of finding somebody else.
"""

PAYLOAD_DIGITS = 10
LENGTH = PAYLOAD_DIGITS + 1
_SEPARATORS = str.maketrans("", "", " -.")
_VALUES = {**{str(d): d for d in range(10)}, "X": 10}


def check_character(payload: str) -> str:
    """ISO 7064 MOD 11-2 over the digits of `payload`."""
    p = 0
    for ch in payload:
        p = ((p + int(ch)) * 2) % 11
    c = (12 - p) % 11
    return "X" if c == 10 else str(c)


def member_code_new(serial: int) -> str:
    """The code of serial number `serial` (0 <= serial < 10**10)."""
    if not 0 <= serial < 10**PAYLOAD_DIGITS:
        raise ValueError("serial out of range")
    payload = str(serial).rjust(PAYLOAD_DIGITS, "0")
    return payload + check_character(payload)


def member_code_normalise(code: str) -> str:
    """What a user typed, without spaces or dashes, with a capital X."""
    return code.strip().upper().translate(_SEPARATORS)


def member_code_is_valid(code: str) -> bool:
    """True when `code` has the right shape and its check character is right (the sum over all is 1 mod 11)."""
    if len(code) != LENGTH or not code[:-1].isascii() or not code[:-1].isdigit() or code[-1] not in _VALUES:
        return False
    p = 0
    for ch in code[:-1]:
        p = ((p + int(ch)) * 2) % 11
    return (p + _VALUES[code[-1]]) % 11 == 1
