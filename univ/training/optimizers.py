"""The optimizers, apart from net and loop: Adam and SGD steps; L-BFGS and Levenberg–Marquardt full-batch runs."""

from __future__ import annotations

import math

import numpy as np

from .net import FlatNet
from .recorder import Recorder

ADAM_BETA1, ADAM_BETA2, ADAM_EPS = 0.9, 0.999, 1e-8  # Kingma & Ba (2015), Algorithm 1
LBFGS_FTOL = 1e-20  # scipy's default (2.2e-9 relative) stops long before a small loss; run to the budget
LBFGS_GTOL = 1e-20
LBFGS_MEMORY = 20  # correction pairs kept
LM_DAMPING = 1e-3  # starting λ, relative to the scaled diagonal of JᵀJ (Marquardt; MATLAB's trainlm starts there)
LM_MAX_DAMPING = 1e10  # λ above this: no step lowers the loss any more (stalled; trainlm's mu_max)
LM_MIN_DAMPING = 1e-15  # λ is kept above this: pure Gauss–Newton steps on a rank-deficient JᵀJ go astray
LM_MIN_IMPROVEMENT = 1e-10  # an accepted step lowering the loss by less than this fraction: stalled
LM_DIAGONAL_FLOOR = 1e-9  # of the largest diagonal: keeps columns that are all zero (dead relu units) damped
LM_ROUNDING = 1e-10  # a training RMSE this small relative to the values' scale is rounding error: nothing to gain


class Adam:
    """Kingma & Ba's Adam: m, v moving averages of g and g², bias-corrected, step lr·m̂/(√v̂ + ε).

    Parameters
    ----------
    theta, grad : ndarray
        The flat parameters (updated in place by :meth:`step`) and the gradient the last backprop left.
    lr : float
        Learning rate.
    """

    def __init__(self, theta: np.ndarray, grad: np.ndarray, lr: float):
        self.theta, self.g, self.lr = theta, grad, lr
        self.m, self.v, self.tmp = np.zeros_like(theta), np.zeros_like(theta), np.empty_like(theta)

    def step(self, t: int) -> None:
        """Update ``theta`` from ``grad``; ``t`` = 1, 2, ... counts the steps (for the bias correction)."""
        m, v, g, tmp, b1, b2 = self.m, self.v, self.g, self.tmp, ADAM_BETA1, ADAM_BETA2
        np.multiply(m, b1, out=m)
        np.multiply(g, 1.0 - b1, out=tmp)
        np.add(m, tmp, out=m)  # m = β1·m + (1 − β1)·g
        np.multiply(v, b2, out=v)
        np.multiply(g, g, out=tmp)
        np.multiply(tmp, 1.0 - b2, out=tmp)
        np.add(v, tmp, out=v)  # v = β2·v + (1 − β2)·g²
        np.divide(v, 1.0 - b2**t, out=tmp)  # v̂
        np.sqrt(tmp, out=tmp)
        np.add(tmp, ADAM_EPS, out=tmp)
        np.divide(m, tmp, out=tmp)
        np.multiply(tmp, self.lr / (1.0 - b1**t), out=tmp)  # lr · m̂ / (√v̂ + ε)
        np.subtract(self.theta, tmp, out=self.theta)


class SGD:
    """SGD with momentum μ: buf ← μ·buf + g; θ ← θ − lr·buf (buf starts at 0, as in PyTorch).

    Parameters
    ----------
    theta, grad : ndarray
        As for :class:`Adam`.
    lr : float
        Learning rate.
    momentum : float
        μ in [0, 1).
    """

    def __init__(self, theta: np.ndarray, grad: np.ndarray, lr: float, momentum: float):
        self.theta, self.g, self.lr, self.mu = theta, grad, lr, float(momentum)
        self.buf, self.tmp = np.zeros_like(theta), np.empty_like(theta)

    def step(self, t: int) -> None:
        """Update ``theta`` from ``grad`` (``t`` is not used: no bias correction)."""
        np.multiply(self.buf, self.mu, out=self.buf)
        np.add(self.buf, self.g, out=self.buf)
        np.multiply(self.buf, self.lr, out=self.tmp)
        np.subtract(self.theta, self.tmp, out=self.theta)


def stepper(name: str, net: FlatNet, lr: float, momentum: float) -> Adam | SGD:
    """The step rule ``name`` (``adam`` or ``sgd``) on ``net``'s parameters and gradient."""
    if name == "adam":
        return Adam(net.theta, net.grad, lr)
    return SGD(net.theta, net.grad, lr, momentum)


class _GoalReached(Exception):
    """Raised from inside scipy's L-BFGS callback to stop at the goal; carries the parameters reached."""

    def __init__(self, x: np.ndarray):
        super().__init__("goal reached")
        self.x = x


