"""Headless `aisite` commands. Each module defines NAME, HELP, add_arguments(parser)
and run(args) -> exit status; app/cli.py builds the argument parser from COMMANDS.

Add a command by writing a module here and listing it below (order = order in --help).
"""
COMMANDS = [
    "aisite.core.commands.evaluate_cmd",
    "aisite.core.commands.bench_cmd",
    "aisite.core.commands.new_cmd",
    "aisite.core.commands.import_cmd",
    "aisite.core.commands.export_cmd",
    "aisite.core.commands.list_cmd",
    "aisite.core.commands.samples_cmd",
    "aisite.core.commands.montecarlo_cmd",
    "aisite.core.commands.sweep_cmd",
    "aisite.core.commands.tornado_cmd",
    "aisite.core.commands.size_cmd",
    "aisite.core.commands.optimize_power_cmd",
    "aisite.core.commands.compare_cmd",
    # Drawn with Qt (offscreen when there is no display), so it lives with the app.
    "aisite.app.report.report_cmd",
]
