#include "commands.h"

namespace aisle {

const std::vector<const Command*>& all_commands() {
  static const std::vector<const Command*> commands{
      &kBuildCommand, &kCatalogCommand, &kInspectCommand, &kRecommendCommand,
      &kQaCommand,    &kDiffCommand,    &kPublishCommand, &kReportCommand,
      &kEvalCommand,  &kBenchCommand,   &kDemoDataCommand};
  return commands;
}

}  // namespace aisle
