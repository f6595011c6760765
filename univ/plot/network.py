"""The picture a notebook shows for a ``Network``: its output (and target, when known), its size and its error."""

from __future__ import annotations

from .. import numbers
from ..measure import grid, measure
from ..network import Network
from .figures import figure_png
from .style import TEXT_SIZE


def network_png(network: Network) -> bytes:
    """PNG bytes of ``network`` over its domain, with its target and measured error when ``info`` names them.

    Parameters
    ----------
    network : Network
        Any network; one without an expression in ``info`` is drawn alone on its recorded domain (or [0, 1]).

    Returns
    -------
    bytes
        A PNG image (what ``Network._repr_png_`` returns once :mod:`univ.plot` is imported).
    """
    target = network.target()
    domain = (
        target.domain
        if target is not None
        else tuple(tuple(p) for p in network.info.get("domain", [[0.0, 1.0]] * network.input_dim))
    )
    sizes = [network.input_dim, *network.hidden_sizes, 1]
    title = f"{' → '.join(map(str, sizes))} network, {network.n_params} parameters"
    if target is not None:
        rep = measure(network, target)
        title += f"\n{target.text}: {numbers.summary(rep)}"  # worded as every report is

    def draw(fig):
        ax = fig.subplots()
        if network.input_dim == 1:
            (x,) = grid(domain, 1001)
            if target is not None:
                ax.plot(x, target.evaluate(x), color="black", lw=2.0, label="target")
            ax.plot(x, network(x), color="#d62728", lw=1.5, label="network")
            ax.legend(frameon=False, fontsize=TEXT_SIZE)
            ax.set_xlabel("x")
        else:
            xx, yy = grid(domain, 151)
            image = ax.pcolormesh(xx, yy, network(xx, yy), shading="auto", cmap="viridis")
            fig.colorbar(image, ax=ax)
            ax.set_xlabel("x")
            ax.set_ylabel("y")
        ax.set_title(title, fontsize=TEXT_SIZE)

    return figure_png(draw, figsize=(5.5, 3.6))


Network._picture = staticmethod(network_png)  # the core's notebook hook: registered here, never imported by it
