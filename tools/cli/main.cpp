// The aisle command line. Exit codes: 0 ok, 1 a check failed, 2 bad usage or bad input.
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "diagnostics.h"

namespace aisle {
namespace {

const char* kMainHelp = R"(aisle -- in-browser e-commerce recommendations: the native tools

usage: aisle <command> [options]     (aisle <command> --help for details)

commands:
  build       catalog export + interaction logs -> verified binary snapshot
  inspect     verify a snapshot and summarize it
  recommend   what the engine shows for a placement, with reasons
  qa          the checkpoint before a snapshot or rules go live (exit 1 on a failure)
  diff        what changes between two snapshots, for a reviewer
  eval        offline next-item evaluation on session logs
  bench       latency of "one event, then a 10-item list" on generated stores
  demo-data   generate a realistic synthetic store (catalog, GA4 events, rules)

exit codes: 0 ok, 1 a check failed, 2 bad usage or bad input
)";

bool wants_help(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

const Command* const kCommands[] = {&kBuildCommand, &kInspectCommand,  &kRecommendCommand,
                                    &kQaCommand,    &kDiffCommand,     &kEvalCommand,
                                    &kBenchCommand, &kDemoDataCommand, &kReportCommand};

}  // namespace
}  // namespace aisle

int main(int argc, char** argv) {
  using namespace aisle;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    if (args.size() >= 2) {
      for (const Command* c : kCommands) {
        if (args[1] == c->name) {
          std::cout << c->help;
          return kOk;
        }
      }
    }
    std::cout << kMainHelp;
    return args.empty() ? kBadInput : kOk;
  }
  const std::string name = args[0];
  args.erase(args.begin());
  for (const Command* c : kCommands) {
    if (name != c->name) continue;
    if (wants_help(args)) {
      std::cout << c->help;
      return kOk;
    }
    try {
      return c->run(args);
    } catch (const UsageError& e) {
      std::cerr << "aisle " << name << ": " << e.what() << "\n(see aisle " << name << " --help)\n";
      return kBadInput;
    } catch (const InputError& e) {
      std::cerr << "aisle " << name << ": error: " << e.what() << "\n";
      return kBadInput;
    } catch (const std::exception& e) {
      std::cerr << "aisle " << name << ": error: " << e.what() << "\n";
      return kBadInput;
    }
  }
  std::cerr << "aisle: unknown command '" << name << "'\n\n" << kMainHelp;
  return kBadInput;
}
