"""Model management: where a model setting points (resolve), pulling from the hub,
exporting PyTorch checkpoints, and writing model directories.

It sits above `truthgraph.inference`: it reads the manifest format the runtime defines
and runs what it writes through the runtime once; `truthgraph.inference` never imports
it. Nothing here is imported by the service's request paths except `resolve`.
"""
