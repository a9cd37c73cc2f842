"""Headless `aisite` commands. Each module defines NAME, HELP, add_arguments(parser)
and run(args) -> exit status; app/cli.py builds the argument parser from COMMANDS.

Add a command by writing a module here and listing it below (order = order in --help).
"""
COMMANDS = [
    "core.commands.evaluate_cmd",
    "core.commands.bench_cmd",
    "core.commands.new_cmd",
    "core.commands.import_cmd",
    "core.commands.export_cmd",
    "core.commands.list_cmd",
    "core.commands.montecarlo_cmd",
    "core.commands.sweep_cmd",
    "core.commands.tornado_cmd",
    "core.commands.size_cmd",
    "core.commands.optimize_power_cmd",
    "core.commands.compare_cmd",
    # Drawn with Qt (offscreen when there is no display), so it lives with the app.
    "app.report.report_cmd",
]
