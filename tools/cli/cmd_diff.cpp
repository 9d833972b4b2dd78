// `aisle diff`: what a reviewer approves between two snapshots.
#include <iostream>

#include "commands.h"
#include "diff.h"
#include "file_io.h"

namespace aisle {
namespace {

const char* kDiffHelp = R"(usage: aisle diff OLD.snap NEW.snap [--top N] [--json]

What changes when NEW replaces OLD: items added and removed, price and availability
changes, the rules, and how the product-page recommendations of the top N items (by
trend in NEW, default 20) shift -- overlap of the two lists, items entering and leaving.
)";

int cmd_diff(const std::vector<std::string>& argv) {
  const Args args(argv, {"--top"}, {"--json"});
  if (args.positional().size() != 2) throw UsageError("expected two snapshot files");
  std::vector<uint8_t> bytes[2];
  Snapshot snaps[2];
  for (int i = 0; i < 2; ++i) {
    const std::string& path = args.positional()[size_t(i)];
    bytes[i] = read_file(path);
    auto s = Snapshot::open(bytes[i].data(), bytes[i].size());
    if (!s.is_ok()) throw InputError(Location{path, 0, ""}, s.status().message());
    snaps[i] = s.value();
  }
  const auto d = diff_snapshots(snaps[0], snaps[1], args.get_uint("--top", 20, 0, 1000), 10);
  if (args.has("--json")) {
    std::cout << d.dump(2) << "\n";
  } else {
    print_diff(d, std::cout);
  }
  return kOk;
}

}  // namespace

const Command kDiffCommand{"diff", kDiffHelp, cmd_diff};

}  // namespace aisle
