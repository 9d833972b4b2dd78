// The options table: the parser accepts exactly what a command's table declares, reading an
// undeclared option is a programming error, and help and README tables list every option.
#include <doctest/doctest.h>

#include <set>

#include "commands.h"

using namespace aisle;

namespace {
const CommandSpec kSpec{
    "try",
    "a command for this test",
    "FILE",
    1,
    "expected one file",
    "Tries things.\n",
    {opt_required("--in", "FILE", "input"), opt_repeatable("--tag", "T", "a tag"),
     opt_value("--top", "N", "how many", "10"), opt_value("--share", "F", "a share", "0.25"),
     opt_value("--now", "TIME", "a time"), opt_flag("--json", "as JSON")}};

Args parse(const std::vector<std::string>& argv) {
  return Args(kSpec, argv);
}
}  // namespace

TEST_CASE("options table: the parser takes what the table declares, with its defaults") {
  const Args a = parse({"x.snap", "--in", "a", "--tag=one", "--tag", "two", "--json"});
  CHECK(a.positional() == std::vector<std::string>{"x.snap"});
  CHECK(a.required("--in") == "a");
  CHECK(a.all("--tag") == std::vector<std::string>{"one", "two"});
  CHECK(a.has("--json"));
  CHECK_FALSE(a.has("--top"));
  CHECK(a.get("--top") == "10");  // the table's default
  CHECK(a.get_uint("--top", 0, 100) == 10);
  CHECK(a.get_number("--share", 0, 1, /*above_min=*/true) == doctest::Approx(0.25));
  int64_t ms = 0;
  CHECK_FALSE(a.get_time_ms("--now", &ms));
  const Args b = parse({"--in", "a", "--top", "7", "--now", "1970-01-01T00:00:01Z", "f"});
  CHECK(b.get_uint("--top", 0, 100) == 7);
  CHECK(b.get_time_ms("--now", &ms));
  CHECK(ms == 1000);
}

TEST_CASE("options table: usage errors name the option") {
  using doctest::Contains;
  CHECK_THROWS_WITH_AS(parse({"f", "--in", "a", "--bogus"}), Contains("unknown option --bogus"),
                       UsageError);
  CHECK_THROWS_WITH_AS(parse({"f"}), Contains("--in is required"), UsageError);
  CHECK_THROWS_WITH_AS(parse({"f", "--in"}), Contains("--in needs a value"), UsageError);
  CHECK_THROWS_WITH_AS(parse({"f", "--in", "a", "--json=1"}), Contains("--json takes no value"),
                       UsageError);
  CHECK_THROWS_WITH_AS(parse({"--in", "a"}), Contains("expected one file"), UsageError);
  CHECK_THROWS_WITH_AS(parse({"--in", "a", "f", "g"}), Contains("expected one file"), UsageError);
  const Args a = parse({"f", "--in", "a", "--top", "1000", "--share", "0", "--now", "soon"});
  CHECK_THROWS_WITH_AS(a.get_uint("--top", 0, 100),
                       Contains("--top must be a whole number from 0 to 100, got '1000'"),
                       UsageError);
  CHECK_THROWS_WITH_AS(a.get_number("--share", 0, 1, true),
                       Contains("--share: expected a number above 0 and at most 1, got '0'"),
                       UsageError);
  int64_t ms = 0;
  CHECK_THROWS_WITH_AS(a.get_time_ms("--now", &ms), Contains("--now: expected a time"), UsageError);
}

TEST_CASE("options table: reading an option the table does not declare is a programming error") {
  const Args a = parse({"f", "--in", "a"});
  CHECK_THROWS_AS(a.has("--max-sessions"), std::logic_error);
  CHECK_THROWS_AS(a.get("--max-sessions"), std::logic_error);
  CHECK_THROWS_AS(a.all("--max-sessions"), std::logic_error);
  CHECK_THROWS_AS(a.get_uint("--max-sessions", 0, 10), std::logic_error);
  CHECK_THROWS_AS(a.required("--top"), std::logic_error);         // declared, but not required
  CHECK_THROWS_AS(a.get_uint("--now", 0, 10), std::logic_error);  // absent, and no default
  // Not a UsageError: the CLI reports it as an internal error (exit 3), not as bad usage.
  try {
    a.get("--max-sessions");
  } catch (const UsageError&) {
    FAIL("an undeclared option is not the user's mistake");
  } catch (const std::logic_error& e) {
    CHECK(std::string(e.what()).find("--max-sessions") != std::string::npos);
  }
}

TEST_CASE("options table: every command's help and README table list each of its options") {
  std::set<std::string> names;
  for (const Command* c : all_commands()) {
    CAPTURE(c->spec.name);
    CHECK(names.insert(c->spec.name).second);
    CHECK_FALSE(c->spec.summary.empty());
    const std::string help = render_help(c->spec), table = render_markdown(c->spec);
    CHECK(help.rfind("usage: aisle " + c->spec.name + " ", 0) == 0);
    std::set<std::string> options;
    for (const Option& o : c->spec.options) {
      CAPTURE(o.name);
      CHECK(options.insert(o.name).second);  // declared once
      CHECK(o.name[0] == '-');
      CHECK_FALSE(o.help.empty());
      CHECK(o.placeholder.empty() == (o.kind == OptionKind::kFlag));
      CHECK((o.default_value.empty() || o.kind == OptionKind::kValue));
      const std::string sig = o.placeholder.empty() ? o.name : o.name + " " + o.placeholder;
      CHECK(help.find("\n  " + sig) != std::string::npos);
      CHECK(table.find("| `" + sig + "` | ") != std::string::npos);
      if (!o.default_value.empty())
        CHECK(table.find("(default " + o.default_value + ")") != std::string::npos);
    }
  }
}
