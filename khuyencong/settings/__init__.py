"""Settings package.

`base` is the whole configuration, read from the environment: production,
`make run`, the worker and beat load it. `test` only makes the test run fast and
self-contained on top of it, so CI exercises what production runs.
"""
