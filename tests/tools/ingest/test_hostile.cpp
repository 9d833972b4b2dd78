// Hostile and messy inputs from the security review (issue 12): each is bounded and
// reported naming file, line and field.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "catalog_ingest.h"
#include "event_ingest.h"
#include "json_line.h"
#include "line_reader.h"

using namespace aisle;

namespace {

Catalog load_text(const std::string& text, Diagnostics& diag, CatalogStats* stats,
                  const std::string& format = "auto") {
  std::istringstream in(text);
  CatalogOptions o;
  o.format = format;
  return load_catalog(in, "hostile.csv", o, diag, stats);
}

uint64_t count_events(const std::string& text, Diagnostics& diag, EventStats* stats) {
  std::istringstream in(text);
  uint64_t n = 0;
  read_events(in, "events.jsonl", "auto", diag, stats, [&](const RawEvent&) { ++n; });
  return n;
}

std::string ga4_line(int i) {
  return "{\"event\": \"view_item\", \"timestamp\": \"2026-03-01T10:00:" +
         std::string(i < 10 ? "0" : "") + std::to_string(i) +
         "Z\", \"session_id\": \"s1\", \"items\": [{\"item_id\": \"A\"}]}";
}

}  // namespace

TEST_CASE("an unbalanced quote mid-CSV is an error naming its line, not a silent loss") {
  std::string text = "id\ttitle\tprice\n";
  for (int i = 1; i <= 10; ++i) text += "A" + std::to_string(i) + "\tMat\t10 USD\n";
  text += "B1\t\"Broken mat\t10 USD\n";  // line 12: the quote never closes
  for (int i = 1; i <= 1000; ++i) text += "C" + std::to_string(i) + "\tMat\t10 USD\n";
  Diagnostics diag;
  CatalogStats stats;
  CHECK_THROWS_WITH_AS(load_text(text, diag, &stats),
                       doctest::Contains("hostile.csv:12: field 'title'"), InputError);
  CHECK_THROWS_WITH_AS(load_text(text, diag, &stats), doctest::Contains("unbalanced quote"),
                       InputError);
  // A second stray quote further down closes it: the field still runs away.
  std::string long_text = "id\ttitle\tprice\nB1\t\"Broken\t10 USD\n";
  for (int i = 1; i <= 1500; ++i) long_text += "C" + std::to_string(i) + "\tMat\t10 USD\n";
  long_text += "D1\tclose\"\t10 USD\n";
  CHECK_THROWS_WITH_AS(load_text(long_text, diag, &stats),
                       doctest::Contains("hostile.csv:2: field 'title'"), InputError);
}

TEST_CASE("CR-only line ends: catalogs and event logs read every line") {
  Diagnostics diag;
  CatalogStats stats;
  const Catalog c = load_text("id\ttitle\tprice\rA\tMat\t10 USD\rB\tBlock\t5 USD\r", diag, &stats);
  CHECK(c.items.size() == 2);
  EventStats es;
  Diagnostics ediag;
  CHECK(count_events(ga4_line(1) + "\r" + ga4_line(2) + "\r" + ga4_line(3), ediag, &es) == 3);
  CHECK(es.malformed == 0);
}

TEST_CASE("an events line over 64 MiB is skipped and reported with file and line") {
  std::string text = ga4_line(1) + "\n{\"event\": \"view_item\", \"junk\": \"";
  text.append(LineReader::kMaxLine + 10, 'x');
  text += "\"}\n" + ga4_line(2) + "\n";
  EventStats stats;
  Diagnostics diag;
  CHECK(count_events(text, diag, &stats) == 2);
  CHECK(stats.malformed == 1);
  const std::string report = diag.to_json().dump();
  CHECK(report.find("events.jsonl:2") != std::string::npos);
  CHECK(report.find("64 MiB") != std::string::npos);
}

namespace {
size_t string_bytes(const Catalog& c) {
  size_t n = 0;
  for (const auto& it : c.items) {
    n += it.id.size() + it.title.size() + it.url.size() + it.image_url.size() + it.brand.size();
    for (const auto& s : it.category_path) n += s.size() + sizeof(std::string);
    for (const auto* list : {&it.labels, &it.upsell_ids, &it.cross_sell_ids})
      for (const auto& s : *list) n += s.size() + sizeof(std::string);
  }
  return n;
}
}  // namespace

// Issue 12.3: each variation copied its parent's 100,000-level category path (a 1.6 MB
// file drove the build to 24 GB).
TEST_CASE("WooCommerce: a hostile category path and its variations are bounded and reported") {
  std::string path;
  for (int i = 0; i < 10000; ++i) path += (i ? " > L" : "L") + std::to_string(i);
  std::string tags;
  for (int i = 0; i < 3000; ++i) tags += (i ? ",t" : "t") + std::to_string(i);
  std::string text = "ID,Type,SKU,Name,Parent,Categories,Tags,Regular price\n";
  text += "1,variable,P,Parent,,\"" + path + "\",\"" + tags + "\",\n";
  for (int v = 0; v < 200; ++v)
    text += std::to_string(100 + v) + ",variation,V" + std::to_string(v) + ",,id:1,,,10\n";
  Diagnostics diag;
  CatalogStats stats;
  const Catalog c = load_text(text, diag, &stats, "woocommerce");
  REQUIRE(c.items.size() == 200);
  for (const auto& it : c.items) {
    CHECK(it.category_path.size() <= kMaxCategoryDepth);
    CHECK(it.labels.size() <= kMaxLabels);
  }
  CHECK(c.items[0].category_path.front() == "L0");
  // The cut path is made once and shared, not cut again into a copy per variation.
  for (const auto& it : c.items) CHECK(it.category_path.shares(c.items[0].category_path));
  // The parent's values, shared by 200 variations, stay within the per-item bounds.
  CHECK(string_bytes(c) < 200 * (kMaxFieldBytes + 64 * 1024));
  const std::string report = diag.to_json().dump();
  CHECK(report.find("hostile.csv:2: field 'categories'") != std::string::npos);
  CHECK(report.find("longer than 8192 bytes cut") != std::string::npos);
  CHECK(report.find("category path deeper than 32 levels cut") != std::string::npos);
}

