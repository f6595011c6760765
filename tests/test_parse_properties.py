"""Properties of the parser, checked on generated input (hypothesis).

- Valid expressions are generated as a tree, written out as text the way people type (implicit multiplication,
  ``^`` or ``**``, spaces, redundant brackets), and evaluated by an independent reference written here with the
  ``math`` module; univ must compute the same value to 1e-9 relative wherever both are finite (plus the float
  rounding the reference's own error estimate allows).
- Mutated and random text is either accepted or refused with univ's own error, never another exception, and each
  parse answers within a hypothesis deadline of one second.

Modest example counts by default (the file runs in well under 20 s, deterministically); set
``UNIV_HYPOTHESIS_LONG=1`` for 40 times as many examples with fresh random seeds.
"""

import math
import os
import re
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from univ import ConfigError, DomainError, ExpressionError, UnivError, parse

LONG = os.environ.get("UNIV_HYPOTHESIS_LONG") == "1"


def budget(examples: int, deadline: float | None = 1.0):
    return settings(
        max_examples=examples * 40 if LONG else examples,
        deadline=None if deadline is None else timedelta(seconds=deadline),
        database=None,
        derandomize=not LONG,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )


# -- a small grammar: trees ----------------------------------------------------------------------------------------
# ("num", text) ("var", name) ("const", name) ("neg", a) ("pos", a) ("add", op, a, b) ("mul", op, a, b)
# ("pow", a, b) ("call", name, (args...))
NUMBERS = ["0", "1", "2", "3", "7", "10", "12", "0.5", ".5", "2.5", "0.25", "1e-3", "2.5E1", "3e+0", "1.5e-1", "4."]
UNARY = [
    "sin",
    "cos",
    "tan",
    "exp",
    "log",
    "ln",
    "log10",
    "log2",
    "sqrt",
    "cbrt",
    "abs",
    "atan",
    "arctan",
    "tanh",
    "sinh",
    "cosh",
    "asin",
    "acos",
    "sigmoid",
    "relu",
    "floor",
    "ceil",
    "sign",
    "heaviside",
]
SUM, TERM, UNARY_LEVEL, POWER, ATOM = range(5)


def level(node) -> int:
    return {"add": SUM, "mul": TERM, "neg": UNARY_LEVEL, "pos": UNARY_LEVEL, "pow": POWER}.get(node[0], ATOM)


leaves = st.one_of(
    st.sampled_from(NUMBERS).map(lambda t: ("num", t)),
    st.sampled_from(["x", "x", "x", "y"]).map(lambda v: ("var", v)),
    st.sampled_from(["pi", "e"]).map(lambda c: ("const", c)),
)


def extend(inner):
    return st.one_of(
        st.tuples(st.just("add"), st.sampled_from("+-"), inner, inner),
        st.tuples(st.just("mul"), st.sampled_from("*/"), inner, inner),
        st.tuples(st.just("pow"), inner, leaves | inner),
        st.tuples(st.just("call"), st.sampled_from(UNARY), st.tuples(inner)),
        st.tuples(st.just("call"), st.sampled_from(["max", "min"]), st.lists(inner, min_size=2, max_size=3).map(tuple)),
        st.tuples(st.sampled_from(["neg", "neg", "pos"]), inner),
    )


trees = st.recursive(leaves, extend, max_leaves=12)
top = extend(trees)  # at least one operator or call at the top


