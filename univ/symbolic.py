"""A parsed expression as a sympy formula, unevaluated and exactly as typed (for LaTeX and closed forms)."""

from __future__ import annotations

from typing import Any

from .grammar import _LOGICAL


def _symbolic(node, symbols: dict[str, Any]):
    import sympy as sp

    kind = node[0]
    if kind in _LOGICAL:
        return _symbolic_logic(sp, node, symbols)
    if kind == "num":
        text = node[2]
        return sp.Integer(int(text)) if text.isdigit() else sp.Float(text, 15)
    if kind == "var":
        return symbols[node[1]]
    if kind == "const":
        return sp.pi if node[1] == "pi" else sp.E
    if kind == "neg":
        inner = _symbolic(node[1], symbols)
        if inner.is_Number:
            return -inner
        return sp.Mul(sp.Integer(-1), inner, evaluate=False)
    if kind == "add":
        terms = [
            _symbolic(n, symbols) if sign == "+" else sp.Mul(sp.Integer(-1), _symbolic(n, symbols), evaluate=False)
            for sign, n in node[1]
        ]
        return sp.Add(*terms, evaluate=False)
    if kind == "mul":
        top = [_symbolic(n, symbols) for op, n in node[1] if op == "*"]
        bottom = [_symbolic(n, symbols) for op, n in node[1] if op == "/"]
        numerator = top[0] if len(top) == 1 else sp.Mul(*top, evaluate=False)
        if not bottom:
            return numerator
        denominator = bottom[0] if len(bottom) == 1 else sp.Mul(*bottom, evaluate=False)
        reciprocal = sp.Pow(denominator, sp.Integer(-1), evaluate=False)
        return reciprocal if numerator == 1 else sp.Mul(numerator, reciprocal, evaluate=False)
    if kind == "pow":
        return sp.Pow(_symbolic(node[1], symbols), _symbolic(node[2], symbols), evaluate=False)
    return _symbolic_call(sp, node[1], [_symbolic(n, symbols) for n in node[2]])


def _symbolic_logic(sp, node, symbols: dict[str, Any]):
    """A comparison chain (``0 < x < 1`` as ``0 < x and x < 1``), and, or, not, unevaluated."""
    kind = node[0]
    if kind == "cmp":
        relations = {"<": sp.StrictLessThan, "<=": sp.LessThan, ">": sp.StrictGreaterThan, ">=": sp.GreaterThan}
        left, links = _symbolic(node[1], symbols), []
        for op, n in node[2]:
            right = _symbolic(n, symbols)
            links.append(relations[op](left, right, evaluate=False))
            left = right
        return links[0] if len(links) == 1 else sp.And(*links, evaluate=False)
    if kind in ("and", "or"):
        return (sp.And if kind == "and" else sp.Or)(*(_symbolic(n, symbols) for n in node[1]), evaluate=False)
    return sp.Not(_symbolic(node[1], symbols), evaluate=False)


def _symbolic_call(sp, name: str, args: list):
    """The function ``name`` of ``FUNCTIONS`` applied to sympy arguments, unevaluated."""
    simple = {
        "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "sec": sp.sec, "csc": sp.csc, "cot": sp.cot,
        "asin": sp.asin, "acos": sp.acos, "atan": sp.atan, "arcsin": sp.asin, "arccos": sp.acos,
        "arctan": sp.atan, "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "exp": sp.exp, "log": sp.log,
        "ln": sp.log, "abs": sp.Abs, "sign": sp.sign, "floor": sp.floor, "ceil": sp.ceiling,
    }  # fmt: skip
    if name in simple:
        return simple[name](*args, evaluate=False)
    if name == "sqrt":
        return sp.Pow(args[0], sp.Rational(1, 2), evaluate=False)
    if name == "cbrt":  # the real cube root, as numpy computes it (x**(1/3) would be complex for x < 0)
        root = sp.Pow(sp.Abs(args[0], evaluate=False), sp.Rational(1, 3), evaluate=False)
        return sp.Mul(sp.sign(args[0], evaluate=False), root, evaluate=False)
    if name in ("log10", "log2"):
        base = 10 if name == "log10" else 2
        return sp.Mul(sp.log(args[0], evaluate=False), sp.Pow(sp.log(base), -1, evaluate=False), evaluate=False)
    if name == "heaviside":
        return sp.Heaviside(args[0], sp.S.Half, evaluate=False)
    if name == "relu":
        return sp.Max(sp.Integer(0), args[0], evaluate=False)
    if name == "sigmoid":
        denominator = sp.Add(1, sp.exp(sp.Mul(-1, args[0], evaluate=False), evaluate=False), evaluate=False)
        return sp.Pow(denominator, -1, evaluate=False)
    return (sp.Max if name == "max" else sp.Min)(*args, evaluate=False)
