"""Survey evidence: instruments, readers, scoring, disclosure control, comments and illustrative data."""