# -- writing a tree as text ----------------------------------------------------------------------------------------
def write(draw, node) -> str:
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind in ("var", "const"):
        return node[1]
    if kind == "neg":
        return "-" + write_at(draw, node[1], UNARY_LEVEL)
    if kind == "pos":
        return "+" + write_at(draw, node[1], UNARY_LEVEL)
    if kind == "add":
        return write_at(draw, node[2], SUM) + f" {node[1]} " + write_at(draw, node[3], TERM)
    if kind == "mul":
        left = write_at(draw, node[2], TERM)
        if node[1] == "*" and draw(st.booleans()):  # implicit multiplication: 2x, x sin(x), (x+1)(x-1)
            right = write_at(draw, node[3], POWER)
            if right[0].isdigit() or right[0] in ".-+":
                right = f"({right})"  # a number after a name needs '*'; '-' would be a subtraction
            return left + implicit_separator(draw, left, right) + right
        op = draw(st.sampled_from([node[1], f" {node[1]} "]))
        return left + op + write_at(draw, node[3], UNARY_LEVEL)
    if kind == "pow":
        return (
            write_at(draw, node[1], ATOM)
            + draw(st.sampled_from(["^", "**", " ^ "]))
            + write_at(draw, node[2], UNARY_LEVEL)
        )
    sep = draw(st.sampled_from([", ", ","]))
    return f"{node[1]}(" + sep.join(write_at(draw, a, SUM) for a in node[2]) + ")"


def implicit_separator(draw, left: str, right: str) -> str:
    """'' or ' ' where gluing is unambiguous (2x, x(x+1), xsin(x), (x+1)(x-1), pie); a space before log10 and log2
    after a name (``xlog10`` would read as one unknown name)."""
    head = re.match(r"[A-Za-z][A-Za-z0-9]*", right)
    if left[-1].isalpha() and head and head.group(0)[-1].isdigit():
        return " "
    return draw(st.sampled_from(["", " "]))


def write_at(draw, node, minimum: int) -> str:
    text = write(draw, node)
    if level(node) < minimum or draw(st.integers(0, 9)) == 0:
        return f"({text})"
    return text


@st.composite
def expressions(draw):
    tree = draw(top)
    text = write_at(draw, tree, SUM)
    assume(len(text) <= 500)
    return tree, text


# -- the reference: math, with a first-order bound on its own rounding error --------------------------------------
U = 2.0**-52
K = 8  # ulps of disagreement allowed between two libms on one function


class Undefined(Exception):
    """Not a finite real number at this point (or too close to a jump to compare)."""


def ref(node, x: float, y: float) -> tuple[float, float]:
    value, err = _ref(node, x, y)
    if not math.isfinite(value) or not math.isfinite(err):
        raise Undefined
    return value, err


def _ref(node, x, y):
    kind = node[0]
    if kind == "num":
        return float(node[1]), 0.0
    if kind == "var":
        return (x if node[1] == "x" else y), 0.0
    if kind == "const":
        return (math.pi if node[1] == "pi" else math.e), 0.0
    if kind in ("neg", "pos"):
        v, e = ref(node[1], x, y)
        return (-v if kind == "neg" else v), e
    if kind == "add":
        (a, ea), (b, eb) = ref(node[2], x, y), ref(node[3], x, y)
        v = a + b if node[1] == "+" else a - b
        return v, ea + eb + U * abs(v)
    if kind == "mul":
        (a, ea), (b, eb) = ref(node[2], x, y), ref(node[3], x, y)
        if node[1] == "*":
            v = a * b
            return v, abs(b) * ea + abs(a) * eb + U * abs(v)
        if b == 0:
            raise Undefined
        v = a / b
        return v, (ea + abs(v) * eb) / abs(b) + U * abs(v)
    if kind == "pow":
        (a, ea), (b, eb) = ref(node[1], x, y), ref(node[2], x, y)
        try:
            v = math.pow(a, b)
        except (ValueError, OverflowError, ZeroDivisionError):
            raise Undefined from None
        if a == 0:
            if ea or eb:
                raise Undefined
            return v, 0.0
        return v, abs(b * v / a) * ea + abs(v * math.log(abs(a))) * eb + K * U * abs(v)
    return call(node[1], [ref(n, x, y) for n in node[2]])


