"""Every size limit univ enforces, in one place: options, files and expressions are checked against these up front."""

from __future__ import annotations

# -- expressions ---------------------------------------------------------------------------------------------------
MAX_EXPRESSION_LENGTH = 500  # characters of expression text
MAX_EXPRESSION_DEPTH = 40  # nested parentheses, calls and powers
MAX_ABS_VALUE = 1e12  # a target larger than this anywhere on the domain is refused
MAX_DOMAIN_END = 1e6  # |a|, |b| of any domain
MIN_DOMAIN_WIDTH = 1e-9  # relative to max(1, |a|, |b|)

# -- hand-built networks -------------------------------------------------------------------------------------------
MAX_NEURONS = 100_000  # 1D constructions
# Towers and relu in 2D are two dense hidden layers, ~√N by ~N: construct + measure took 52 s (towers) and 82 s (relu)
# at N = 10,000; at 3,000, 5.0 s and 4.5 s on this 2-core machine when idle, 18 s and 9 s at load 3
# (benchmarks/bench_limits_2d.txt; relu took 52 s at 5,000).
MAX_NEURONS_2D = 3_000  # towers and relu in 2D: their dense second layer costs ~N^1.5 per point
# ridge's least-squares fit took 7.5, 15.7 and 27.9 CPU-seconds at N = 3,000, 4,000 and 5,000 (bench_limits_2d.txt)
MAX_RIDGE_NEURONS = 4_000  # ridge in 2D: the least-squares fit of its output costs ~N^3
MAX_LSTSQ_NEURONS = 4_000  # 1D heights="lstsq": a dense least-squares solve, ~ 4N × N² flops
MAX_DEPTH = 30  # sawtooth layers
MAX_STEEPNESS = 1e6  # --steepness: sigmoid weight × cell width
MIN_STEEPNESS = 1e-6  # below this a step is no step (and 5e-324 would only warn)
MAX_WEIGHT = 1e12  # --weight: a fixed sigmoid weight
MIN_WEIGHT = 1e-6  # --weight below this is no step either

# -- training ------------------------------------------------------------------------------------------------------
MAX_EPOCHS = 1_000_000  # training budget (iterations for lbfgs and lm)
MAX_LR = 1e6  # learning rate
MAX_LAYERS = 100  # hidden layers of a trained net
MAX_WIDTH = 100_000  # neurons in one hidden layer of a trained net
MAX_TRAIN_PARAMETERS = 10_000_000  # weights and biases of a trained net
MAX_POINTS = 100_000  # training points
MAX_BATCH_ACTIVATIONS = 20_000_000  # batch rows × hidden neurons held at once (160 MB of float64 per buffer)
MAX_COMPARE_DEPTH = 20  # compare --depths
# Measuring a degree-p Chebyshev series costs p passes over the 10,001 points (0.4 s at the cap); the spline's banded
# least squares grows faster than p (0.2 s at the cap, 1.9 s at 30,001).
MAX_BASELINE_COEFFICIENTS = 10_001  # poly and spline (3N + 1 each): compare caps them there, sweep refuses N > 3,333
MAX_SNAPSHOTS = 10_000  # snapshot epochs of one training run (each the net's output on up to 1,681 points)
LM_MAX_JACOBIAN = 5_000_000  # Levenberg–Marquardt's dense Jacobian: points × parameters (40 MB of float64)
LM_MAX_PARAMETERS = 2_000  # and its normal matrix JᵀJ, parameters²: a 2,000² Cholesky each iteration

# -- network files -------------------------------------------------------------------------------------------------
MAX_PARAMETERS = 50_000_000  # a network file asking for more is refused
# Characters of network JSON, checked before parsing: the longest number to_json writes is 24 characters
# ("-1.2345678901234567e-308") plus ", " between numbers, so 26 per parameter, and 16 MiB for the rest.
MAX_NETWORK_JSON_CHARS = 26 * MAX_PARAMETERS + (1 << 24)  # characters of network.json, checked before parsing
# What a network file may hold outside its long number arrays (keys, info, short lists), in characters: this is what
# becomes Python objects while parsing (up to ~20 bytes each), so it is kept far below the numbers' allowance.
MAX_NETWORK_STRUCTURE_CHARS = 1 << 26  # network.json text outside the number arrays
MAX_NETWORK_LAYERS = 101  # hidden layers (training allows 100) plus the output layer
MAX_FORMULA_NEURONS = 200  # to_sympy refuses larger nets: the formula would be unreadable

# -- videos --------------------------------------------------------------------------------------------------------
MAX_SCENE_NEURONS = 200  # the scenes draw every neuron; more would not be visible
MAX_SIDE = 7680  # pixels
MAX_FRAME_RATE = 120.0  # render --fps
MAX_HOLD = 60.0  # seconds a conclusion may stay on screen (--hold)

# -- measured data as a target -------------------------------------------------------------------------------------
MAX_DATA_ROWS = 10_000_000  # samples in a data file (1D), counted before the file is parsed
MAX_DATA_ROWS_2D = 1_000_000  # 2D samples: the Delaunay triangulation needs ~ 0.5 kB per point
MAX_DATA_LINE = 10_000  # characters in one line of a data file
MIN_SAMPLES = 4  # distinct samples a data target needs (training samples, after any holdout)
MAX_HOLDOUT = 0.9  # largest fraction of samples held out

# -- interactive figures (univ.widgets, univ.page) -----------------------------------------------------------------
MAX_WIDGET_NEURONS = 200  # the notebook widgets redraw every bump on each move: < 100 ms up to here
MAX_PAGE_NEURONS = 400  # largest neuron count a page embeds; the browser re-evaluates them on every move
