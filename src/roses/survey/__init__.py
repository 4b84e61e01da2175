"""Survey evidence: instruments, readers, scoring, disclosure control, comments and illustrative data."""

# The illustrative surveys' random seed (``roses synth --seed``): here, so the command line can show it
# without importing pandas.
SEED = 20190601
