"""Per-authority editions of the book: anonymised, leak-scanned, moved into place only when complete.

Two kinds (``plan.plan_edition`` decides from the name):

- a **programme edition** for a letter A-K: every chapter of the book, executed with
  ``authority=<letter>`` so that letter is highlighted; peers stay letters or group summaries;
- an **authority edition** for a real English authority (``Derby``, or its DfE code ``831``): only
  the exhibits that are real national statistics for it, or its own local survey evidence, with
  every other authority's rows removed.

The flow of one edition (``build.build_edition``)::

    plan -> papermill each page (persistent kernel, injected parameters hidden)
         -> generated _toc.yml/_config.yml, Sphinx in-process with execution off
         -> shared _static -> leak scan -> rename into _build/editions/<name>/html/

``batch.build_many`` runs many editions on local worker processes or a Dask cluster.
See docs/editions.md for the decisions behind this.
"""
