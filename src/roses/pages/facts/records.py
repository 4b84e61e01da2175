"""Facts for the Provenance and What changed pages (about this build, not the report)."""

from __future__ import annotations

from roses.pages.facts import analysis, facts_for
from roses.records import provenance, releases


@facts_for("provenance")
def build(data_dir):
    files = provenance.data_files(data_dir)
    table = provenance.packages()
    return {
        "prov_hash": analysis("SHA-256"),  # the checksum algorithm, named in the prose
        "prov_commit": analysis(provenance.git_commit()),
        "prov_build_date": analysis(provenance.build_date()),
        "prov_n_files": analysis(len(files)),
        "prov_n_packages": analysis(len(table)),
        "prov_n_mismatched": analysis(int((~table["matches"]).sum())),
    }


@facts_for("what-changed")
def changes(data_dir):
    counts, _, _ = releases.changes(data_dir)
    return {name: analysis(text) for name, text in counts.items()}
