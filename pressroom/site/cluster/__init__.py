"""Builds on a Dask distributed cluster (``build --executor dask``).

``inputs``: project files -> the bytes a worker renders from; ``worker``: a job on a
Dask worker -> its results and files; ``executor``: the build's jobs -> the cluster
-> files in the staging directory. Dask's ``distributed`` is imported only when a
build uses it (the toolkit's ``dask`` extra).
"""
