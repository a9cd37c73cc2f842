"""Columns of the Monte Carlo kernel's schedule input (one row per sample).

The eight task durations (months; NaN where a task does not apply to the site) in the
order of core.scenario.SCHEDULE_TASKS, then the power and load figures the milestones
depend on. Must match the DEF constants in _montecarlo_cy.pyx.
"""
SCHED_TASKS = ("permitting", "grid_connection", "onsite_power", "building", "cooling_equipment",
               "electrical_equipment", "accelerator_delivery", "install")
S_GRID_MW = 8
S_ONSITE_MW = 9        # on-site firm MW (after availability)
S_NEED_FIRST = 10      # facility MW needed for the first phase
S_NEED_FULL = 11       # facility MW needed at full capacity
S_PHASE_SPAN = 12      # months from the first phase to the last
N_SCHED = 13
