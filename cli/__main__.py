"""`python -m cli`: the same as the `concord` command."""

from cli import main

main()
