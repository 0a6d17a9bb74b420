#ifndef SYMSTUDY_CGSL_H
#define SYMSTUDY_CGSL_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_multifit_nlinear.h>

// Swift 6 refuses GSL's global `const gsl_rng_type *` variables (shared mutable state), so the
// generator types are handed out by functions.
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *cgsl_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }
static inline const gsl_rng_type *cgsl_rng_taus2(void) { return gsl_rng_taus2; }

// Seeds GSL's MT19937 exactly as the reference init_genrand does (and so as NumPy's legacy
// RandomState, which Optuna's samplers use), for every 32-bit seed: gsl_rng_set maps seed 0 to 4357.
// The struct is GSL's own mt_state_t (mt.c), unchanged since GSL 1.0; the size check guards it.
typedef struct { unsigned long mt[624]; int mti; } cgsl_mt19937_state;
static inline int cgsl_rng_mt19937_init_genrand(gsl_rng *r, unsigned long seed) {
    if (gsl_rng_size(r) != sizeof(cgsl_mt19937_state)) return -1;
    cgsl_mt19937_state *state = (cgsl_mt19937_state *) gsl_rng_state(r);
    state->mt[0] = seed & 0xffffffffUL;
    for (int i = 1; i < 624; i++) {
        state->mt[i] = (1812433253UL * (state->mt[i - 1] ^ (state->mt[i - 1] >> 30)) + (unsigned long) i) & 0xffffffffUL;
    }
    state->mti = 624;
    return 0;
}

// GSL's default error handler aborts the process; symstudy checks return codes instead.
static inline void cgsl_disable_error_handler(void) { gsl_set_error_handler_off(); }

// Levenberg-Marquardt trust-region method and its default parameters, for the same reason as above.
static inline const gsl_multifit_nlinear_type *cgsl_multifit_nlinear_trust(void) { return gsl_multifit_nlinear_trust; }
static inline gsl_multifit_nlinear_parameters cgsl_multifit_nlinear_default_parameters(void) {
    return gsl_multifit_nlinear_default_parameters();
}

#endif
