#include "aggregates.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <unordered_map>

#include "csv.h"

namespace aisle {
namespace {

// One output of the SQL, its header's columns by name, then its rows with typed fields:
// DIR/NAME.csv, or a folder DIR/NAME/ of parts (*.csv, each with the header) as BigQuery's
// EXPORT DATA and Spark write them, read in name order.
class Table {
 public:
  Table(const std::string& dir, const char* name) {
    namespace fs = std::filesystem;
    const std::string file = dir + "/" + name + ".csv", folder = dir + "/" + name;
    std::error_code ec;
    const bool is_folder = fs::is_directory(folder, ec);
    if (is_folder && fs::exists(file, ec))
      throw InputError(Location{folder, 0, ""},
                       std::string("both ") + name + ".csv and the folder " + name +
                           "/ are here: which is this run's? Remove the other");
    if (is_folder) {
      for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const std::string part = entry.path().string();
        if (entry.path().extension() == ".csv" && entry.is_regular_file(ec)) parts_.push_back(part);
      }
      std::sort(parts_.begin(), parts_.end());
      if (parts_.empty())
        throw InputError(Location{folder, 0, ""},
                         "a folder of the SQL's output without .csv parts");
    } else {
      parts_.push_back(file);
    }
    open(0);
    header_ = part_header_;
  }
  size_t column(const char* name) const {
    for (size_t i = 0; i < header_.size(); ++i) {
      if (header_[i] == name) return i;
    }
    throw InputError(Location{path(), 1, name}, "missing column");
  }
  bool next() {
    for (;;) {
      while (csv_->next(&row_)) {
        if (is_blank_record(row_)) continue;
        if (csv_->runaway() || csv_->unterminated() || row_.size() != header_.size())
          fail("", "expected " + std::to_string(header_.size()) + " fields, as the header names");
        return true;
      }
      if (in_->bad()) fail("", "read error");
      if (part_ + 1 >= parts_.size()) return false;
      open(part_ + 1);
      if (part_header_ != header_)
        throw InputError(Location{path(), 1, ""}, "a part whose header differs from the first's");
    }
  }
  std::string_view text(size_t col) const { return row_[col]; }
  uint64_t count(size_t col) const { return whole<uint64_t>(col, "a whole number of 0 or more"); }
  int64_t integer(size_t col) const { return whole<int64_t>(col, "a whole number"); }
  double real(size_t col) const {
    const std::string& s = row_[col];
    char* end = nullptr;
    const double v = s.empty() ? NAN : std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v) || v < 0)
      fail(header_[col], "expected a finite number of 0 or more, got '" + s + "'");
    return v;
  }
  template <typename Int>
  Int whole(size_t col, const char* expected) const {
    Int v = 0;
    const std::string& s = row_[col];
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size())
      fail(header_[col], std::string("expected ") + expected + ", got '" + s + "'");
    return v;
  }
  [[noreturn]] void fail(const std::string& field, const std::string& why) const {
    throw InputError(Location{path(), csv_->record_line(), field}, why);
  }
  const std::string& path() const { return parts_[part_]; }
  uint64_t line() const { return csv_->record_line(); }

 private:
  void open(size_t part) {
    part_ = part;
    csv_.reset();
    in_ = std::make_unique<std::ifstream>(path(), std::ios::binary);
    if (!*in_)
      throw InputError(Location{path(), 0, ""},
                       "cannot open the aggregates file (the counting SQL writes it)");
    csv_ = std::make_unique<CsvReader>(*in_, ',');
    if (!csv_->next(&part_header_))
      throw InputError(Location{path(), 1, ""}, "empty file, no header");
  }
  std::vector<std::string> parts_;
  size_t part_ = 0;
  std::unique_ptr<std::ifstream> in_;
  std::unique_ptr<CsvReader> csv_;
  std::vector<std::string> header_, part_header_, row_;
};

uint32_t saturate(uint64_t v) {
  return uint32_t(std::min<uint64_t>(v, std::numeric_limits<uint32_t>::max()));
}

class Reader {
 public:
  Reader(size_t item_count, const ItemLookup& find, Diagnostics& diag, Aggregates* out)
      : item_count_(item_count), find_(find), diag_(diag), out_(out) {}

  // The catalog index of the row's id in `col`, or UINT32_MAX (warned, counted).
  uint32_t item(const Table& t, size_t col) {
    ++out_->rows;
    const std::string_view id = t.text(col);
    const uint32_t i = find_(id);
    if (i < item_count_) return i;
    const char* kind = "aggregates: unknown item id skipped";
    if (out_->unknown_items++ < 3) {
      diag_.warn(Location{t.path(), t.line(), ""}, kind, "'" + std::string(id) + "'");
    } else {
      diag_.add_count(kind, 1);
    }
    return UINT32_MAX;
  }

 private:
  size_t item_count_;
  const ItemLookup& find_;
  Diagnostics& diag_;
  Aggregates* out_;
};

void read_meta(const std::string& dir, uint32_t half_life_s, const ModelOptions& o, Aggregates* a) {
  Table t(dir, "meta");
  if (!t.next()) t.fail("", "no row: the counting SQL writes one");
  a->as_of_ms = t.integer(t.column("as_of_ms"));
  a->events_read = t.count(t.column("events_read"));
  a->interactions = t.count(t.column("interactions"));
  // The SQL's parameters against the build's: another value would give other lists.
  auto same = [&](const char* field, uint64_t build, const char* option) {
    const uint64_t sql = t.count(t.column(field));
    if (sql != build)
      t.fail(field, "the SQL ran with " + std::to_string(sql) + ", this build uses " +
                        std::to_string(build) + " (" + option +
                        "): run the SQL again with the build's value");
  };
  same("half_life_s", half_life_s, "--half-life-days");
  same("transition_window", o.transition_window, "transition window");
  same("max_sessions", o.max_sessions, "--max-sessions");
  same("max_session_length", o.max_session_length, "items per indexed session");
  same("max_basket", o.max_basket, "purchases per session for co-purchases");
  if (t.next()) t.fail("", "more than one row");
}

}  // namespace

