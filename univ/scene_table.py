"""The explainer's scenes as data: file, class, what each shows, how long it runs and what it needs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SceneInfo:
    """One explainer scene: where it is, what it shows, and how long it runs (seconds at any frame rate from
    8 fps up, with the default 2.5 s hold and 20 neurons, silent: each beat as long as its captions take to read)."""

    file: str
    cls: str
    description: str
    seconds: float
    needs: tuple[str, ...] = ()  # names the scene imports from univ beyond the 1D core
    dims: tuple[int, ...] = (1,)  # what the function may use: (1,) x only; (1, 2) x, or x and y (or it is ignored)
    cost: float = 1.0  # render time per second of video, relative: the explainer starts the costliest first
    neurons: tuple[int, ...] = (1,)  # for a function of 1 or 2 variables, draws a net of --neurons neurons


# In explainer order; the explainer renders all of them, one after another (a 2D function: those that take one).
SCENES: dict[str, SceneInfo] = {
    "title": SceneInfo(
        "title.py",
        "TitleCard",
        "title card: the claim, and the function the video builds",
        10.7,
        dims=(1, 2),
        neurons=(1,),
    ),
    "step": SceneInfo(
        "step.py",
        "SigmoidStep",
        "a sigmoid neuron's weight grows until it is a step at s = -b/w",
        19.6,
        dims=(1, 2),
        neurons=(),
    ),
    "bump": SceneInfo(
        "bump.py",
        "StepsMakeBump",
        "two steps with output weights +h and -h make a bump of height h",
        23.4,
        dims=(1, 2),
        neurons=(),
    ),
    "bumps": SceneInfo(
        "approximate.py",
        "BumpsApproximate",
        "bumps added one at a time approximate f; more neurons, smaller error",
        21.9,
    ),
    "network": SceneInfo(
        "diagram.py", "NetworkDiagram", "the network diagram, each pair of neurons lit up with the bump it adds", 23.1
    ),
    "towers": SceneInfo(
        "towers.py",
        "TowersIn2D",
        "in 2D: x-step, y-step, a cross, a tower, towers making a surface (for f(x, y): then ridges)",
        18.7,
        needs=("tower",),
        dims=(1, 2),
        cost=1.6,
        neurons=(2,),
    ),
    "classify": SceneInfo(
        "classify.py",
        "Classify",
        "decisions: towers draw a disc ever closer as N grows, then a spiral's classes, by hand and trained",
        47.8,
        needs=("classes", "fit_classifier", "measure_classifier", "numbers"),
        dims=(1, 2),
        cost=1.3,
        neurons=(),
    ),
    "trained": SceneInfo(
        "trained.py",
        "ConstructedVsTrained",
        "a trained net learning f over the epochs, beside the constructed one, with its loss",
        20.8,
        needs=("fit",),
    ),
    "relu": SceneInfo("relu.py", "ReluHats", "ReLU hats add up to the piecewise-linear interpolant; error 1/N^2", 22.3),
    "depth": SceneInfo(
        "depth.py",
        "SawtoothDepth",
        "why depth: k layers of 2 ReLUs fold a line into 2^k pieces",
        16.9,
        needs=("sawtooth", "sawtooth_network", "shallow_relu_lstsq"),
        dims=(1, 2),
        neurons=(),
    ),
    "closing": SceneInfo(
        "closing.py",
        "ClosingCard",
        "closing card: neurons and max error of each network built for f",
        17.5,
        needs=("fit",),
        dims=(1, 2),
        neurons=(1, 2),
    ),
}
