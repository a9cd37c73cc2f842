"""What-if exploration over scenarios (no Qt): the functions the CLI and the GUI call.

- core.explore.montecarlo.monte_carlo(doc, samples=, seed=): uncertain inputs ->
  P10/P50/P90, histograms, samples, correlations
- core.explore.sweep.sweep(doc, [(path, values), ...], keys): 1-D and 2-D sweeps as a
  pandas DataFrame
- core.explore.tornado.tornado(doc, result_key): each uncertain input at low and high,
  ranked by swing
- core.explore.sizing.size(doc, max_facility_mw=, max_capex_usd=, max_racks=): inverse
  sizing and the binding constraint
- core.explore.power_mix.optimise_power(doc, ...): the cheapest power mix under
  constraints (an LP over 8,760 hours, HiGHS)
- core.explore.paths: get and set numbers in a scenario dict by path (``power[1].mw``)
- core.explore.uncertain: a scenario's uncertain inputs and the shipped defaults

Long runs take `progress(done, total)` callbacks, called on the calling thread between
chunks, that may return False to cancel (core.errors.Cancelled is raised within one
chunk). A GUI runs them on a worker thread: the compiled kernels release the GIL.
"""
