#include "commands.h"

namespace aisle {

const std::vector<const Command*>& all_commands() {
  static const std::vector<const Command*> commands{
      &kBuildCommand,  &kInspectCommand, &kRecommendCommand, &kQaCommand,      &kDiffCommand,
      &kReportCommand, &kEvalCommand,    &kBenchCommand,     &kDemoDataCommand};
  return commands;
}

}  // namespace aisle
