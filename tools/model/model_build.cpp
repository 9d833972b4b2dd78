#include "model_build.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <string_view>
#include <unordered_map>

namespace aisle {
namespace {

// Best first; ties by item, so lists are the same on every platform.
bool better(const ScoredItem& x, const ScoredItem& y) {
  return x.score != y.score ? x.score > y.score : x.item < y.item;
}

uint64_t mix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  return k;
}

}  // namespace

void PairWeights::add(uint32_t a, uint32_t b, double w) {
  if ((size_ + 1) * 2 > slots_.size()) grow();
  const uint64_t key = uint64_t(a) << 32 | b;
  size_t i = mix(key) & (slots_.size() - 1);
  while (slots_[i].key != kEmpty && slots_[i].key != key) i = (i + 1) & (slots_.size() - 1);
  if (slots_[i].key == kEmpty) {
    slots_[i].key = key;
    ++size_;
  }
  slots_[i].weight += w;
}

std::vector<std::vector<ScoredItem>> PairWeights::top_lists(
    size_t items, uint32_t keep,
    const std::function<float(uint32_t, uint32_t, double)>& score) const {
  std::vector<std::vector<ScoredItem>> out(items);
  for (const Slot& slot : slots_) {
    if (slot.key == kEmpty) continue;
    const auto a = uint32_t(slot.key >> 32), b = uint32_t(slot.key);
    const float s = score(a, b, slot.weight);
    if (s > 0 && std::isfinite(s)) out[a].push_back(ScoredItem{b, s});
  }
  for (auto& list : out) {
    if (list.size() > keep) {
      std::partial_sort(list.begin(), list.begin() + keep, list.end(), better);
      list.resize(keep);
    } else {
      std::sort(list.begin(), list.end(), better);
    }
    list.shrink_to_fit();
  }
  return out;
}

void PairWeights::grow() {
  std::vector<Slot> slots(slots_.size() * 2);
  for (const Slot& s : slots_) {
    if (s.key == kEmpty) continue;
    size_t j = mix(s.key) & (slots.size() - 1);
    while (slots[j].key != kEmpty) j = (j + 1) & (slots.size() - 1);
    slots[j] = s;
  }
  slots_.swap(slots);
}

namespace {

bool is_click(EventType t) {
  return t == EventType::kViewItem || t == EventType::kSelectItem || t == EventType::kAddToCart;
}

}  // namespace

void InteractionLog::add(std::string_view session, uint32_t item, EventType type, int64_t ts_ms) {
  if (entries_.empty() ||
      session != last_session_) {  // logs mostly keep a session's events together
    last_session_.assign(session.data(), session.size());
    auto it = session_ids_.find(last_session_);
    if (it == session_ids_.end())
      it = session_ids_.emplace(last_session_, uint32_t(session_ids_.size())).first;
    last_id_ = it->second;
  }
  entries_.push_back(Entry{ts_ms, last_id_, item << 4 | uint32_t(type)});
}

int64_t InteractionLog::split_recent(double share, uint64_t max_predictions, InteractionLog* early,
                                     PopularityBuilder* early_popularity,
                                     std::vector<std::vector<ReplayStep>>* late) const {
  if (entries_.empty()) return 0;
  int64_t first = INT64_MAX, last = INT64_MIN;
  uint32_t sessions = 0;
  for (const Entry& e : entries_) {
    first = std::min(first, e.ts);
    last = std::max(last, e.ts);
    sessions = std::max(sessions, e.session + 1);
  }
  const int64_t cut = last - int64_t(share * double(last - first));
  std::vector<int64_t> ends(sessions, INT64_MIN);
  std::vector<uint32_t> lengths(sessions, 0);
  for (const Entry& e : entries_) {
    ends[e.session] = std::max(ends[e.session], e.ts);
    ++lengths[e.session];
  }
  // Held out: the latest sessions ending after the cut, until enough predictions.
  std::vector<uint32_t> recent;
  for (uint32_t s = 0; s < sessions; ++s) {
    if (ends[s] > cut && lengths[s] > 0) recent.push_back(s);
  }
  std::sort(recent.begin(), recent.end(),
            [&](uint32_t a, uint32_t b) { return ends[a] != ends[b] ? ends[a] > ends[b] : a > b; });
  std::vector<uint32_t> slot(sessions, UINT32_MAX);  // held-out session -> index in `late`
  uint64_t predictions = 0;
  late->clear();
  for (uint32_t s : recent) {
    if (predictions >= max_predictions) break;
    slot[s] = uint32_t(late->size());
    late->emplace_back();
    predictions += lengths[s] - 1;
  }
  early->entries_.clear();
  early->session_ids_ = session_ids_;  // the index orders sessions of one time by key
  for (const Entry& e : entries_) {
    const uint32_t item = e.item_type >> 4;
    const auto type = EventType(e.item_type & 15);
    if (ends[e.session] > cut) {
      if (slot[e.session] != UINT32_MAX)
        (*late)[slot[e.session]].push_back(ReplayStep{e.ts, item, type});
      continue;
    }
    early->entries_.push_back(e);
    early_popularity->add(item, type, e.ts, 1);
  }
  for (auto& steps : *late) sort_by_time(&steps);
  return cut;
}

