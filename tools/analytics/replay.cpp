#include "replay.h"

#include "context.h"
#include "text.h"

namespace aisle {

ShopperEvent to_shopper_event(const RawEvent& e, const Snapshot& snap, std::vector<uint32_t>* items,
                              std::vector<uint32_t>* quantities, uint64_t* unknown) {
  items->clear();
  quantities->clear();
  for (size_t i = 0; i < e.item_count; ++i) {
    uint32_t index;
    if (snap.find_item(e.items[i].id, &index)) {
      items->push_back(index);
      quantities->push_back(uint32_t(std::min<int64_t>(e.items[i].quantity, UINT32_MAX)));
    } else {
      ++*unknown;
    }
  }
  ShopperEvent s;
  s.type = e.type;
  s.ts_ms = e.ts_ms;
  s.items = items->data();
  s.quantities = quantities->data();
  s.item_count = items->size();
  apply_event_text(EventText{e.source, e.medium, e.referrer, e.sort, e.filter, e.coupon,
                             e.search_term, e.page_type},
                   &s);
  return s;
}

void replay_session(std::istream& in, const std::string& file, const Snapshot& snap,
                    Session* session, ReplayStats* stats) {
  Diagnostics diag;
  std::vector<uint32_t> items, quantities;
  read_events(in, file, "ga4", diag, &stats->read, [&](const RawEvent& e) {
    session->track(to_shopper_event(e, snap, &items, &quantities, &stats->unknown_items));
    ++stats->events;
  });
}

void replay_profile(std::istream& in, const std::string& file, const Snapshot& snap,
                    Profile* profile, ReplayStats* stats) {
  Diagnostics diag;
  std::vector<uint32_t> items, quantities;
  Session visit;
  std::string current;
  read_events(in, file, "ga4", diag, &stats->read, [&](const RawEvent& e) {
    if (e.session != current) {
      profile->end_visit(visit);
      visit.reset();
      current = std::string(e.session);
    }
    visit.track(to_shopper_event(e, snap, &items, &quantities, &stats->unknown_items));
    ++stats->events;
  });
  profile->end_visit(visit);
}

nlohmann::json context_json(const Snapshot& snap, const ShopperContext& c) {
  nlohmann::json j = {{"comparing", c.comparing},
                      {"decisive", c.decisive},
                      {"exploring", c.exploring},
                      {"price_sensitive", c.price_sensitive},
                      {"gift", c.gift},
                      {"bundle_building", c.bundle_building},
                      {"after_premium", c.after_premium},
                      {"visitor", c.returning ? "returning" : "new"},
                      {"traffic", traffic_class_name(c.traffic)}};
  if (c.compare_category != fmt::kNone)
    j["compare_category"] = snap.category(c.compare_category).name;
  if (c.bundle_group != fmt::kNone) j["bundle_group"] = snap.group(c.bundle_group).key;
  if (c.premium_item != fmt::kNone) j["premium_item"] = snap.item(c.premium_item).id;
  return j;
}

nlohmann::json recommendations_json(const Snapshot& snap, const Engine& engine,
                                    const Request& request, const std::vector<Recommendation>& recs,
                                    const ListInfo& info, const Session& session) {
  using nlohmann::json;
  json items = json::array();
  for (const Recommendation& r : recs) {
    const ItemView it = snap.item(r.item);
    json reasons = json::array();
    for (size_t i = 0; i < r.reason_count; ++i) {
      const Reason& reason = r.reasons[i];
      json j = {{"code", source_code(reason.source)},
                {"text", engine.reason_text(reason)},
                {"contribution", reason.contribution}};
      const Anchor& a = reason.anchor;
      if (a.kind == AnchorKind::kItem && a.index < snap.item_count()) {
        j["anchor"] = snap.item(a.index).id;
      } else if (a.kind == AnchorKind::kCategory && a.index < snap.category_count()) {
        j["category"] = snap.category(a.index).name;
      }
      reasons.push_back(j);
    }
    const int64_t now_s = request.now_ms / 1000;
    items.push_back({{"id", it.id},
                     {"title", it.title},
                     {"url", it.url()},
                     {"image", it.image_url()},
                     {"price", it.effective_price(now_s) / 100.0},
                     {"currency", it.currency},
                     {"score", r.score},
                     {"reasons", reasons}});
    if (info.mode == ListMode::kCompare) {  // the comparison module shows key attributes
      nlohmann::json attributes = {{"brand", it.brand}};
      for (uint32_t l = 0; l < snap.label_count(r.item); ++l) {
        const std::string_view label = snap.label(r.item, l);
        const size_t eq = label.find('=');
        if (eq != std::string_view::npos)
          attributes[std::string(label.substr(0, eq))] = label.substr(eq + 1);
      }
      items.back()["attributes"] = attributes;
    }
  }
  json cart = json::array();
  for (size_t i = 0; i < session.cart_count(); ++i)
    cart.push_back(snap.item(session.cart_item(i)).id);
  const SessionSignals& sig = session.signals();
  return {{"placement", placement_name(request.placement)},
          {"k", request.k},
          {"mode", list_mode_name(info.mode)},
          {"slots", info.slots},
          {"context", context_json(snap, info.context)},
          {"items", items},
          {"session",
           {{"events", sig.events},
            {"views", sig.views},
            {"cart", cart},
            {"purchases", sig.purchases}}}};
}

}  // namespace aisle
