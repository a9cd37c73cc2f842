# Shared declaration so other kernels (Monte Carlo) can call one hourly year without the GIL.
cdef void year_core(const double* p, const double* temp, const double* solar_cf,
                    const double* wind_cf, const double* grid_ci, const double* util,
                    double* out, double* hourly, Py_ssize_t hourly_stride) noexcept nogil

# The same annual totals without the hourly series, faster (see _hourly_cy.pyx).
cdef void year_totals(const double* p, const double* temp, const double* solar_cf,
                      const double* wind_cf, const double* grid_ci, const double* util,
                      double* out, double* scratch, const double* wue_h, bint flat_util) noexcept nogil