def lbfgs(net: FlatNet, U: np.ndarray, V: np.ndarray, rec: Recorder, budget: int) -> str:
    """scipy's L-BFGS-B on the flat parameters, run to its iteration budget (tolerances set tiny) or the goal.

    Leaves the parameters reached in ``net.theta``; returns why it stopped.
    """
    from scipy.optimize import minimize

    x0 = net.theta.copy()
    if rec.record(net.loss_grad(U, V)):
        return "goal"
    rec.snap()

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        net.theta[...] = theta
        ell = net.loss_grad(U, V)
        if not math.isfinite(ell):  # let the line search back off rather than feed NaN to scipy
            return math.inf, np.zeros_like(theta)
        return ell, net.grad.copy()

    def on_iteration(intermediate_result) -> None:
        reached = rec.record(float(intermediate_result.fun))
        if rec.epoch in rec.wanted:
            net.theta[...] = intermediate_result.x
            rec.snap()
        if reached:
            raise _GoalReached(np.array(intermediate_result.x, copy=True))

    options = {
        "maxiter": budget,
        "maxfun": 20 * budget + 100,
        "ftol": LBFGS_FTOL,
        "gtol": LBFGS_GTOL,
        "maxcor": LBFGS_MEMORY,
    }
    try:
        res = minimize(fun, x0, jac=True, method="L-BFGS-B", callback=on_iteration, options=options)
        net.theta[...] = res.x
        stop = None
    except _GoalReached as reached:
        net.theta[...] = reached.x
        stop = "goal"
    rec.amend(net.mse(U, V))  # the loss of the parameters returned
    if stop is None:
        stop = "goal" if rec.reached else "epochs" if rec.epoch >= budget else f"lbfgs stopped early: {res.message}"
    return stop


class LevenbergMarquardt:
    """Levenberg–Marquardt on the sum of squared residuals r(θ) = net(U) − V.

    Each iteration solves ``(JᵀJ + λ·D) δ = −Jᵀr`` by Cholesky, with J from :meth:`FlatNet.residual_jacobian` and D
    the largest diagonal of JᵀJ seen so far (Marquardt's scaling, kept monotone as in Moré 1978). A step that
    lowers the loss is taken and λ shrinks by Nielsen's rule ``max(1/3, 1 − (2ρ − 1)³)`` (ρ: actual over
    predicted reduction); one that does not is retried with λ·ν, ν doubling (Nielsen 1999; Madsen, Nielsen &
    Tingleff 2004, Algorithm 3.16). An iteration is one accepted step. Stops at the goal, when λ passes
    ``LM_MAX_DAMPING``, a step gains less than ``LM_MIN_IMPROVEMENT`` or the RMSE is down to ``LM_ROUNDING`` of
    the values' scale (stalled), or after ``budget`` iterations.
    """

    def __init__(self, net: FlatNet, U: np.ndarray, V: np.ndarray):
        self.net, self.U, self.V = net, U, V
        m, P = U.shape[0], net.theta.size
        self.J = np.empty((m, P))  # (points, parameters)
        self.A, self.M = np.empty((P, P)), np.empty((P, P), order="F")  # M: LAPACK factors it in place
        self.D, self.theta0 = np.zeros(P), np.empty(P)
        self.lam, self.nu = LM_DAMPING, 2.0
        self.rounding = m * LM_ROUNDING**2 * max(float(np.mean(V * V)), 1.0)  # V has unit spread when normalized
        from scipy.linalg.lapack import dposv  # Cholesky factor and solve in one call; info > 0: not pos. definite

        self.dposv = dposv

    def run(self, rec: Recorder, budget: int) -> str:
        """Iterate until a stop; each accepted step is reported to ``rec``. Returns why it stopped."""
        net, m = self.net, self.U.shape[0]
        r = net.residual_jacobian(self.U, self.V, self.J)
        sse = float(r @ r)
        if rec.record(sse / m):
            return "goal"
        rec.snap()
        while rec.epoch < budget:
            taken = self._step(r, sse)
            if taken is None:
                return f"lm stalled: no step lowers the loss (damping above {LM_MAX_DAMPING:g})"
            gained = (sse - taken[1]) / sse
            net.jacobian(self.J)  # at the parameters just taken
            r, sse = taken
            reached = rec.record(sse / m)
            rec.snap()
            if reached:
                return "goal"
            if gained < LM_MIN_IMPROVEMENT:
                return f"lm stalled: the last step lowered the loss by less than {LM_MIN_IMPROVEMENT:g} of itself"
            if sse <= self.rounding:
                return "lm stalled: the training error is down to rounding error"
        return "epochs"

    def _step(self, r: np.ndarray, sse: float) -> tuple[np.ndarray, float] | None:
        """Damp until a step lowers the loss; take it and return its (residuals, sse), or None past the damping
        limit (the parameters left where they were)."""
        net, A, M, D, theta0, P = self.net, self.A, self.M, self.D, self.theta0, self.net.theta.size
        np.matmul(self.J.T, self.J, out=A)  # JᵀJ, (P, P)
        g = self.J.T @ r  # Jᵀr, the gradient of sse / 2
        np.maximum(D, A.diagonal(), out=D)
        Dk = np.maximum(D, LM_DIAGONAL_FLOOR * D.max())
        theta0[...] = net.theta
        while True:
            M[...] = A
            M.flat[:: P + 1] += self.lam * Dk
            _, step, info = self.dposv(M, g, overwrite_a=True)
            if info == 0:  # else not positive definite in floating point: damp more
                np.negative(step, out=step)
                np.add(theta0, step, out=net.theta)
                res = net.residuals(self.U, self.V)  # its activations stay for the Jacobian if the step is taken
                new_sse = float(res @ res)
                if new_sse < sse:  # False for NaN too
                    predicted = self.lam * float((step * Dk) @ step) - float(step @ g)  # ‖r‖² − ‖r + Jδ‖²
                    rho = (sse - new_sse) / predicted if predicted > 0 else 0.0
                    self.lam = max(self.lam * max(1.0 / 3.0, 1.0 - (2.0 * rho - 1.0) ** 3), LM_MIN_DAMPING)
                    self.nu = 2.0
                    return res, new_sse
            self.lam *= self.nu
            self.nu *= 2.0
            if self.lam > LM_MAX_DAMPING:
                net.theta[...] = theta0
                return None