namespace {
std::string deep_path(int levels) {
  std::string path;
  for (int i = 0; i < levels; ++i) path += (i ? " > Level " : "Level ") + std::to_string(i);
  return path;
}

// True when every item holds the one stored path of the first, a kMaxCategoryDepth-level one.
bool one_shared_path(const Catalog& c) {
  bool shared = !c.items.empty() && c.items[0].category_path.size() == kMaxCategoryDepth;
  for (const auto& it : c.items)
    shared = shared && it.category_path.shares(c.items[0].category_path);
  return shared;
}
}  // namespace

// Issue 12.3, the rest: variations share their parent's category path instead of each
// holding a copy of its strings.
TEST_CASE("WooCommerce: 200 variations hold one copy of their parent's category path") {
  std::string text = "ID,Type,SKU,Name,Parent,Categories,Regular price\n";
  text += "1,variable,P,Parent,,\"" + deep_path(int(kMaxCategoryDepth)) + "\",\n";
  for (int v = 0; v < 200; ++v)
    text += std::to_string(100 + v) + ",variation,V" + std::to_string(v) + ",,id:1,,10\n";
  Diagnostics diag;
  CatalogStats stats;
  const Catalog c = load_text(text, diag, &stats, "woocommerce");
  REQUIRE(c.items.size() == 200);
  CHECK(c.items[199].category_path.back() == "Level 31");
  CHECK(one_shared_path(c));
}

TEST_CASE("Shopify: 200 variant rows of one product hold one copy of its category path") {
  std::string text = "Handle,Title,Product Category,Option1 Name,Option1 Value,Variant Price\n";
  text += "mat,Mat,\"" + deep_path(int(kMaxCategoryDepth)) + "\",Size,S0,10\n";
  for (int v = 1; v < 200; ++v) text += "mat,,,,S" + std::to_string(v) + ",10\n";
  Diagnostics diag;
  CatalogStats stats;
  const Catalog c = load_text(text, diag, &stats, "shopify");
  REQUIRE(c.items.size() == 200);
  CHECK(c.items[199].category_path.front() == "Level 0");
  CHECK(one_shared_path(c));
}

// Issue 12.5: an invalid UTF-8 byte made `build --json` fail after replacing the snapshot.
TEST_CASE("invalid UTF-8 and terminal escapes in catalog values are repaired and reported") {
  const std::string text =
      "id\ttitle\tprice\tbrand\n"
      "A\tMat \xFF\xFE red\t10 USD\t\x1B[2JEvil\n"
      "B\tBlock\t1\xFF"
      "0 USD\tAcme\n";
  Diagnostics diag;
  CatalogStats stats;
  const Catalog c = load_text(text, diag, &stats);
  REQUIRE(c.items.size() == 1);  // B's price is no price
  CHECK(c.items[0].title == "Mat \xEF\xBF\xBD\xEF\xBF\xBD red");
  CHECK(c.items[0].brand == " [2JEvil");
  CHECK(is_clean_text(c.items[0].title));
  CHECK(diag.count("invalid UTF-8 replaced by U+FFFD") == 1);
  CHECK(diag.count("control characters replaced by spaces") == 1);
  const std::string report = diag.to_json().dump();  // threw type_error 316 before
  CHECK(report.find("hostile.csv:2: field 'title'") != std::string::npos);
  CHECK(report.find("1\\\\xff0 USD") != std::string::npos);  // the bad price, quoted escaped
  std::ostringstream printed;
  diag.print(printed);
  CHECK(printed.str().find('\x1B') == std::string::npos);
}

TEST_CASE("errors quoting input escape control characters for the terminal") {
  Diagnostics diag(true);  // strict: the first warning is an InputError
  CatalogStats stats;
  const std::string text = "id\ttitle\tprice\tbrand\nA\tMat\t10 USD\t\x1B]0;pwned\x07\n";
  try {
    load_text(text, diag, &stats);
    FAIL("expected an error");
  } catch (const InputError& e) {
    const std::string what = e.what();
    CHECK(what.find('\x1B') == std::string::npos);
    CHECK(what.find("hostile.csv:2: field 'brand'") != std::string::npos);
  }
  CHECK_THROWS_WITH_AS(throw InputError(Location{"a\x1B[2Jb.csv", 3, "x"}, "bad"),
                       "a\\x1b[2Jb.csv:3: field 'x': bad", InputError);
}
