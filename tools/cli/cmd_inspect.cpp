// `aisle inspect`: verify a snapshot and summarize it.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "file_io.h"
#include "inspect.h"
#include "snapshot.h"

namespace aisle {
namespace {

const CommandSpec kInspectSpec{
    "inspect",
    "verify a snapshot and summarize it",
    "FILE.snap",
    1,
    "expected one snapshot file",
    R"(Verifies the snapshot (checksum, structure, every reference) and prints counts, section
sizes, bytes per item and the top items by purchases and by trend. Exit 2 if the file
is not a valid snapshot, with the reason.
)",
    {opt_flag("--json", "the summary as JSON"),
     opt_flag("--public",
              "everything a shopper can read from the file instead: every item's every field, "
              "every string, the compiled-in rules (docs/privacy.md)"),
     opt_value("--top", "N", "how many top items to list", "10")}};

int cmd_inspect(const Args& args) {
  const std::string path = args.positional()[0];
  const SnapshotFile file = read_snapshot(path);
  if (args.has("--public")) {
    const nlohmann::ordered_json view = public_view(file.snapshot);
    if (args.has("--json"))
      std::cout << view.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    else
      print_public_view(view, std::cout);
    return kOk;
  }
  nlohmann::json j = inspect_snapshot(file.snapshot, args.get_uint("--top", 0, 1000));
  j["file"] = path;
  if (args.has("--json")) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << path << ": ";
    print_inspection(j, std::cout);
  }
  return kOk;
}

}  // namespace

const Command kInspectCommand{kInspectSpec, cmd_inspect};

}  // namespace aisle
