"""The shipped scenario files (`*.toml`), installed with the package as data.

Read them through `simulation.scenario` (`available`, `load`), which finds this folder
with `importlib.resources`; their contents are described in docs/ODD.md.
"""
