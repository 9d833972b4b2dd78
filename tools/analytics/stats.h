// The statistics of `aisle report`: two-proportion tests for rates, Welch's t-test for
// means (AOV, revenue per session), and the sample a test needs to detect an effect.
#pragma once

#include <cstdint>
#include <vector>

namespace aisle {

double normal_cdf(double z);
double student_t_cdf(double t, double df);  // df > 0

struct Comparison {
  double control = 0, variant = 0;          // the two estimates (rates or means)
  double diff = 0;                          // variant - control
  double diff_lo = 0, diff_hi = 0;          // 95% confidence interval of diff
  double relative = 0;                      // variant / control - 1 (0 when control is 0)
  double relative_lo = 0, relative_hi = 0;  // 95% interval of relative (log-ratio, rates only)
  double p_value = 1;                       // two-sided
  bool valid = false;                       // enough data for the test (both samples non-trivial)
};

// Conversion-style rates: x successes of n. The interval is Wald's (unpooled), the
// p-value the pooled z-test's, the relative interval from the log of the ratio.
Comparison compare_rates(uint64_t x_control, uint64_t n_control, uint64_t x_variant,
                         uint64_t n_variant);

// Means of two samples by Welch's t-test (unequal variances).
Comparison compare_means(const std::vector<double>& control, const std::vector<double>& variant);

// Observed counts against what a reference predicts (indirect standardization): `observed`
// events where `expected` were predicted, e.g. a slice's clicks against the clicks the other
// slices' click-through rate at the same list positions predicts. The ratio observed /
// expected with Garwood's exact Poisson 95% interval (the expectation taken as known).
struct Ratio {
  double observed = 0, expected = 0, ratio = 0, lo = 0, hi = 0;
  bool valid = false;  // expected > 0
};
Ratio observed_vs_expected(uint64_t observed, double expected);

// Per-arm sample to detect a relative change `effect` of a rate `p` with a two-sided 5%
// test at 80% power.
uint64_t sample_needed(double p, double effect);

}  // namespace aisle
