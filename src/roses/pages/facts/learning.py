"""Facts for Learning (report chapter 5)."""

from __future__ import annotations

from roses.pages.facts import facts_for, published
from roses.pages.facts.common import count, factor_means, groups
from roses.published import tables


@facts_for("learning")
def learning(data_dir):
    facts = groups(data_dir)
    for factor in ("family_finding", "group_supervision", "practice_leaders"):
        facts.update(factor_means(data_dir, factor))
    offer = tables.training_offer(data_dir).set_index(["strand", "element"])["quantity"]

    def quantity(strand: str, element: str):
        return published(f"{offer[(strand, element)]:.0f}")

    family = "Family Finding (building family networks)"
    facts.update(
        sp_days=quantity("Safety planning and networks", "Days available to each local authority"),
        pl_max_days=quantity("Practice Leader development", "Maximum days across all authorities"),
        pl_group_size=quantity("Practice Leader development", "Size of a practice leader group"),
        ff_places=quantity(family, "Places for staff from EIP authorities (weighted to authority size)"),
        ff_bootcamps=published(count(offer[(family, "Five-day bootcamps")])),
    )
    return facts
