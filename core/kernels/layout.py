"""Index layout of the hourly kernel's parameter and result vectors.

The kernel takes its scalar inputs as one float64 vector (one row per sample in a
batch) so Monte Carlo can vary any of them without touching Python per sample.
Firm on-site sources are dispatched in merit order in N_FIRM slots.
"""
N_FIRM = 4

# parameter vector
P_IT_PEAK_MW = 0        # IT load at full utilisation
P_IT_IDLE_MW = 1        # IT load when idle
P_PUE_MIN = 2
P_PUE_MAX = 3
P_ECON_T = 4            # ambient temperature up to which PUE stays at its minimum
P_PUE_SLOPE = 5         # PUE rise per degree C above P_ECON_T
P_PUE_FIXED = 6         # > 0: fixed PUE for every hour (override)
P_WUE_MIN = 7           # litres per kWh of IT energy
P_WUE_MAX = 8
P_WUE_T = 9
P_WUE_SLOPE = 10
P_SOLAR_MW = 11
P_WIND_MW = 12
P_BATT_MW = 13
P_BATT_MWH = 14
P_BATT_EFF = 15         # round-trip efficiency; split evenly between charge and discharge
P_GRID_MW = 16
P_GRID_CI_SCALE = 17    # multiplies the hourly grid carbon profile
P_UTIL_SCALE = 18       # multiplies the hourly utilisation profile (capped at 1)
P_BACKUP_MW = 19        # diesel: after grid import, before unserved
P_BACKUP_TCO2_PER_MWH = 20
P_FIRM_MW = 21          # N_FIRM capacities, merit order
P_FIRM_TCO2_PER_MWH = P_FIRM_MW + N_FIRM
N_PARAMS = P_FIRM_TCO2_PER_MWH + N_FIRM

# result vector (annual totals)
R_IT_MWH = 0
R_FACILITY_MWH = 1
R_IT_PEAK_MW = 2
R_FACILITY_PEAK_MW = 3
R_SOLAR_GEN_MWH = 4
R_WIND_GEN_MWH = 5
R_RENEWABLE_USED_MWH = 6   # renewables straight to load
R_CURTAILED_MWH = 7
R_CHARGE_MWH = 8
R_DISCHARGE_MWH = 9
R_GRID_MWH = 10
R_GRID_PEAK_MW = 11
R_BACKUP_MWH = 12
R_UNSERVED_MWH = 13
R_UNSERVED_HOURS = 14
R_TCO2_LOCATION = 15
R_GRID_TCO2 = 16
R_WATER_M3 = 17
R_CARBON_FREE_MWH = 18
R_PUE_SUM = 19            # sum of hourly PUE, for the plain average
R_FIRM_MWH = 20           # N_FIRM slots
N_RESULTS = R_FIRM_MWH + N_FIRM

# hourly series (rows of the optional hourly output)
HOURLY_SERIES = (
    "it_mw", "facility_mw", "pue", "solar_mw", "wind_mw", "battery_discharge_mw",
    "battery_charge_mw", "battery_soc_mwh", "firm_mw", "grid_mw", "backup_mw",
    "unserved_mw", "curtailed_mw", "water_m3",
)
N_HOURLY = len(HOURLY_SERIES)
HOURS = 8760
