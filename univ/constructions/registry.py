"""The one registry of constructions: each method's builders, the dimension each works in and what it shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import ConfigError


@dataclass(frozen=True)
class Builder:
    """One construction in one dimension.

    ``build(g, domain, cfg)`` gets the checked (and, for a sigmoid output, σ⁻¹-transformed) target values ``g``,
    the domain as ((a, b),) or ((a, b), (c, d)), and the :class:`ConstructConfig`; it returns the Network, whose
    ``info`` it fills with what it placed (cells, split, steepness). ``dimension`` is 1, 2, or 0 for a deep
    construction that takes only a domain. ``options`` names the config fields it reads beyond neurons.
    """

    dimension: int
    build: Callable
    summary: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Method:
    """A way to build a network by hand, under the name users type; ``relu`` has a 1D and a 2D builder."""

    name: str
    builders: dict[int, Builder] = field(default_factory=dict)

    @property
    def dimensions(self) -> tuple[int, ...]:
        return tuple(sorted(self.builders))

    def builder(self, dimension: int) -> Builder:
        """The builder for a target of this dimension (a deep one takes any 1D domain)."""
        found = self.builders.get(dimension) or self.builders.get(0)
        if found is None or (found.dimension == 0 and dimension != 1):
            what = "needs x and y" if 2 in self.builders else "is a 1D method"
            raise ConfigError(f"{self.name} {what}; in {dimension}D use one of {', '.join(names(dimension))}")
        return found


METHODS: dict[str, Method] = {}


def register(name: str, dimension: int, build: Callable, summary: str, options: tuple[str, ...] = ()) -> Builder:
    """Add a builder under ``name`` for one dimension (0: deep, domain only)."""
    method = METHODS.setdefault(name, Method(name))
    if dimension in method.builders:
        raise ConfigError(f"construction {name!r} is registered twice in {dimension}D")
    method.builders[dimension] = Builder(dimension, build, summary, options)
    return method.builders[dimension]


def names(dimension: int | None = None) -> tuple[str, ...]:
    """Method names, all or those with a builder for one dimension (1 or 2; 0 for deep)."""
    return tuple(m.name for m in METHODS.values() if dimension is None or dimension in m.builders)
