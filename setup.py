"""Packaging beside pyproject.toml (which holds everything else): the scenes/ folder at the top of the checkout is
installed inside the package, as univ.scenes, so a non-editable install renders videos too."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["univ", "univ.*"]), "univ.scenes"],
    package_dir={"univ.scenes": "scenes"},
)
