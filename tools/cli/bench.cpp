#include "bench.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include "build.h"
#include "demo_data.h"
#include "engine.h"
#include "file_io.h"
#include "replay.h"
#include "storefront.h"

namespace aisle {
namespace {

struct Query {
  ShopperEvent event;
  size_t first_item;        // into the flat item storage
  std::string search_term;  // event.search_term's text: the line read is gone
  bool new_session;
  Request request;
};

// The same event as a page hands it to the storefront (the path wasm/bindings.cpp takes):
// its name, item ids and texts as the log wrote them; the placement and product by name.
struct PageQuery {
  std::string name;
  int64_t ts_ms;
  std::vector<std::string> ids;
  std::string text[8];  // source, medium, referrer, sort, filter, coupon, search_term, page_type
  std::string placement, item;
};

Placement placement_for(EventType t) {
  switch (t) {
    case EventType::kAddToCart:
    case EventType::kRemoveFromCart:
    case EventType::kBeginCheckout:
      return Placement::kCart;
    case EventType::kPurchase:
      return Placement::kPostPurchase;
    case EventType::kSearch:
      return Placement::kSearchEmpty;
    case EventType::kViewItemList:
      return Placement::kCategory;
    default:
      return Placement::kProduct;
  }
}

double percentile(std::vector<double>& v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

}  // namespace

nlohmann::json run_bench(const BenchOptions& o) {
  nlohmann::json results = nlohmann::json::array();
  for (uint32_t n : o.items) {
    const std::string dir =
        o.dir + "/store-" + std::to_string(n) + "-" + std::to_string(o.sessions);
    struct stat st {};
    if (::stat((dir + "/events.jsonl").c_str(), &st) != 0) {
      DemoOptions d;
      d.products = n;
      d.sessions = o.sessions;
      generate_demo(d, dir);
    }
    BuildOptions b;
    b.catalog_path = dir + "/catalog.tsv";
    b.rules_path = dir + "/rules.json";
    b.event_paths = {dir + "/events.jsonl"};
    BuildReport report;
    const std::vector<uint8_t> bytes = build_snapshot(b, &report);
    // Kept beside the store, so other runs (the browser benchmark) measure the same bytes.
    write_file_atomic(dir + "/store.snap", bytes.data(), bytes.size());
    // From snapshot bytes to the first list: verify (checksum and structure), construct the
    // engine, recommend for the home page. Median of 5.
    std::vector<double> first_list;
    for (int i = 0; i < 5; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      const auto s = Snapshot::open(bytes.data(), bytes.size());
      if (!s.is_ok()) throw InputError(s.status().message());
      Engine cold(s.value());
      Request home;
      home.placement = Placement::kHome;
      home.k = o.k;
      std::vector<Recommendation> first;
      cold.recommend(Session(), home, &first);
      first_list.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    const auto opened = Snapshot::open(bytes.data(), bytes.size());
    if (!opened.is_ok()) throw InputError(opened.status().message());
    const Snapshot& snap = opened.value();

    // The events to replay, resolved up front so the timed loop holds only engine work.
    std::vector<Query> queries;
    std::vector<PageQuery> page_queries;
    std::vector<uint32_t> flat;
    std::vector<uint32_t> items, quantities;
    uint64_t unknown = 0;
    std::string last_session;
    std::ifstream in(b.event_paths[0], std::ios::binary);
    Diagnostics diag;
    EventStats stats;
    const uint64_t wanted = o.queries + 2000;
    read_events(in, b.event_paths[0], "ga4", diag, &stats, [&](const RawEvent& e) {
      if (queries.size() >= wanted) return;
      Query q;
      q.event = to_shopper_event(e, snap, &items, &quantities, &unknown);
      q.first_item = flat.size();
      q.search_term = std::string(q.event.search_term);
      flat.insert(flat.end(), items.begin(), items.end());
      q.new_session = e.session != last_session;
      last_session = std::string(e.session);
      q.request.placement = placement_for(e.type);
      q.request.item =
          items.empty() || q.request.placement != Placement::kProduct ? fmt::kNone : items[0];
      q.request.k = o.k;
      q.request.now_ms = e.ts_ms;
      queries.push_back(q);
      PageQuery p;
      p.name = std::string(e.name);
      p.ts_ms = e.ts_ms;
      for (size_t j = 0; j < e.item_count; ++j) p.ids.emplace_back(e.items[j].id);
      const std::string_view texts[8] = {e.source, e.medium, e.referrer,    e.sort,
                                         e.filter, e.coupon, e.search_term, e.page_type};
      std::copy(std::begin(texts), std::end(texts), std::begin(p.text));
      p.placement = placement_name(q.request.placement);
      if (q.request.item != fmt::kNone) p.item = std::string(snap.item(q.request.item).id);
      page_queries.push_back(std::move(p));
    });

    Engine engine(snap);
    Session session;
    std::vector<Recommendation> out;
    out.reserve(o.k);
    std::vector<double> latency;
    latency.reserve(queries.size());
    uint64_t allocs_before = 0, empty_lists = 0;
    for (size_t i = 0; i < queries.size(); ++i) {
      if (i == 2000 && o.allocations) allocs_before = o.allocations();
      Query& q = queries[i];
      q.event.items = flat.data() + q.first_item;
      q.event.search_term = q.search_term;
      q.event.quantities = nullptr;
      const auto t0 = std::chrono::steady_clock::now();
      if (q.new_session) session.reset();
      session.track(q.event);
      engine.recommend(session, q.request, &out);
      const auto t1 = std::chrono::steady_clock::now();
      if (i >= 2000) latency.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      empty_lists += out.empty();
    }
    const uint64_t measured = latency.size();
    const uint64_t allocs = o.allocations ? o.allocations() - allocs_before : 0;

    // The storefront path a page takes, the same events: track by ids and names, then the
    // list as JSON text (Storefront::list_json). What the browser's figure compares with.
    Storefront store;
    if (!store.load(bytes).is_ok()) throw InputError("the storefront refused the snapshot");
    std::vector<double> page_latency;
    page_latency.reserve(page_queries.size());
    std::vector<std::string_view> ids;
    ids.reserve(Storefront::kMaxEventItems);
    uint64_t page_allocs_before = 0;
    for (size_t i = 0; i < page_queries.size(); ++i) {
      if (i == 2000 && o.allocations) page_allocs_before = o.allocations();
      const PageQuery& p = page_queries[i];
      if (queries[i].new_session) store.reset_visit();
      const auto t0 = std::chrono::steady_clock::now();
      ids.assign(p.ids.begin(),
                 p.ids.begin() + long(std::min(p.ids.size(), Storefront::kMaxEventItems)));
      EventInput in;
      in.event = p.name;
      in.has_ts = true;
      in.ts_ms = p.ts_ms;
      in.item_ids = ids.data();
      in.item_count = ids.size();
      in.text = EventText{p.text[0], p.text[1], p.text[2], p.text[3],
                          p.text[4], p.text[5], p.text[6], p.text[7]};
      TrackResult tracked;
      Request req;
      RequestInput r;
      r.placement = p.placement;
      r.item = p.item;
      r.k = o.k;
      r.now_ms = p.ts_ms;
      const Status tracked_st = store.track(in, &tracked);
      const Status request_st = store.request(r, &req);
      if (tracked_st.is_ok() && request_st.is_ok()) store.list_json(req);
      const auto t1 = std::chrono::steady_clock::now();
      if (!tracked_st.is_ok() || !request_st.is_ok())  // never for the bench's own events
        throw InputError("the storefront path: " +
                         (tracked_st.is_ok() ? request_st : tracked_st).message());
      if (i >= 2000)
        page_latency.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    const uint64_t page_allocs = o.allocations ? o.allocations() - page_allocs_before : 0;
    results.push_back(
        {{"items", snap.item_count()},
         {"snapshot_bytes", bytes.size()},
         {"indexed_sessions", snap.session_count()},
         {"snapshot_checksum", snap.checksum()},
         {"first_list_ms", percentile(first_list, 0.5)},
         {"queries", measured},
         {"p50_us", percentile(latency, 0.50)},
         {"p99_us", percentile(latency, 0.99)},
         {"max_us", latency.empty() ? 0.0 : latency.back()},
         {"allocations_per_query", o.allocations && measured
                                       ? nlohmann::json(double(allocs) / double(measured))
                                       : nlohmann::json(nullptr)},
         {"empty_lists", empty_lists},
         {"storefront_p50_us", percentile(page_latency, 0.50)},
         {"storefront_p99_us", percentile(page_latency, 0.99)},
         {"storefront_allocations_per_query",
          o.allocations && measured ? nlohmann::json(double(page_allocs) / double(measured))
                                    : nlohmann::json(nullptr)}});
  }
  return results;
}

}  // namespace aisle
