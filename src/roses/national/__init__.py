"""Real national statistics (DfE, Ofsted, ONS, Cafcass via LAIT): readers, indicators, the England index.

``readers`` parses the files in ``data/dfe/``; ``indicators`` turns them into the indicators named
in ``data/dfe/indicators.yml`` and compares an authority with England and its statistical
neighbours; ``illustrative`` makes the per-letter series the report's figures show.
"""