void InteractionLog::build(size_t item_count, const ModelOptions& o, ModelInput* model) {
  auto by_session_time = [](const Entry& a, const Entry& b) {
    return a.session != b.session ? a.session < b.session : a.ts < b.ts;
  };
  if (!std::is_sorted(entries_.begin(), entries_.end(), by_session_time)) {
    std::stable_sort(entries_.begin(), entries_.end(), by_session_time);
  }
  BehaviourCounts counts;
  struct SessionSpan {
    int64_t last_ts;
    const std::string* key;
    size_t begin, end;
  };
  std::vector<const std::string*> keys(session_ids_.size());
  for (const auto& entry : session_ids_) keys[entry.second] = &entry.first;
  std::vector<SessionSpan> spans;
  std::vector<uint32_t> clicks, basket;
  counts.buyers.assign(item_count, 0.0f);
  counts.session_counts.assign(item_count, 0);
  std::vector<uint32_t> last_session_seen(item_count, UINT32_MAX);
  for (size_t b = 0; b < entries_.size();) {
    size_t e = b;
    while (e < entries_.size() && entries_[e].session == entries_[b].session) ++e;
    clicks.clear();
    basket.clear();
    for (size_t i = b; i < e; ++i) {
      const uint32_t item = entries_[i].item_type >> 4;
      const auto type = EventType(entries_[i].item_type & 15);
      if (is_click(type)) clicks.push_back(item);
      if (type == EventType::kPurchase) {
        counts.buyers[item] += 1;
        if (basket.size() < o.max_basket &&
            std::find(basket.begin(), basket.end(), item) == basket.end())
          basket.push_back(item);
      }
      if (last_session_seen[item] != entries_[b].session) {
        last_session_seen[item] = entries_[b].session;
        ++counts.session_counts[item];
      }
    }
    // Sequential rules: j after i within the window, weighted 1 / distance.
    for (size_t i = 0; i < clicks.size(); ++i) {
      for (size_t j = i + 1; j < clicks.size() && j - i <= o.transition_window; ++j) {
        if (clicks[i] != clicks[j])
          counts.transitions.add(clicks[i], clicks[j], 1.0 / double(j - i));
      }
    }
    for (uint32_t x : basket) {
      for (uint32_t y : basket) {
        if (x != y) counts.bought.add(x, y, 1.0);
      }
    }
    if (!clicks.empty())
      spans.push_back(SessionSpan{entries_[e - 1].ts, keys[entries_[b].session], b, e});
    b = e;
  }

  // The session index: the most recent sessions, oldest first (of one time, by key), each
  // its latest distinct items.
  std::sort(spans.begin(), spans.end(), [](const SessionSpan& a, const SessionSpan& b) {
    return a.last_ts != b.last_ts ? a.last_ts < b.last_ts : *a.key < *b.key;
  });
  counts.log_sessions = spans.size();
  if (spans.size() > o.max_sessions) spans.erase(spans.begin(), spans.end() - o.max_sessions);
  counts.sessions.assign(spans.size(), {});
  counts.session_last_ms.resize(spans.size());
  for (size_t s = 0; s < spans.size(); ++s) {
    counts.session_last_ms[s] = spans[s].last_ts;
    auto& items = counts.sessions[s];
    for (size_t i = spans[s].end; i-- > spans[s].begin && items.size() < o.max_session_length;) {
      const uint32_t item = entries_[i].item_type >> 4;
      if (is_click(EventType(entries_[i].item_type & 15)) &&
          std::find(items.begin(), items.end(), item) == items.end()) {
        items.push_back(item);
      }
    }
    std::reverse(items.begin(), items.end());  // time order
  }
  std::vector<Entry>().swap(entries_);
  std::unordered_map<std::string, uint32_t>().swap(session_ids_);
  finish_model(std::move(counts), item_count, o, model);
}

void finish_model(BehaviourCounts&& counts, size_t item_count, const ModelOptions& o,
                  ModelInput* model) {
  model->transitions = counts.transitions.top_lists(
      item_count, o.list_length, [](uint32_t, uint32_t, double w) { return float(w); });
  // Bought together, discounted by how often the partner is bought at all, so best
  // sellers do not complete every basket.
  const std::vector<float>& buyers = counts.buyers;
  model->co_purchases =
      counts.bought.top_lists(item_count, o.list_length, [&](uint32_t, uint32_t b, double w) {
        return float(w) / std::sqrt(std::max(1.0f, buyers[b]));
      });
  std::vector<std::vector<uint32_t>>& sessions = counts.sessions;
  std::vector<int64_t>& last_ms = counts.session_last_ms;
  if (sessions.size() > o.max_sessions) {
    if (last_ms.size() == sessions.size())
      last_ms.erase(last_ms.begin(), last_ms.end() - o.max_sessions);
    sessions.erase(sessions.begin(), sessions.end() - o.max_sessions);
  }
  if (last_ms.size() != sessions.size()) last_ms.clear();
  model->sessions_per_item = o.sessions_per_item;
  model->sessions = std::move(sessions);
  model->session_last_ms = std::move(last_ms);
  model->log_sessions = counts.log_sessions;
  model->item_session_counts = std::move(counts.session_counts);
}

}  // namespace aisle