Aggregates read_aggregates(const std::string& dir, size_t item_count, const ItemLookup& find,
                           uint32_t half_life_s, const ModelOptions& o, Diagnostics& diag) {
  Aggregates a;
  read_meta(dir, half_life_s, o, &a);
  Reader reader(item_count, find, diag, &a);
  BehaviourCounts& c = a.counts;
  a.popularity.assign(item_count, ItemPopularity{});
  c.buyers.assign(item_count, 0.0f);
  c.session_counts.assign(item_count, 0);
  {
    Table t(dir, "items");
    const size_t id = t.column("item_id"), views = t.column("views"), carts = t.column("carts"),
                 purchases = t.column("purchases"), buyers = t.column("buyers"),
                 sessions = t.column("sessions"), trend = t.column("trend");
    while (t.next()) {
      const uint32_t i = reader.item(t, id);
      if (i == UINT32_MAX) continue;
      ItemPopularity& p = a.popularity[i];
      p.views = saturate(t.count(views));
      p.carts = saturate(t.count(carts));
      p.purchases = saturate(t.count(purchases));
      p.trend = float(std::min(t.real(trend), 3.0e38));
      c.buyers[i] = float(t.count(buyers));
      c.session_counts[i] = saturate(t.count(sessions));
    }
  }
  auto pairs = [&](const char* name, const char* other_col, const char* weight_col,
                   PairWeights* out) {
    Table t(dir, name);
    const size_t id = t.column("item_id"), other = t.column(other_col),
                 weight = t.column(weight_col);
    while (t.next()) {
      const uint32_t x = reader.item(t, id), y = reader.item(t, other);
      const double w = t.real(weight);
      if (x != UINT32_MAX && y != UINT32_MAX && x != y) out->add(x, y, w);
    }
  };
  pairs("transitions", "next_item_id", "weight", &c.transitions);
  pairs("co_purchases", "other_item_id", "sessions", &c.bought);
  {
    // Rows by session rank (0: the most recent) and position (time order within it).
    Table t(dir, "sessions");
    const size_t session = t.column("session"), position = t.column("position"),
                 id = t.column("item_id");
    struct Row {
      uint32_t session, position, item;
    };
    std::vector<Row> rows;
    uint32_t ranks = 0;
    while (t.next()) {
      const uint64_t s = t.count(session), pos = t.count(position);
      if (s >= o.max_sessions) t.fail("session", "a rank past --max-sessions");
      if (pos >= o.max_session_length) t.fail("position", "past the items kept per session");
      const uint32_t i = reader.item(t, id);
      if (i == UINT32_MAX) continue;
      rows.push_back(Row{uint32_t(s), uint32_t(pos), i});
      ranks = std::max(ranks, uint32_t(s) + 1);
    }
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
      return x.session != y.session ? x.session < y.session : x.position < y.position;
    });
    // Oldest first, as the index keeps them; a rank with no known item is left out.
    std::vector<std::vector<uint32_t>> by_rank(ranks);
    for (const Row& r : rows) {
      auto& items = by_rank[r.session];
      if (std::find(items.begin(), items.end(), r.item) == items.end()) items.push_back(r.item);
    }
    for (size_t s = by_rank.size(); s-- > 0;) {
      if (!by_rank[s].empty()) c.sessions.push_back(std::move(by_rank[s]));
    }
  }
  return a;
}

std::vector<InferredKind> read_aggregate_kinds(const std::string& dir, Catalog* catalog,
                                               Diagnostics& diag) {
  std::vector<uint32_t> category_of;
  std::vector<InferredKind> counted = undecided_categories(*catalog, &category_of);
  std::unordered_map<std::string_view, uint32_t> index;
  for (uint32_t c = 0; c < counted.size(); ++c) index.emplace(counted[c].category, c);
  std::vector<GapCounts> gaps(counted.size());
  Table t(dir, "kinds");
  const size_t category = t.column("category"), gap = t.column("gap_days"),
               buyers = t.column("buyers"), returning = t.column("returning_buyers");
  constexpr uint64_t kMaxVisitors = uint64_t(1) << 31;  // a count past it is no real log
  uint64_t unknown = 0;
  while (t.next()) {
    const auto found = index.find(t.text(category));
    if (found == index.end()) {
      const char* kind = "aggregates: category without items of unknown kind skipped";
      if (unknown++ < 3) {
        diag.warn(Location{t.path(), t.line(), "category"}, kind,
                  "'" + std::string(t.text(category)) + "'");
      } else {
        diag.add_count(kind, 1);
      }
      continue;
    }
    InferredKind& k = counted[found->second];
    const uint64_t b = t.count(buyers), r = t.count(returning);
    if (b > kMaxVisitors || r > b) t.fail("returning_buyers", "more returning buyers than buyers");
    k.buyers = saturate(k.buyers + b);
    k.returning_buyers = saturate(k.returning_buyers + r);
    if (t.text(gap).empty()) continue;  // never bought in it again
    const uint64_t days = t.count(gap);
    if (days == 0 || days > 1'000'000) t.fail("gap_days", "expected 1 to 1000000 days");
    k.bought_again = saturate(k.bought_again + b);
    gaps[found->second][uint32_t(days)] += b;
  }
  return decide_kinds(std::move(counted), gaps, category_of, KindEvidence{}, catalog);
}

}  // namespace aisle
