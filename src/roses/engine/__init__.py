"""The engine: how a book is executed and built, the same for the main book and every edition.

- ``execute``: notebooks run by papermill on long-lived kernels (``kernel(index)``), injected
  parameters hidden, stderr dropped, the files each page read collected;
- ``forkserver``: kernels forked warm from a server that has imported roses;
- ``sphinx``: Sphinx in-process as ``jupyter-book build`` runs it, execution off;
- ``publish``: work folders beside the target and the atomic swap into place;
- ``compat``: every private or internal API of the build stack roses relies on, each with a test
  (tests/test_compat.py, also run against newer releases by ``make compat``).

What is built (the main book's chapters, an edition's plan) is decided above, in ``site`` and
``editions``; the engine knows nothing of the report.
"""
