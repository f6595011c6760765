"""The page's and the slide deck's HTML, CSS and JavaScript as files, and the one way to fill them in."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from ..errors import UnivError

PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")  # the one placeholder style: {{name}}
# what must not appear raw inside <script>: "</script>" and "<!--" end or confuse the element, "&" starts a
# character reference in XHTML, and U+2028/U+2029 end a line in older JavaScript (they are legal in JSON strings)
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")


@cache
def read(name: str) -> str:
    """The text of the asset ``name`` (e.g. ``"page.js"``), read from the installed package with importlib.resources.

    Raises
    ------
    UnivError
        If univ has no asset of that name (a broken installation: package data left out).
    """
    try:
        return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        raise UnivError(f"univ's asset {name} is missing; reinstall univ (pip install .)") from exc


def fill(template: str, **values: str) -> str:
    """The asset ``template`` with each ``{{name}}`` replaced by ``values[name]``, verbatim and in one pass.

    Values are inserted as given (escape text with :func:`html.escape` and data with :func:`script_json` first);
    one pass means a value that itself contains ``{{...}}`` is never filled again.

    Parameters
    ----------
    template : str
        An asset's name, e.g. ``"page.html"``.
    **values : str
        One string for every placeholder in the template, and none besides.

    Returns
    -------
    str
        The filled text.

    Raises
    ------
    UnivError
        If a placeholder has no value, or a value has no placeholder (a template and its caller out of step).
    """
    text = read(template)
    names = set(PLACEHOLDER.findall(text))
    missing, unused = sorted(names - values.keys()), sorted(values.keys() - names)
    if missing or unused:
        raise UnivError(f"{template}: no value for {missing or 'none'}, no placeholder for {unused or 'none'}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def script_json(obj: Any) -> str:
    """``obj`` as JSON that is safe inside ``<script type="application/json">``: ``<``, ``>``, ``&``, U+2028 and
    U+2029 written as ``\\uXXXX`` escapes, which ``JSON.parse`` reads back as the same characters.

    Raises
    ------
    UnivError
        If ``obj`` holds NaN or an infinity (JSON has no such numbers; a page would silently show nonsense).
    """
    try:
        text = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError as exc:
        raise UnivError(f"cannot embed a number that is not finite in a page ({exc})") from exc
    return _SCRIPT_UNSAFE.sub(lambda m: _SCRIPT_ESCAPES[m.group(0)], text)
