"""Sample corpus and claims used by `truthgraph demo`."""
