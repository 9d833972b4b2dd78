#include "popularity.h"

#include <cmath>
#include <limits>

namespace aisle {
namespace {
constexpr double kMaxExponent = 500;  // 2^500 is far inside double range
uint32_t saturating_add(uint32_t a, int64_t b) {
  const int64_t s = int64_t(a) + b;
  return s > int64_t(std::numeric_limits<uint32_t>::max()) ? std::numeric_limits<uint32_t>::max()
                                                           : uint32_t(s);
}
}  // namespace

PopularityBuilder::PopularityBuilder(size_t item_count, uint32_t half_life_s)
    : counts_(item_count), trend_(item_count, 0.0), half_life_ms_(double(half_life_s) * 1000.0) {}

double PopularityBuilder::weight(EventType type) {
  switch (type) {
    case EventType::kViewItem:
    case EventType::kSelectItem:
      return 1;
    case EventType::kAddToCart:
      return 3;
    case EventType::kPurchase:
      return 5;
    default:
      return 0;
  }
}

void PopularityBuilder::rescale(int64_t new_anchor_ms) {
  const double factor = std::exp2(double(anchor_ms_ - new_anchor_ms) / half_life_ms_);
  for (double& t : trend_) t *= factor;
  anchor_ms_ = new_anchor_ms;
}

void PopularityBuilder::add(uint32_t item, EventType type, int64_t ts_ms, int64_t quantity) {
  ItemPopularity& c = counts_[item];
  switch (type) {
    case EventType::kViewItem:
    case EventType::kSelectItem:
      c.views = saturating_add(c.views, 1);
      break;
    case EventType::kAddToCart:
      c.carts = saturating_add(c.carts, quantity);
      break;
    case EventType::kPurchase:
      c.purchases = saturating_add(c.purchases, quantity);
      break;
    default:
      return;
  }
  if (!anchored_) {
    anchor_ms_ = ts_ms;
    anchored_ = true;
  }
  double exponent = double(ts_ms - anchor_ms_) / half_life_ms_;
  if (exponent > kMaxExponent) {
    rescale(ts_ms);
    exponent = 0;
  }
  if (exponent < -kMaxExponent) return;  // negligible next to what is already there
  const double units = type == EventType::kPurchase ? double(quantity) : 1.0;
  trend_[item] += weight(type) * units * std::exp2(exponent);
}

std::vector<ItemPopularity> PopularityBuilder::finish(int64_t as_of_ms) const {
  std::vector<ItemPopularity> out = counts_;
  const double factor = std::exp2(double(anchor_ms_ - as_of_ms) / half_life_ms_);
  for (size_t i = 0; i < out.size(); ++i) {
    const double t = trend_[i] * factor;
    out[i].trend = std::isfinite(t) ? float(std::min(t, 3.0e38)) : 0.0f;
  }
  return out;
}

}  // namespace aisle
