// `aisle diff`: what a reviewer approves between two snapshots.
#include <iostream>

#include "commands.h"
#include "diff.h"
#include "file_io.h"

namespace aisle {
namespace {

const CommandSpec kDiffSpec{
    "diff",
    "what changes between two snapshots, for a reviewer",
    "OLD.snap NEW.snap",
    2,
    "expected two snapshot files",
    R"(What changes when NEW replaces OLD: items added and removed, price and availability
changes, the rules' changes line by line by JSON path ("- $.quotas[0].min_share: 0.25", then
"+ $.quotas[0].min_share: 0.5"; "rules: unchanged" when equal; --json: "changes", a JSON
Patch with the values replaced and each change's "json_path"), and how the
product-page recommendations of the top items shift -- overlap of the two lists, items
entering and leaving.
)",
    {opt_value("--top", "N", "how many of NEW's top items by trend to compare lists for", "20"),
     opt_flag("--json", "the differences as JSON")}};

int cmd_diff(const Args& args) {
  const SnapshotFile before = read_snapshot(args.positional()[0]),
                     after = read_snapshot(args.positional()[1]);
  const auto d =
      diff_snapshots(before.snapshot, after.snapshot, args.get_uint("--top", 0, 1000), 10);
  if (args.has("--json")) {
    std::cout << d.dump(2) << "\n";
  } else {
    print_diff(d, std::cout);
  }
  return kOk;
}

}  // namespace

const Command kDiffCommand{kDiffSpec, cmd_diff};

}  // namespace aisle
