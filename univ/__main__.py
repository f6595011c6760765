"""``python -m univ`` is the ``univ`` command."""

from univ.cli import main

main()
