#include "storefront.h"

#include <algorithm>

#include "time_parse.h"

namespace aisle {

// The snapshot bytes, their view and the engine over it: replaced together, at a stable
// address (the engine keeps a reference to the snapshot, the snapshot points into bytes).
struct Storefront::Loaded {
  std::vector<uint8_t> bytes;
  Snapshot snapshot;
  std::unique_ptr<Engine> engine;
};

Storefront::Storefront() = default;
Storefront::~Storefront() = default;

Status Storefront::load(std::vector<uint8_t> bytes) {
  auto next = std::make_unique<Loaded>();
  next->bytes = std::move(bytes);
  auto opened = Snapshot::open(next->bytes.data(), next->bytes.size());
  if (!opened.is_ok()) return opened.status();
  next->snapshot = opened.value();
  next->engine = std::make_unique<Engine>(next->snapshot);
  if (!next->engine->rules_status().is_ok())
    return Status(StatusCode::kCorrupt,
                  "the snapshot's rules: " + next->engine->rules_status().message());
  loaded_ = std::move(next);
  base_rules_ = loaded_->engine->rules();
  visitor_.clear();  // the new engine has the base rules already
  reset_visit();
  return Status::ok();
}

const Snapshot& Storefront::snapshot() const {
  static const Snapshot kEmpty;
  return loaded_ ? loaded_->snapshot : kEmpty;
}

Engine* Storefront::engine() {
  return loaded_ ? loaded_->engine.get() : nullptr;
}

uint32_t Storefront::find_category(std::string_view text) const {
  // The wanted path, split at '>' and trimmed, must be the tail of the category's path.
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  std::vector<std::string_view> want, path;
  for (size_t start = 0;;) {
    const size_t gt = text.find('>', start);
    want.push_back(trim(text.substr(start, gt == std::string_view::npos ? gt : gt - start)));
    if (gt == std::string_view::npos) break;
    start = gt + 1;
  }
  if (want.empty() || want.back().empty()) return fmt::kNone;
  const Snapshot& snap = snapshot();
  for (uint32_t c = 0; c < snap.category_count(); ++c) {
    snap.category_path(c, &path);
    if (path.size() >= want.size() &&
        std::equal(want.begin(), want.end(), path.end() - long(want.size())))
      return c;
  }
  return fmt::kNone;
}

Status Storefront::request(const RequestInput& in, Request* out) const {
  if (!loaded_) return Status(StatusCode::kNotFound, "no snapshot loaded");
  Request req;
  if (!parse_placement(in.placement, &req.placement))
    return Status(StatusCode::kInvalidArgument,
                  "unknown placement '" + std::string(in.placement) + "'");
  if (!in.item.empty() && !loaded_->snapshot.find_item(in.item, &req.item)) req.item = fmt::kNone;
  if (!in.category.empty()) req.category = find_category(in.category);
  req.k = std::max(1u, std::min(in.k, kMaxK));
  req.now_ms = in.now_ms;
  req.fill = in.fill;
  req.profile = profile_.returning() ? &profile_ : nullptr;
  *out = req;
  return Status::ok();
}

Status Storefront::track(const EventInput& in, TrackResult* out) {
  TrackResult local;
  TrackResult& result = out != nullptr ? *out : local;
  result = TrackResult();
  if (!loaded_) return Status(StatusCode::kNotFound, "no snapshot loaded");
  ShopperEvent e;
  if (!parse_event_type(in.event, &e.type)) {
    result.ignored = true;
    return Status::ok();
  }
  if (in.has_ts) {
    e.ts_ms = in.ts_ms;
  } else if (in.timestamp.empty() || !parse_time_ms(in.timestamp, &e.ts_ms)) {
    e.ts_ms = in.now_ms;
  }
  items_.clear();
  for (size_t i = 0; i < in.item_count && i < kMaxEventItems; ++i) {
    uint32_t index;
    if (!in.item_ids[i].empty() && loaded_->snapshot.find_item(in.item_ids[i], &index))
      items_.push_back(index);
    else
      ++result.unknown_items;
  }
  e.items = items_.data();
  e.item_count = items_.size();
  apply_event_text(in.text, &e);
  session_.track(e);
  return Status::ok();
}

void Storefront::end_visit() {
  profile_.end_visit(session_);
  session_.reset();
}

void Storefront::reset_visit() {
  session_.reset();
  profile_ = Profile();
  if (!visitor_.empty()) {
    visitor_.clear();
    apply_rules();
  }
}

std::string Storefront::export_profile() const {
  return profile_.to_json(snapshot());
}

Status Storefront::import_profile(std::string_view json) {
  return profile_.from_json(json, snapshot());
}

std::string_view Storefront::snapshot_rules() const {
  return snapshot().rules_text();
}

void Storefront::apply_rules() {
  loaded_->engine->set_rules(visitor_.empty() ? base_rules_
                                              : rules_for_visitor(base_rules_, visitor_, nullptr));
}

Status Storefront::set_rules_json(std::string_view json) {
  if (!loaded_) return Status(StatusCode::kNotFound, "no snapshot loaded");
  Rules rules;
  const Status st = parse_rules_for_snapshot(json, snapshot().rules_text(), &rules);
  if (!st.is_ok()) return st;
  base_rules_ = std::move(rules);
  apply_rules();
  return Status::ok();
}

Status Storefront::assign(std::string_view visitor, std::vector<Assignment>* out) {
  if (!loaded_) return Status(StatusCode::kNotFound, "no snapshot loaded");
  if (visitor.empty() || visitor.size() > 200)
    return Status(StatusCode::kInvalidArgument, "a visitor id of 1 to 200 characters is required");
  visitor_ = std::string(visitor);
  loaded_->engine->set_rules(rules_for_visitor(base_rules_, visitor_, out));
  return Status::ok();
}

}  // namespace aisle
