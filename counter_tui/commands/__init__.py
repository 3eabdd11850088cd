"""The ``counter-tui`` subcommands: one module per command group, each with an ``add_*_command``
that registers its parsers and the handlers they run (``counter_tui.cli`` builds the parser).

Nothing outside the CLI imports these modules. At module level they import only argparse and
light helpers; everything a handler needs is imported inside it (start-up cost).
"""
