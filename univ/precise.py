"""A parsed expression evaluated at high precision (mpmath): the second look at a removable singularity."""

from __future__ import annotations

from typing import Any

from .grammar import _COMPARE, _LOGICAL, _children


def _precise(node, env: dict[str, Any]):
    """The tree evaluated with mpmath; any result that is not a finite real float-sized number is nan."""
    import mpmath as mp

    try:
        value = _precise_node(node, env, mp)
    except (ArithmeticError, ValueError, TypeError):  # a pole hit exactly, a complex result: not a real number
        return mp.nan
    return value if mp.isfinite(value) else mp.nan


def _precise_node(node, env, mp):
    kind = node[0]
    if kind in _LOGICAL:
        values = [_precise_node(n, env, mp) for n in _children(node)]
        if any(not mp.isfinite(v) for v in values):
            return mp.nan
        if kind == "cmp":
            pairs = zip(values, values[1:])
            ops = [_COMPARE[op] for op, _ in node[2]]
            return mp.mpf(all(bool(op(float(a - b), 0.0)) for op, (a, b) in zip(ops, pairs)))
        if kind == "not":
            return 1 - values[0]
        return min(values) if kind == "and" else max(values)
    if kind == "num":
        return mp.mpf(node[1])
    if kind == "var":
        return env[node[1]]
    if kind == "const":
        return mp.pi if node[1] == "pi" else mp.e
    args = [
        _precise_node(n, env, mp)
        for n in (
            node[1:]
            if kind == "pow"
            else [node[1]]
            if kind == "neg"
            else [n for _, n in node[1]]
            if kind in ("add", "mul")
            else node[2]
        )
    ]
    if any(not mp.isfinite(a) for a in args):
        return mp.nan
    if kind == "neg":
        return -args[0]
    if kind == "add":
        total = mp.mpf(0)
        for (sign, _), v in zip(node[1], args):
            total = total + v if sign == "+" else total - v
        return _sized(total, mp)
    if kind == "mul":
        total = mp.mpf(1)
        for (op, _), v in zip(node[1], args):
            if op == "/" and v == 0:
                return mp.nan
            total = total * v if op == "*" else total / v
        return _sized(total, mp)
    if kind == "pow":
        base, power = args
        if base == 0:
            return mp.mpf(0) if power > 0 else mp.mpf(1) if power == 0 else mp.nan
        if base < 0 and power != mp.floor(power):
            return mp.nan
        size = power * mp.log(abs(base))
        if size > 710:
            return mp.nan
        if size < -745:
            return mp.mpf(0)
        return _sized(mp.power(base, power), mp)
    return _precise_call(node[1], args, mp)


def _sized(v, mp):
    """Overflow and underflow as float64 would see them (and no arbitrary-size exponents downstream)."""
    if abs(v) > 1e308:
        return mp.nan
    return mp.mpf(0) if abs(v) < 1e-308 else v


def _precise_call(name: str, args: list, mp):
    a = args[0]
    if name in ("exp", "sinh", "cosh") and abs(a) > 709:
        return mp.mpf(0) if name == "exp" and a < 0 else mp.nan
    if name == "sigmoid":  # exact, like the float one (mpmath's exponent range has no overflow)
        return _sized(1 / (1 + mp.exp(-a)), mp)
    if name in ("log", "ln", "log10", "log2", "sqrt") and (a < 0 or (a == 0 and name != "sqrt")):
        return mp.nan
    if name in ("asin", "acos", "arcsin", "arccos") and abs(a) > 1:
        return mp.nan
    if name == "cbrt":
        return mp.sign(a) * mp.cbrt(abs(a))
    if name == "heaviside":
        return mp.mpf(0.5) if a == 0 else mp.mpf(a > 0)
    if name == "relu":
        return max(a, mp.mpf(0))
    if name in ("max", "min"):
        return max(args) if name == "max" else min(args)
    if name in ("csc", "cot") and mp.sin(a) == 0:
        return mp.nan
    table = {
        "sin": mp.sin, "cos": mp.cos, "tan": mp.tan, "sec": mp.sec, "csc": mp.csc, "cot": mp.cot, "asin": mp.asin,
        "acos": mp.acos, "atan": mp.atan, "arcsin": mp.asin, "arccos": mp.acos, "arctan": mp.atan, "sinh": mp.sinh,
        "cosh": mp.cosh, "tanh": mp.tanh, "exp": mp.exp, "log": mp.log, "ln": mp.log, "sqrt": mp.sqrt,
        "abs": abs, "sign": mp.sign, "floor": mp.floor, "ceil": mp.ceil,
        "log10": lambda v: mp.log(v, 10), "log2": lambda v: mp.log(v, 2),
    }  # fmt: skip
    return _sized(mp.mpf(table[name](a)), mp)
