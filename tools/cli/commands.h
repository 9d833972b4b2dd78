// The aisle subcommands, one file each (cmd_*.cpp); main.cpp dispatches.
#pragma once

#include <string>
#include <vector>

#include "cli_args.h"
#include "diagnostics.h"

namespace aisle {

constexpr int kOk = 0, kCheckFailed = 1, kBadInput = 2;

struct Command {
  const char* name;
  const char* help;
  int (*run)(const std::vector<std::string>& args);
};

extern const Command kBuildCommand, kInspectCommand, kRecommendCommand, kEvalCommand, kBenchCommand,
    kDemoDataCommand, kQaCommand, kDiffCommand, kReportCommand;

}  // namespace aisle
