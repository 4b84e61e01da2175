"""Options several commands share are declared once (``roses.commands.add_data_option``), so every
command's ``--data`` reads and behaves the same."""

from __future__ import annotations

from roses.commands import cli
from roses.core.paths import REPO_ROOT

COMMANDS = REPO_ROOT / "src" / "roses" / "commands"


def test_data_is_declared_once():
    declared = [p.name for p in sorted(COMMANDS.glob("*.py")) if '"--data"' in p.read_text(encoding="utf-8")]
    assert declared == ["__init__.py"]


def test_every_command_that_takes_data_words_it_the_same():
    top = cli.parser()
    subcommands = next(a for a in top._actions if a.dest == "command").choices
    helps = {}
    for name, sub in subcommands.items():
        for action in sub._actions:
            if "--data" in action.option_strings:
                helps[name] = action.help
    assert {"build", "data", "edition", "editions", "release", "verify"} <= set(helps)
    assert all(h.startswith("data folder") and "(default: the repository's data/)" in h for h in helps.values())
