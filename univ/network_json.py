"""A network file's JSON read safely: bytes to text, long number arrays lifted out for numpy, 'info' kept plain."""

from __future__ import annotations

import json
import math
import re
import secrets
import warnings
from typing import Any

import numpy as np

from .errors import NetworkFormatError

MAX_INFO_DEPTH = 32  # nesting inside a network file's 'info'


def _looks_like_path(text: str) -> bool:
    """A short one-line string ending in .json that is not JSON: someone passed a file name to from_json."""
    t = text.strip()
    return len(t) < 4096 and "\n" not in t and t.lower().endswith(".json") and t[:1] not in '{["'


def _decode(raw: bytes | bytearray) -> str:
    """Bytes of JSON to text (UTF-8, -16 or -32, as json.loads accepts), or NetworkFormatError."""
    try:
        return bytes(raw).decode(json.detect_encoding(raw))
    except (UnicodeDecodeError, LookupError) as exc:
        raise NetworkFormatError(f"network file is not valid JSON text: {exc}") from None


# Long arrays of numbers are lifted out of the text before json parses the rest, and read by numpy into float
# arrays: 8 bytes a number instead of a Python float and a list slot (32 bytes) each. Strings are matched first and
# kept whole, so brackets inside a string are never touched. The patterns admit only comma-separated items of number
# characters (numpy would read "1, 2," as [1, 2, -1]); forms JSON forbids are looked for next; numpy must then read
# every item to the end (a count check, and its "not read to its end" warning is an error). What is not lifted
# stays in the text for json, which then decides. Short arrays (under LIFT_MIN_CHARS) stay for json: they are cheap
# and keep their ints as ints. Possessive quantifiers (*+): the regex engine keeps no backtracking state per item,
# so a column of a million rows is matched in constant memory.
_WS = r"[ \t\n\r]*+"
_TOKEN = r"[0-9eE.+\-]++"  # what numpy then reads as one number (or refuses)
_ROW = rf"\[{_WS}{_TOKEN}(?:{_WS},{_WS}{_TOKEN})*+{_WS}\]"  # no empty item: "[1, , 2]" and "[1, 2,]" do not match
_CELL = rf"\[{_WS}{_TOKEN}{_WS}\]"
_COLUMN = rf"\[{_WS}{_CELL}(?:{_WS},{_WS}{_CELL})*+{_WS}\]"  # [[a], [b], ...]: an (n, 1) matrix
_LIFT = re.compile(rf'"[^"\\]*+(?:\\.[^"\\]*+)*+"|({_COLUMN})|({_ROW})')
# Number forms JSON forbids but numpy reads: a leading zero ("01"), "+1", "1." and ".5". Each pattern starts with
# a literal, so the search skips ahead quickly.
_NOT_JSON = [
    re.compile(p)
    for p in (
        r",0[0-9]",
        r" 0[0-9]",
        r"\[0[0-9]",
        r"\n0[0-9]",
        r"\t0[0-9]",
        r"\r0[0-9]",
        r"-0[0-9](?<![eE]-0[0-9])",
        r"\+(?<![eE]\+)",
        r"\.(?:(?<![0-9]\.)|(?![0-9]))",
    )
]
_BRACKETS_TO_SPACES = str.maketrans("[]", "  ")
LIFT_MIN_CHARS = 256
_SAFE_INT = 2.0**53


def _lift_number_arrays(text: str) -> tuple[str, list]:
    """``text`` with each long number array replaced by ``{key: i}``, and the arrays (last item: the key).

    The key starts with a NUL and carries a random part, so no text in the file can pose as a placeholder.
    """
    key = "\x00univ-array-" + secrets.token_hex(8)
    token = json.dumps(key)
    arrays: list = []

    def lift(m: re.Match) -> str:
        column, row = m.group(1), m.group(2)
        found = column or row
        if found is None or len(found) < LIFT_MIN_CHARS:
            return m.group(0)
        if any(p.search(found) for p in _NOT_JSON):
            return m.group(0)
        body = found.translate(_BRACKETS_TO_SPACES) if column else found[1:-1]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                values = np.fromstring(body, sep=",")
        except (ValueError, DeprecationWarning):
            return m.group(0)
        if len(values) != body.count(",") + 1:
            return m.group(0)
        if not any(ch in found for ch in ".eE"):  # whole numbers: keep them ints (info), if exact in a float
            if not np.all(np.abs(values) < _SAFE_INT):
                return m.group(0)
            values = values.astype(np.int64)
        arrays.append(values.reshape(-1, 1) if column else values)
        return f"{{{token}: {len(arrays) - 1}}}"

    skeleton = _LIFT.sub(lift, text)
    arrays.append(key)
    return skeleton, arrays


def _plain_info(info: Any) -> dict:
    """``info`` as plain JSON data (lifted arrays back to lists), every number finite; else NetworkFormatError."""
    if not isinstance(info, dict):
        raise NetworkFormatError("'info' must be an object")

    def plain(obj: Any, depth: int) -> Any:
        if depth > MAX_INFO_DEPTH:
            raise NetworkFormatError(f"'info' is nested more than {MAX_INFO_DEPTH} levels deep")
        if isinstance(obj, np.ndarray):
            obj = obj.tolist()
        if isinstance(obj, dict):
            return {str(k): plain(v, depth + 1) for k, v in obj.items()}
        if isinstance(obj, list):
            return [plain(v, depth + 1) for v in obj]
        if isinstance(obj, float) and not math.isfinite(obj):
            raise NetworkFormatError("'info' contains a number that is not finite")
        if obj is None or isinstance(obj, (str, bool, int, float)):
            return obj
        raise NetworkFormatError(f"'info' contains {type(obj).__name__}, which is not JSON")

    return plain(info, 0)