def call(name, args):
    (a, ea) = args[0]
    try:
        if name in ("max", "min"):
            pick = max if name == "max" else min
            return pick(v for v, _ in args), max(e for _, e in args)
        if name in ("floor", "ceil", "sign", "heaviside"):
            edge = round(a) if name in ("floor", "ceil") else 0.0
            if abs(a - edge) <= 64 * ea + (0 if ea == 0 else 1e-300):
                raise Undefined  # too close to the jump for rounding to be irrelevant
            if name == "floor":
                return float(math.floor(a)), 0.0
            if name == "ceil":
                return float(math.ceil(a)), 0.0
            if name == "sign":
                return float((a > 0) - (a < 0)), 0.0
            return (0.5 if a == 0 else float(a > 0)), 0.0
        if name == "relu":
            return max(a, 0.0), ea
        if name == "abs":
            return abs(a), ea
        if name == "sigmoid":  # univ clips the argument to ±40, where σ is within 4.3e-18 of 0 or 1
            v = 1 / (1 + math.exp(-min(max(a, -40.0), 40.0)))
            return v, (v * (1 - v) * ea if abs(a) < 40 else 0.0) + K * U * v
        table = {
            "sin": (math.sin, math.cos), "cos": (math.cos, math.sin),
            "tan": (math.tan, lambda t: 1 + math.tan(t) ** 2),
            "exp": (math.exp, math.exp), "log": (math.log, lambda t: 1 / t), "ln": (math.log, lambda t: 1 / t),
            "log10": (math.log10, lambda t: 1 / (t * math.log(10))),
            "log2": (math.log2, lambda t: 1 / (t * math.log(2))),
            "sqrt": (math.sqrt, lambda t: 0.5 / math.sqrt(t)),
            "cbrt": (math.cbrt, lambda t: 1 / (3 * math.cbrt(t) ** 2)),
            "atan": (math.atan, lambda t: 1 / (1 + t * t)), "arctan": (math.atan, lambda t: 1 / (1 + t * t)),
            "tanh": (math.tanh, lambda t: 1 - math.tanh(t) ** 2), "sinh": (math.sinh, math.cosh),
            "cosh": (math.cosh, math.sinh), "asin": (math.asin, lambda t: 1 / math.sqrt(1 - t * t)),
            "acos": (math.acos, lambda t: 1 / math.sqrt(1 - t * t)),
        }  # fmt: skip
        f, slope = table[name]
        v = f(a)
        d = abs(slope(a)) if ea else 0.0
        return v, d * ea + K * U * abs(v)
    except (ValueError, OverflowError, ZeroDivisionError):
        raise Undefined from None


POINTS = st.floats(-3.0, 3.0, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-300)


# -- valid expressions compute what they say -------------------------------------------------------------------------
@budget(300)
@given(expressions(), POINTS, POINTS)
def test_generated_expressions_match_the_reference(case, x, y):
    tree, text = case
    t = parse(text)
    coords = (np.array([x]), np.array([y]))[: t.dimension]
    got = float(t(*coords)[0])
    try:
        want, err = ref(tree, x, y)
    except Undefined:
        return
    if not math.isfinite(got):
        return
    assert abs(got - want) <= 1e-9 * abs(want) + 64 * err, f"{text!r} at x={x!r}, y={y!r}: {got!r} != {want!r}"


@budget(30, deadline=None)
@given(expressions(), st.floats(-2.0, 2.0, allow_nan=False))
def test_the_symbolic_form_agrees_with_the_reference(case, x):
    import sympy as sp

    tree, text = case
    t = parse(text)
    try:
        want, err = ref(tree, x, 0.5)
    except Undefined:
        return
    assume(err <= 1e-6 * max(abs(want), 1e-300))  # well-conditioned points only: sympy rounds differently
    subs = {sp.Symbol("x", real=True): sp.Float(x, 30), sp.Symbol("y", real=True): sp.Rational(1, 2)}
    try:
        value = complex(t.expr.xreplace(subs).doit().evalf(30))
    except (TypeError, ValueError):
        return  # sympy cannot order Max(x, pi - pi) once pi - pi evaluates to 0.e-109: nothing to compare
    if not (math.isfinite(value.real) and math.isfinite(value.imag)):
        return  # exact arithmetic can divide by an exact 0 (0/sin(pi)) where floats see 1.2e-16
    assert abs(value.imag) <= 1e-9 * max(abs(want), 1.0)
    assert abs(value.real - want) <= 1e-9 * abs(want) + 64 * err + 1e-12, f"{text!r} at x={x!r}"


