"""univ/assets: the page's and the deck's HTML, CSS and JavaScript as files — the JavaScript passes `node --check`,
every asset ships with the package, one template function fills them and one escaper puts JSON inside <script>."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from univ import assets
from univ.errors import UnivError

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "univ" / "assets"
FILES = sorted(p for p in FOLDER.iterdir() if p.suffix in (".html", ".css", ".js"))
SCRIPTS = [p for p in FILES if p.suffix == ".js"]


def test_the_assets_are_there():
    assert {p.name for p in FILES} >= {"page.html", "page.css", "page.js", "slides.html", "slides.css", "slides.js"}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_javascript_passes_node_check(script):
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("no node: Debian's nodejs is not installed (scripts/setup.sh installs it)")
    r = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_node_check_does_fail_on_a_syntax_error(tmp_path):
    """The check above can fail: node refuses a script with a syntax error."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("no node: Debian's nodejs is not installed (scripts/setup.sh installs it)")
    broken = tmp_path / "broken.js"
    broken.write_text(SCRIPTS[0].read_text(encoding="utf-8") + "\nfunction (\n", encoding="utf-8")
    assert subprocess.run([node, "--check", str(broken)], capture_output=True, timeout=60).returncode != 0


@pytest.mark.parametrize("asset", FILES, ids=lambda p: p.name)
def test_assets_name_no_network_address(asset):
    text = asset.read_text(encoding="utf-8")
    assert not re.search(r"https?://|wss?://|//[a-z0-9-]+\.[a-z]", text, re.I)
    attributes = re.findall(r"""<[^>]*\s(?:src|href)\s*=\s*["']?([^"'\s>]*)""", text, re.I)
    assert all(a.startswith(("data:", "#")) for a in attributes), attributes  # the deck's clips are set by its script
    assert "@import" not in text and "fetch(" not in text and "XMLHttpRequest" not in text


@pytest.mark.parametrize("asset", [p for p in FILES if p.suffix != ".html"], ids=lambda p: p.name)
def test_scripts_and_styles_cannot_end_the_element_they_are_filled_into(asset):
    text = asset.read_text(encoding="utf-8").lower()
    assert "</script" not in text and "</style" not in text and "<!--" not in text


def test_every_asset_is_package_data_for_a_non_editable_install():
    """A plain `pip install .` copies only what [tool.setuptools.package-data] names (checked by hand: without the
    entry the wheel holds univ/assets/__init__.py and nothing else)."""
    if sys.version_info < (3, 11):
        pytest.skip("tomllib is Python 3.11+")
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["univ.assets"]
    assert all(any(fnmatch.fnmatch(p.name, g) for g in globs) for p in FILES), globs


def test_read_returns_the_files_text_and_refuses_an_unknown_name():
    for p in FILES:
        assert assets.read(p.name) == p.read_text(encoding="utf-8")
    with pytest.raises(UnivError, match="asset nothing.js is missing"):
        assets.read("nothing.js")


def _deck_values(**changes: str) -> dict[str, str]:
    values = dict(title="t", theme="dark", bg="#000", fg="#fff", muted="#bbb", bar="#111", css="", js="", slides="[]")
    return {**values, **changes}


def test_fill_replaces_each_placeholder_once_and_never_a_value():
    page = assets.fill("slides.html", **_deck_values(title="{{css}} {{title}}", css="/*CSS*/"))
    assert "<title>{{css}} {{title}}</title>" in page  # a value is never filled again
    assert "/*CSS*/" in page and page.count("/*CSS*/") == 1
    assert not re.search(r"\{\{[a-z_]+\}\}", page.replace("{{css}} {{title}}", ""))


@pytest.mark.parametrize(
    "values, message",
    [
        (_deck_values(bg=None), r"no value for \['bg'\]"),
        (_deck_values(colour="#123"), r"no placeholder for \['colour'\]"),
    ],
)
def test_fill_refuses_a_template_and_values_out_of_step(values, message):
    values = {k: v for k, v in values.items() if v is not None}
    with pytest.raises(UnivError, match=message):
        assets.fill("slides.html", **values)


HOSTILE = [
    "</script><script>alert(1)</script>",
    "</SCRIPT >",
    "<!-- <script>",
    "a & b &amp; &lt;",
    "line\u2028separator\u2029paragraph",
    "]]> \\u003c \" ' \\",
    "é ∑ 🙂",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_script_json_cannot_end_its_element_and_reads_back_exactly(text):
    obj = {"expression": text, "list": [text, 1.5, None, True], text: 0}
    out = assets.script_json(obj)
    assert not re.search("[<>&\u2028\u2029]", out)  # nothing that could close <script>, open a comment, end a JS line
    assert json.loads(out) == obj


def test_script_json_reads_back_in_javascript(tmp_path):
    """JSON.parse in a real JavaScript engine reads the escaped text as the same strings."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("no node: Debian's nodejs is not installed (scripts/setup.sh installs it)")
    js = tmp_path / "read.js"
    js.write_text(f"process.stdout.write(JSON.stringify(JSON.parse({json.dumps(assets.script_json(HOSTILE))})));")
    r = subprocess.run([node, str(js)], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert r.returncode == 0 and json.loads(r.stdout) == HOSTILE, r.stderr


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_script_json_refuses_numbers_json_has_not(bad):
    with pytest.raises(UnivError, match="not finite"):
        assets.script_json({"max_error": bad})
