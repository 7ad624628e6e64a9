"""`python -m truthgraph.cli`: the same as the `truthgraph` command."""

from truthgraph.cli import main

main(prog_name="truthgraph")