# -- everything else is refused with univ's own error --------------------------------------------------------------
ODD = list("+-*/^()., xyzpie0123456789[]{}'\"=;:%@!#$&|~`?<>\\_\t\n") + [
    "３",
    "٣",
    "𝟑",
    "²",
    "×",
    "∘",
    "é",
    "\x00",
    "\u200b",
    "\u3000",
    "ﬁ",
    "sin",
    "lambda",
    "**",
    "//",
    "__",
    "1e999",
]


@st.composite
def mutated(draw):
    _, text = draw(expressions())
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "swap", "cut", "repeat"]))
        if action == "insert":
            text = text[:i] + draw(st.sampled_from(ODD)) + text[i:]
        elif action == "delete" and i < len(text):
            text = text[:i] + text[i + 1 :]
        elif action == "replace" and i < len(text):
            text = text[:i] + draw(st.sampled_from(ODD)) + text[i + 1 :]
        elif action == "swap" and i + 1 < len(text):
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        elif action == "cut":
            text = text[:i]
        elif action == "repeat":
            text = text[:i] * draw(st.integers(2, 60))
    return text


def parse_or_refuse(text: str):
    try:
        return parse(text)
    except (ExpressionError, ConfigError) as exc:
        message = str(exc)
        assert message and "\n" not in message and len(message) < 2000
        if isinstance(exc, ExpressionError) and exc.position is not None:
            assert 0 <= exc.position < len(text), (text, exc.position)
        return None


@budget(300)
@given(mutated())
def test_mutated_text_is_parsed_or_refused_with_univs_error(text):
    t = parse_or_refuse(text)
    if t is not None:
        with np.errstate(all="ignore"):
            values = t(*(np.linspace(-1.0, 1.0, 9),) * t.dimension)
        assert values.shape == (9,)


@budget(300)
@given(st.lists(st.sampled_from(ODD), max_size=40).map("".join))
def test_random_text_is_parsed_or_refused_with_univs_error(text):
    parse_or_refuse(text)


@budget(200)
@given(st.text(max_size=40))
def test_any_unicode_is_parsed_or_refused_with_univs_error(text):
    parse_or_refuse(text)


@budget(20, deadline=None)
@given(mutated())
def test_checking_a_mutated_target_gives_only_univs_errors(text):
    t = parse_or_refuse(text)
    if t is None:
        return
    try:
        t.check()
    except DomainError as exc:
        assert str(exc) and "\n" not in str(exc)


@st.composite
def hostile_ends(draw):
    return draw(
        st.one_of(
            st.integers(-(10**500), 10**500),
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from([None, "0", b"1", True, np.float32(0.5), np.int64(3), [1], (1, 2), float("nan"), 2**1024]),
        )
    )


@budget(200)
@given(
    st.one_of(
        st.tuples(hostile_ends(), hostile_ends()),
        hostile_ends(),
        st.lists(st.tuples(hostile_ends(), hostile_ends()), max_size=3),
    )
)
def test_any_domain_is_accepted_or_refused_with_a_config_error(domain):
    try:
        t = parse("x", domain=domain)
    except ConfigError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 300
        return
    ((a, b),) = t.domain
    assert a < b and math.isfinite(a) and math.isfinite(b)


def test_errors_are_univ_errors():
    assert issubclass(ExpressionError, UnivError) and issubclass(ConfigError, UnivError)


@pytest.mark.parametrize("text", ["2x", "x(x+1)", "xsin(x)", "(x+1)(x-1)", "2 e", "pie", "x e^x", "2.5e-3x"])
def test_the_writer_s_glued_forms_parse(text):
    parse(text)
