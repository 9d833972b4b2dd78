// The aisle subcommands, one file each (cmd_*.cpp); main.cpp dispatches.
#pragma once

#include <string>
#include <vector>

#include "cli_args.h"
#include "diagnostics.h"

namespace aisle {

// Exit codes, listed in `aisle --help` and README.md.
constexpr int kOk = 0, kCheckFailed = 1, kBadInput = 2, kInternalError = 3;

// A subcommand: its options table (name, summary, help, options) and what it runs on the
// arguments main() parsed with that table.
struct Command {
  const CommandSpec& spec;
  int (*run)(const Args& args);
};

extern const Command kBuildCommand, kCatalogCommand, kInspectCommand, kRecommendCommand,
    kEvalCommand, kBenchCommand, kDemoDataCommand, kQaCommand, kDiffCommand, kPublishCommand,
    kReportCommand;

// Every subcommand, in the order `aisle --help` and `aisle help --markdown` list them.
const std::vector<const Command*>& all_commands();

}  // namespace aisle
