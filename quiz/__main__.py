"""``python -m quiz``: the same command line as the ``quiz`` script."""

from .cli import main

main()
