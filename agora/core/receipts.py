"""Receipt codes of votes (budgets' ballots, citizen votes): 12 characters in 3
groups of 4 (about 60 random bits), without the characters people confuse when
they copy a code (0/O, 1/I). One helper, so that every vote's receipt reads
and is typed the same way."""

import secrets

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalize_receipt(text: str) -> str | None:
    """A receipt code as typed ("abcd efgh-jklm", "ABCDEFGHJKLM") in its stored form
    "ABCD-EFGH-JKLM", or None when it cannot be one."""
    code = "".join(ch for ch in (text or "").upper() if ch not in " -\t")
    if len(code) != 12 or any(ch not in RECEIPT_ALPHABET for ch in code):
        return None
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"
