"""Subcommands of ``roses``: each module here defines ``register(subparsers)``.

``register`` adds one subparser and sets ``run=function(args) -> exit code`` on it. A function
raises ``RosesError`` for anything the user must fix; the CLI prints it and exits 2.
"""
