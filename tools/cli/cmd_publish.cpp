// `aisle publish`: what a store uploads -- the snapshot, each page's first list, a manifest.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "publish.h"
#include "storefront.h"

namespace aisle {
namespace {

const CommandSpec kPublishSpec{
    "publish",
    "the files a store uploads: snapshot, each page's first list, manifest",
    "",
    0,
    "",
    R"(Writes into DIR what a store serves under /aisle/: the snapshot under its content
address (snap/BUILD.snap), the list the engine gives a new visitor on every page -- home,
each product, each category -- in small JSON files bucketed by a hash of the page key
(lists/BUILD/N.json), and manifest.json, written last. The loader paints a page's list
from these at once and lets the engine refine it. Files of other builds in DIR are left
alone. Format: docs/snapshot-format.md, "Published files".

The published snapshot is public, cut from S: no items the rules exclude, the rules'
matches by label, brand, category and margin tier as opaque labels, no margin tiers
or labels of a key a rule matches on, rules named by kind and number, experiments by id,
only campaigns running or starting within 48 hours of --now (docs/privacy.md). The
native tools (qa, diff, report, eval, the studio) keep working from S.
)",
    {opt_required("--snapshot", "S", "the snapshot to publish"),
     opt_required("--out", "DIR", "where to write the files (created if missing)"),
     opt_value("--limits", "L",
               "list lengths by placement, as the store's <aisle-recs limit> on those pages: "
               "e.g. home=8,product=6,category=4 (placements not named: 4)",
               "4"),
     opt_value("--lists-per-file", "N", "lists per list file, on average",
               std::to_string(PublishOptions{}.lists_per_file)),
     opt_flag("--shards",
              "also the snapshot in shards: shards/BUILD/head.snap, what every page may "
              "list, and shards/BUILD/N.snap, what the products whose page key hashes to N "
              "need, one product a shard on average "
              "(docs/snapshot-format.md, \"Shards\")"),
     opt_value("--items-per-shard", "N", "with --shards: items a shard owns, on average",
               std::to_string(PublishOptions{}.items_per_shard)),
     opt_value("--now", "TIME",
               "when the lists are computed, ISO-8601 or epoch; default: the snapshot's trend "
               "time, else its build time"),
     opt_flag("--json",
              "the report as JSON (build, items, keys, files, bytes, head_bytes, shard_files, "
              "shard_bytes, seconds, out, left_out)"),
     opt_flag("--quiet", "no report, no progress")}};

// "  lists and shards 120000/1100000 (11%)" on standard error every two seconds.
std::function<void(uint64_t, uint64_t)> progress_printer(const char* what) {
  const bool tty = ::isatty(2);
  auto last = std::chrono::steady_clock::now();
  return [tty, last, what](uint64_t done, uint64_t total) mutable {
    const auto now = std::chrono::steady_clock::now();
    if (now - last < std::chrono::seconds(2)) return;
    last = now;
    std::fprintf(stderr, "%s  %s %llu/%llu (%.0f%%)%s", tty ? "\r" : "", what,
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                 total ? 100.0 * double(done) / double(total) : 0.0, tty ? "   " : "\n");
  };
}

// "home=8,product=6" (or one number for every placement) -> Limits; UsageError otherwise.
PublishOptions::Limits limits(const std::string& text) {
  PublishOptions::Limits out;
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    const size_t eq = part.find('=');
    const std::string name = eq == std::string::npos ? "" : part.substr(0, eq);
    const std::string value = eq == std::string::npos ? part : part.substr(eq + 1);
    char* end = nullptr;
    const unsigned long n = std::strtoul(value.c_str(), &end, 10);
    if (value.empty() || *end || n < 1 || n > 100)
      throw UsageError("--limits: '" + part + "': a length is a whole number from 1 to 100");
    if (name.empty())
      out = {uint32_t(n), uint32_t(n), uint32_t(n)};
    else if (name == "home")
      out.home = uint32_t(n);
    else if (name == "product")
      out.product = uint32_t(n);
    else if (name == "category")
      out.category = uint32_t(n);
    else
      throw UsageError("--limits: '" + name +
                       "': page lists are published for home, product and category");
  }
  return out;
}

int cmd_publish(const Args& args) {
  const std::string path = args.required("--snapshot"), out = args.required("--out");
  PublishOptions o;
  o.limits = limits(args.get("--limits"));
  o.lists_per_file = uint32_t(args.get_uint("--lists-per-file", 1, 1'000'000));
  o.shards = args.has("--shards");
  o.items_per_shard = uint32_t(args.get_uint("--items-per-shard", 1, 1'000'000));
  int64_t now_ms;
  if (args.get_time_ms("--now", &now_ms)) o.now_ms = now_ms;
  const bool quiet = args.has("--quiet"), json = args.has("--json");
  if (!quiet) o.progress = progress_printer(o.shards ? "lists and shards" : "lists");
  const PublishReport r = publish(path, out, o);
  if (!quiet && ::isatty(2)) std::fprintf(stderr, "\r%40s\r", "");
  if (json) {
    const nlohmann::ordered_json j{{"build", r.build},
                                   {"items", r.items},
                                   {"keys", r.keys},
                                   {"files", r.files},
                                   {"bytes", r.bytes},
                                   {"head_bytes", r.head_bytes},
                                   {"shard_files", r.shard_files},
                                   {"shard_bytes", r.shard_bytes},
                                   {"seconds", r.seconds},
                                   {"out", out},
                                   {"left_out",
                                    {{"items", r.items_left_out},
                                     {"campaigns", r.campaigns_left_out},
                                     {"label_keys", r.label_keys_left_out},
                                     {"opaque_sets", r.opaque_sets}}}};
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else if (!quiet) {
    std::printf("published %s: build %s, %llu lists of %llu items in %llu files\n", out.c_str(),
                r.build.c_str(), static_cast<unsigned long long>(r.keys),
                static_cast<unsigned long long>(r.items), static_cast<unsigned long long>(r.files));
    std::string keys;
    for (const std::string& k : r.label_keys_left_out) keys += (keys.empty() ? "" : ", ") + k;
    std::printf(
        "  left out of the public snapshot: %u excluded items, %u campaigns outside the "
        "window, margin tiers, labels %s; %u rule matches made opaque\n",
        r.items_left_out, r.campaigns_left_out, keys.empty() ? "(none)" : keys.c_str(),
        r.opaque_sets);
    if (o.shards)
      std::printf("  shards: a head of %.1f KB, %llu shards of %.1f KB on average\n",
                  double(r.head_bytes) / 1e3, static_cast<unsigned long long>(r.shard_files),
                  double(r.shard_bytes) / 1e3 / double(std::max<uint64_t>(1, r.shard_files)));
    std::printf("  %.1f MB in %.2f s; %s/manifest.json written last\n", double(r.bytes) / 1e6,
                r.seconds, out.c_str());
  }
  return kOk;
}

}  // namespace

const Command kPublishCommand{kPublishSpec, cmd_publish};

}  // namespace aisle
