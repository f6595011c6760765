"""pytest at the top of the checkout: doctests are collected from univ/ too (pyproject: ``--doctest-modules``);
modules that must not be imported by a test run are left out here."""

collect_ignore = [
    "univ/__main__.py",  # ``python -m univ``: importing it runs the CLI
    "univ/_scene_runner.py",  # Manim's launcher, run apart as a script (it imports manim when run)
]
collect_ignore_glob = [
    "scenes/*",  # Manim scenes import manim at module level (the video extra)
    "outputs/*",
    "media/*",
]
