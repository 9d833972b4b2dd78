#include "stats.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>

namespace aisle {
namespace {

// Boost.Math (Debian's libboost-math-dev, header-only) computes the distributions; its
// default policy throws on a domain error, which the callers rule out (df > 0, finite t).
const double kZ975 = boost::math::quantile(boost::math::normal(), 0.975);  // two-sided 95%
const double kZ80 = boost::math::quantile(boost::math::normal(), 0.80);    // 80% power

// The t quantile for a two-sided 95% interval.
double t975(double df) {
  return boost::math::quantile(boost::math::students_t(df), 0.975);
}

}  // namespace

double normal_cdf(double z) {
  return boost::math::cdf(boost::math::normal(), z);
}

double student_t_cdf(double t, double df) {
  return boost::math::cdf(boost::math::students_t(df), t);
}

Comparison compare_rates(uint64_t xc, uint64_t nc, uint64_t xv, uint64_t nv) {
  Comparison c;
  if (nc == 0 || nv == 0) return c;
  const double p0 = double(xc) / double(nc), p1 = double(xv) / double(nv);
  c.control = p0;
  c.variant = p1;
  c.diff = p1 - p0;
  const double se = std::sqrt(p0 * (1 - p0) / double(nc) + p1 * (1 - p1) / double(nv));
  c.diff_lo = c.diff - kZ975 * se;
  c.diff_hi = c.diff + kZ975 * se;
  const double pooled = double(xc + xv) / double(nc + nv);
  const double se0 = std::sqrt(pooled * (1 - pooled) * (1.0 / double(nc) + 1.0 / double(nv)));
  c.valid = se0 > 0;
  c.p_value = c.valid ? 2 * (1 - normal_cdf(std::fabs(c.diff) / se0)) : 1;
  if (p0 > 0 && p1 > 0) {
    c.relative = p1 / p0 - 1;
    const double sl = std::sqrt((1 - p1) / (double(nv) * p1) + (1 - p0) / (double(nc) * p0));
    c.relative_lo = std::exp(std::log(p1 / p0) - kZ975 * sl) - 1;
    c.relative_hi = std::exp(std::log(p1 / p0) + kZ975 * sl) - 1;
  }
  return c;
}

Comparison compare_means(const std::vector<double>& a, const std::vector<double>& b) {
  Comparison c;
  auto moments = [](const std::vector<double>& v, double* mean, double* var) {
    double s = 0;
    for (double x : v) s += x;
    *mean = v.empty() ? 0 : s / double(v.size());
    double q = 0;
    for (double x : v) q += (x - *mean) * (x - *mean);
    *var = v.size() > 1 ? q / double(v.size() - 1) : 0;
  };
  double m0, v0, m1, v1;
  moments(a, &m0, &v0);
  moments(b, &m1, &v1);
  c.control = m0;
  c.variant = m1;
  c.diff = m1 - m0;
  if (m0 != 0) c.relative = m1 / m0 - 1;
  if (a.size() < 2 || b.size() < 2) return c;
  const double s0 = v0 / double(a.size()), s1 = v1 / double(b.size());
  const double se = std::sqrt(s0 + s1);
  if (!(se > 0)) return c;
  const double df =
      (s0 + s1) * (s0 + s1) / (s0 * s0 / double(a.size() - 1) + s1 * s1 / double(b.size() - 1));
  const double q = t975(df);
  c.diff_lo = c.diff - q * se;
  c.diff_hi = c.diff + q * se;
  if (m0 != 0) {
    c.relative_lo = c.diff_lo / m0;
    c.relative_hi = c.diff_hi / m0;
  }
  c.p_value = 2 * (1 - student_t_cdf(std::fabs(c.diff) / se, df));
  c.valid = true;
  return c;
}

Ratio observed_vs_expected(uint64_t observed, double expected) {
  Ratio r;
  r.observed = double(observed);
  r.expected = expected;
  if (!(expected > 0)) return r;
  r.valid = true;
  r.ratio = r.observed / expected;
  // Garwood: the 2.5% and 97.5% points of the Poisson mean given `observed` events.
  r.lo = observed == 0 ? 0 : boost::math::gamma_p_inv(r.observed, 0.025) / expected;
  r.hi = boost::math::gamma_p_inv(r.observed + 1, 0.975) / expected;
  return r;
}

uint64_t sample_needed(double p, double effect) {
  const double p1 = p * (1 + effect);
  if (!(p > 0) || !(p < 1) || !(p1 > 0) || !(p1 < 1) || effect == 0) return 0;
  const double z = kZ975 + kZ80;
  return uint64_t(std::ceil(z * z * (p * (1 - p) + p1 * (1 - p1)) / ((p1 - p) * (p1 - p))));
}

}  // namespace aisle
