"""The Analyses tab: Monte Carlo, sweep, tornado, sizing and cheapest power mix over
core.explore, run on the app's task runner and stored in the project (core.analyses)."""
