#include "stats.h"

#include <cmath>

namespace aisle {
namespace {

constexpr double kZ975 = 1.959963984540054;  // two-sided 95%
constexpr double kZ80 = 0.8416212335729143;  // 80% power

// Continued fraction of the incomplete beta function (Numerical Recipes' betacf).
double beta_fraction(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < 1e-15) break;
  }
  return h;
}

// Regularized incomplete beta I_x(a, b).
double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  return x < (a + 1) / (a + b + 2) ? front * beta_fraction(a, b, x) / a
                                   : 1 - front * beta_fraction(b, a, 1 - x) / b;
}

// The t quantile for a two-sided 95% interval, by bisection on the CDF.
double t975(double df) {
  if (df > 1e6) return kZ975;
  double lo = 0, hi = 1000;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (student_t_cdf(mid, df) < 0.975 ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

}  // namespace

double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

double student_t_cdf(double t, double df) {
  const double tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
  return t >= 0 ? 1 - tail : tail;
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

uint64_t sample_needed(double p, double effect) {
  const double p1 = p * (1 + effect);
  if (!(p > 0) || !(p < 1) || !(p1 > 0) || !(p1 < 1) || effect == 0) return 0;
  const double z = kZ975 + kZ80;
  return uint64_t(std::ceil(z * z * (p * (1 - p) + p1 * (1 - p1)) / ((p1 - p) * (p1 - p))));
}

}  // namespace aisle
