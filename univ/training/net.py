"""The net being trained: one flat parameter vector, one forward kernel, hand-written backprop and Jacobian."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..activations import ACTIVATIONS
from ..errors import ConfigError
from ..limits import MAX_BATCH_ACTIVATIONS
from ..network import Layer, Network
from .config import ACTIVATION_NAMES

PREDICT_ROWS = 8192  # rows per forward pass when predicting (fewer for wide nets: see FlatNet.predict)
WORK_SIZES = 6  # batch sizes whose work arrays are kept: full batch, mini-batch, its remainder, snapshots, chunks


class _Work:
    """Work arrays for a batch of m rows: the input with a ones column, activations, and (made when backprop first
    needs them) derivatives and deltas. Every array is C-contiguous: elementwise passes over strided views cost
    several times more at small widths."""

    def __init__(self, m: int, sizes: Sequence[int]):
        widths = sizes[1:-1]
        self.m, self.widths = m, widths
        self.x1 = np.ones((m, sizes[0] + 1))  # (m, d + 1); the last column stays 1
        self.acts = [np.empty((m, w)) for w in widths]  # (m, width) each
        self.out = np.empty((m, sizes[-1]))  # (m, outputs): 1, or one per class
        self.reads: list[np.ndarray] = []  # what each layer read in the last forward pass
        self.masks: list[np.ndarray] = []  # the dropout masks of the last forward pass
        self._back: tuple | None = None

    @property
    def back(self) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
        """``(derivs, deltas, ones)`` for backprop, made on first use."""
        if self._back is None:
            self._back = (
                [np.empty((self.m, w)) for w in self.widths],
                [np.empty((self.m, w)) for w in self.widths],
                np.ones(self.m),
            )
        return self._back


class FlatNet:
    """A dense net whose parameters live in one flat vector (so optimizers update them in a few numpy calls).

    Layout: layer by layer, the weights ``W (fan_in, fan_out)`` then the biases ``b (fan_out,)``, so that
    ``Wb = [W; b]`` is one contiguous ``(fan_in + 1, fan_out)`` block. The first layer reads its input with a
    column of ones appended, making its forward pass and its whole gradient one matmul each. ``W[i]``, ``b[i]``,
    ``Wb[i]`` are views into ``theta``; ``gW[i]``, ``gb[i]``, ``gWb[i]`` into ``grad``.

    One forward kernel, :meth:`forward`, serves the loss and gradient, predictions and the LM residuals.
    """

    def __init__(self, sizes: Sequence[int], activations: Sequence[str]):
        self.sizes = list(sizes)  # [d, h1, ..., hL, outputs]: 1 output, or one per class (softmax_loss_grad)
        self.activations = list(activations)  # one per hidden layer
        self.kernels = [(ACTIVATIONS[a].apply, ACTIVATIONS[a].derivative) for a in self.activations]
        n = sum((a + 1) * b for a, b in zip(self.sizes, self.sizes[1:]))
        self.theta, self.grad = np.zeros(n), np.zeros(n)
        self.W, self.b, self.Wb, self.gW, self.gb, self.gWb = [], [], [], [], [], []
        self.offsets = []  # where each layer's Wb block starts in theta
        k = 0
        for fan_in, fan_out in zip(self.sizes, self.sizes[1:]):
            self.offsets.append(k)
            for flat, ws, bs, wbs in ((self.theta, self.W, self.b, self.Wb), (self.grad, self.gW, self.gb, self.gWb)):
                wb = flat[k : k + (fan_in + 1) * fan_out].reshape(fan_in + 1, fan_out)
                wbs.append(wb)
                ws.append(wb[:fan_in])
                bs.append(wb[fan_in])
            k += (fan_in + 1) * fan_out
        self._work: dict[int, _Work] = {}
        self._last: _Work | None = None  # the work of the last residuals() pass, whose activations jacobian() reads

    @property
    def n_hidden_layers(self) -> int:
        return len(self.sizes) - 2

    def work(self, m: int) -> _Work:
        """The work arrays for a batch of m rows, kept for the few batch sizes training uses."""
        if m not in self._work:
            if len(self._work) >= WORK_SIZES:
                self._work.clear()
            self._work[m] = _Work(m, self.sizes)
        return self._work[m]

    def forward(self, X: np.ndarray, rng: np.random.Generator | None = None, dropout: float = 0.0) -> _Work:
        """The forward kernel: the net's output at the rows of ``X`` ``(m, d)`` into ``work.out`` ``(m, 1)``.

        Leaves every hidden activation in ``work.acts`` and what each layer read in ``work.reads`` for backprop.
        With ``dropout`` (and ``rng``), each hidden activation is zeroed with that probability and the survivors
        scaled by 1 / (1 − dropout) (inverted dropout); ``work.masks`` keeps the masks.
        """
        m, d = X.shape
        w = self.work(m)
        w.x1[:, :d] = X
        w.reads, w.masks = [w.x1], []  # [X, 1], then the (dropped-out) hidden activations
        for i in range(self.n_hidden_layers):
            a = w.acts[i]  # (m, width)
            if i == 0:
                np.matmul(w.x1, self.Wb[0], out=a)  # z = X W + b in one go
            else:
                np.matmul(w.reads[i], self.W[i], out=a)
                np.add(a, self.b[i], out=a)
            self.kernels[i][0](a)
            if dropout:
                mask = (rng.random(a.shape) >= dropout) * (1.0 / (1.0 - dropout))
                w.masks.append(mask)
                w.reads.append(a * mask)
            else:
                w.reads.append(a)
        L = self.n_hidden_layers
        np.matmul(w.reads[L], self.W[L], out=w.out)  # (m, outputs)
        np.add(w.out, self.b[L], out=w.out)
        return w

    def loss_grad(
        self, X: np.ndarray, Y: np.ndarray, rng: np.random.Generator | None = None, dropout: float = 0.0
    ) -> float:
        """Mean squared error of the net on (X, Y); its gradient is left in ``self.grad``.

        X is ``(m, d)``, Y is ``(m, 1)``, float64. ``rng`` and ``dropout`` as for :meth:`forward`.
        """
        w = self.forward(X, rng, dropout)
        m, out, L = X.shape[0], w.out, self.n_hidden_layers
        np.subtract(out, Y, out=out)  # the residual
        r = out.reshape(-1)
        loss = float(r @ r) / m
        np.multiply(out, 2.0 / m, out=out)  # dLoss/dOutput
        np.matmul(r, w.reads[L], out=self.gW[L][:, 0])
        self.gb[L][0] = r.sum()
        np.multiply(out, self.W[L][:, 0], out=w.back[1][L - 1])  # (m, width): dLoss/d(last hidden output)
        self._backprop_hidden(w, dropout)
        return loss

    def _backprop_hidden(self, w, dropout: bool = False) -> None:
        """Carry dLoss/d(last hidden output), already in ``w.back``'s last delta, back through the hidden layers,
        leaving each layer's weight and bias gradients in ``self.grad``."""
        derivs, deltas, ones = w.back
        delta = deltas[self.n_hidden_layers - 1]
        for i in range(self.n_hidden_layers - 1, -1, -1):
            if dropout:
                np.multiply(delta, w.masks[i], out=delta)
            self.kernels[i][1](w.acts[i], derivs[i])
            np.multiply(delta, derivs[i], out=delta)  # now dLoss/dz of layer i
            if i == 0:
                np.matmul(w.x1.T, delta, out=self.gWb[0])  # weights and biases at once
            else:
                np.matmul(w.reads[i].T, delta, out=self.gW[i])
                np.matmul(ones, delta, out=self.gb[i])
                np.matmul(delta, self.W[i].T, out=deltas[i - 1])
                delta = deltas[i - 1]

    def softmax_loss_grad(self, X: np.ndarray, Y: np.ndarray) -> float:
        """Mean cross-entropy of the softmax of the outputs against one-hot labels Y ``(m, classes)``; its gradient
        is left in ``self.grad``.

        With p = softmax(z) the loss is −mean Σ_c Y log p_c, and dLoss/dz = (p − Y)/m: the softmax's Jacobian and
        the log's derivative cancel, which is why the two go together. log p = z − max z − log Σ e^(z − max z).
        """
        w = self.forward(X)
        m, L = X.shape[0], self.n_hidden_layers
        z = w.out  # (m, classes), overwritten by dLoss/dz
        z -= z.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -float(np.sum(Y * (z - log_norm))) / m
        np.exp(z - log_norm, out=z)  # p
        np.subtract(z, Y, out=z)
        np.multiply(z, 1.0 / m, out=z)
        np.matmul(w.reads[L].T, z, out=self.gW[L])
        np.matmul(w.back[2], z, out=self.gb[L])
        np.matmul(z, self.W[L].T, out=w.back[1][L - 1])  # (m, width): dLoss/d(last hidden output)
        self._backprop_hidden(w)
        return loss

    def logits(self, X: np.ndarray) -> np.ndarray:
        """The outputs before any softmax at the rows of X, ``(n, outputs)``, in chunks as :meth:`predict`."""
        out = np.empty((X.shape[0], self.sizes[-1]))
        chunk = max(1, min(PREDICT_ROWS, MAX_BATCH_ACTIVATIONS // sum(self.sizes[1:-1])))
        for start in range(0, X.shape[0], chunk):
            out[start : start + chunk] = self.forward(X[start : start + chunk]).out
        return out

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The net's output at the rows of X, ``(n,)``; no dropout. Chunks of at most ``PREDICT_ROWS`` rows, fewer
        when the hidden layers are wide, so the activations held stay under ``MAX_BATCH_ACTIVATIONS``."""
        out = np.empty(X.shape[0])
        chunk = max(1, min(PREDICT_ROWS, MAX_BATCH_ACTIVATIONS // sum(self.sizes[1:-1])))
        for start in range(0, X.shape[0], chunk):
            out[start : start + chunk] = self.forward(X[start : start + chunk]).out[:, 0]
        return out

    def mse(self, X: np.ndarray, Y: np.ndarray) -> float:
        """Mean squared error on (X, Y), no dropout, no gradient."""
        r = self.predict(X) - Y[:, 0]
        return float(r @ r) / len(r)

    def residuals(self, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """``r = net(X) − Y``, ``(m,)``, by a forward pass whose activations :meth:`jacobian` reads next."""
        w = self.forward(X)
        np.subtract(w.out, Y, out=w.out)
        self._last = w
        return w.out[:, 0].copy()

    def jacobian(self, J: np.ndarray) -> None:
        """The Jacobian dr/dθ of the residuals of the last :meth:`residuals` call, written into ``J``
        ``(m, n_params)``.

        Backprop without the sum over samples: each row of J is one point's gradient of the net's output, in
        ``theta``'s layout. For layer i, ``dr_s/dWb[i][j, k] = [a, 1][s, j] · δ[s, k]`` with δ = dr/dz, so its block
        of J is an outer product per row, written through a ``(m, fan_in + 1, fan_out)`` view of J's columns.
        """
        w = self._last
        m, acts, L = w.m, w.acts, self.n_hidden_layers
        derivs, deltas, _ = w.back
        k, width = self.offsets[L], self.sizes[L]
        J[:, k : k + width] = acts[L - 1]  # dr/dW_out = the last hidden activations
        J[:, k + width] = 1.0  # dr/db_out
        delta = deltas[L - 1]
        delta[...] = self.W[L][:, 0]  # (m, width): dr/d(last hidden output)
        for i in range(L - 1, -1, -1):
            self.kernels[i][1](acts[i], derivs[i])
            np.multiply(delta, derivs[i], out=delta)  # now dr/dz
            fan_in, fan_out = self.sizes[i], self.sizes[i + 1]
            k = self.offsets[i]
            block = np.reshape(J[:, k : k + (fan_in + 1) * fan_out], (m, fan_in + 1, fan_out), copy=False)
            if i == 0:
                np.multiply(w.x1[:, :, None], delta[:, None, :], out=block)  # weights and biases at once
            else:
                np.multiply(acts[i - 1][:, :, None], delta[:, None, :], out=block[:, :fan_in])
                block[:, fan_in] = delta
                np.matmul(delta, self.W[i].T, out=deltas[i - 1])
                delta = deltas[i - 1]

    def residual_jacobian(self, X: np.ndarray, Y: np.ndarray, J: np.ndarray) -> np.ndarray:
        """Residuals ``r = net(X) − Y`` and their Jacobian into ``J``: :meth:`residuals` then :meth:`jacobian`."""
        r = self.residuals(X, Y)
        self.jacobian(J)
        return r

    def load(self, network: Network) -> None:
        """Copy a :class:`univ.Network`'s weights in (same sizes)."""
        for i, layer in enumerate(network.layers):
            self.W[i][...] = layer.w
            self.b[i][...] = layer.b

    def layers(self, output: str = "linear") -> list[Layer]:
        """The weights as :class:`univ.network.Layer` objects (copies), the output ``output`` (linear; softmax for a
        classifier)."""
        acts = [*self.activations, output]
        return [Layer(W.copy(), b.copy(), a) for W, b, a in zip(self.W, self.b, acts)]


def init_weights(net: FlatNet, scheme: str, rng: np.random.Generator) -> None:
    """Glorot-uniform (``xavier``) or He-normal (``he``) weights; biases uniform in ±1/√fan_in (PyTorch's default).

    Random biases matter in 1D: with zero biases every first-layer unit would turn at the same input.
    """
    for W, b in zip(net.W, net.b):
        fan_in, fan_out = W.shape
        if scheme == "xavier":
            limit = math.sqrt(6.0 / (fan_in + fan_out))
            W[...] = rng.uniform(-limit, limit, size=W.shape)
        else:
            W[...] = rng.normal(0.0, math.sqrt(2.0 / fan_in), size=W.shape)
        bound = 1.0 / math.sqrt(fan_in)
        b[...] = rng.uniform(-bound, bound, size=b.shape)


@dataclass(frozen=True)
class Scaling:
    """x = centre + half · u and y = mean + spread · v: the net trains on (u, v)."""

    centre: np.ndarray  # (d,)
    half: np.ndarray  # (d,)
    mean: float
    spread: float

    @classmethod
    def of(cls, domain, y: np.ndarray, normalize: bool) -> Scaling:
        """Inputs to [-1, 1] and values to zero mean, unit spread; the identity when not ``normalize``."""
        d = len(domain)
        if not normalize:
            return cls(np.zeros(d), np.ones(d), 0.0, 1.0)
        lo = np.array([p[0] for p in domain], dtype=float)
        hi = np.array([p[1] for p in domain], dtype=float)
        mean = float(np.mean(y))
        spread = float(np.std(y))
        if not spread > 1e-12 * (1.0 + abs(mean)):  # a constant target: nothing to scale
            spread = 1.0
        return cls((lo + hi) / 2, (hi - lo) / 2, mean, spread)

    def to_unit(self, net: FlatNet) -> None:
        """Re-express weights that act on (x, y) as weights acting on (u, v), in place."""
        W0, b0 = net.W[0], net.b[0]
        b0 += self.centre @ W0
        W0 *= self.half[:, None]
        L = net.n_hidden_layers
        net.b[L][...] = (net.b[L] - self.mean) / self.spread
        net.W[L][...] /= self.spread

    def to_raw(self, net: FlatNet) -> None:
        """Inverse of :meth:`to_unit`."""
        W0, b0 = net.W[0], net.b[0]
        W0 /= self.half[:, None]
        b0 -= self.centre @ W0
        L = net.n_hidden_layers
        net.W[L][...] *= self.spread
        net.b[L][...] = net.b[L] * self.spread + self.mean


def loss_and_gradient(
    network: Network, points: np.ndarray, values: np.ndarray
) -> tuple[float, list[tuple[np.ndarray, np.ndarray]]]:
    """Mean squared error of ``network`` on (points, values) and its gradient by backprop, layer by layer.

    Parameters
    ----------
    network : Network
        Hidden layers of tanh, relu or sigmoid; a linear output.
    points : ndarray, shape (n,) or (n, d)
    values : ndarray, shape (n,)

    Returns
    -------
    loss : float
    gradient : list of (dW, db)
        One pair per layer, shaped like the layer's ``w`` and ``b``.
    """
    acts = [layer.activation for layer in network.hidden]
    bad = [a for a in acts if a not in ACTIVATION_NAMES] + (
        [network.output.activation] if network.output.activation != "linear" else []
    )
    if bad:
        raise ConfigError(
            f"cannot differentiate activation {bad[0]!r}: hidden layers must be one of "
            f"{', '.join(ACTIVATION_NAMES)} and the output linear"
        )
    if not network.hidden:
        raise ConfigError("the network needs at least one hidden layer")
    net = FlatNet([network.input_dim, *network.hidden_sizes, 1], acts)
    net.load(network)
    X = np.ascontiguousarray(np.asarray(points, dtype=float).reshape(-1, network.input_dim))
    Y = np.asarray(values, dtype=float).reshape(-1, 1).copy()
    if X.shape[0] != Y.shape[0]:
        raise ConfigError(f"{X.shape[0]} points but {Y.shape[0]} values")
    loss = net.loss_grad(X, Y)
    return loss, [(gW.copy(), gb.copy()) for gW, gb in zip(net.gW, net.gb)]
