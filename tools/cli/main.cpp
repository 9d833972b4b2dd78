// The aisle command line: finds the subcommand, parses its arguments with its options
// table, runs it and turns what it throws into an exit code (kExitCodes below).
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "commands.h"
#include "diagnostics.h"

namespace aisle {
namespace {

const char* kExitCodes = R"(exit codes:
  0  ok
  1  a check failed (aisle qa)
  2  bad usage or bad input, with a message naming the file, line and field
  3  internal error: a bug in aisle, not in the input (please report it)
)";

std::string main_help() {
  std::string out =
      "aisle -- in-browser e-commerce recommendations: the native tools\n\n"
      "usage: aisle <command> [options]     (aisle <command> --help for details)\n\n"
      "commands:\n";
  for (const Command* c : all_commands()) {
    const std::string& name = c->spec.name;
    out += "  " + name + std::string(name.size() < 12 ? 12 - name.size() : 1, ' ') +
           c->spec.summary + "\n";
  }
  return out + "\n" + kExitCodes;
}

const Command* find_command(const std::string& name) {
  for (const Command* c : all_commands()) {
    if (name == c->spec.name) return c;
  }
  return nullptr;
}

bool wants_help(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

// `aisle help [--markdown] [CMD]`: --markdown prints README's option tables (all commands
// when none is named, each under a "### aisle CMD" heading).
int help(const std::vector<std::string>& args) {
  bool markdown = false;
  const Command* only = nullptr;
  for (const std::string& a : args) {
    if (a == "--markdown") {
      markdown = true;
    } else if (const Command* c = find_command(a)) {
      only = c;
    } else {
      std::cerr << "aisle help: unknown command or option '" << a << "'\n";
      return kBadInput;
    }
  }
  if (!markdown) {
    std::cout << (only ? render_help(only->spec) : main_help());
    return kOk;
  }
  for (const Command* c : all_commands()) {
    if (only && only != c) continue;
    if (!only) std::cout << "### aisle " << c->spec.name << "\n\n";
    std::cout << render_markdown(c->spec) << (only ? "" : "\n");
  }
  return kOk;
}

int run(const Command& c, const std::vector<std::string>& args) {
  const std::string prefix = "aisle " + c.spec.name + ": ";
  try {
    return c.run(Args(c.spec, args));
  } catch (const UsageError& e) {
    std::cerr << prefix << e.what() << "\n(see aisle " << c.spec.name << " --help)\n";
    return kBadInput;
  } catch (const InputError& e) {
    std::cerr << prefix << "error: " << e.what() << "\n";
    return kBadInput;
  } catch (const std::bad_alloc&) {
    std::cerr << prefix << "internal error: out of memory -- please report this, with the "
              << "command and the size of its input\n";
  } catch (const std::exception& e) {
    std::cerr << prefix << "internal error: " << e.what() << " -- please report this\n";
  } catch (...) {
    std::cerr << prefix << "internal error: unknown exception -- please report this\n";
  }
  return kInternalError;
}

}  // namespace
}  // namespace aisle

int main(int argc, char** argv) {
  using namespace aisle;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cout << main_help();
    return kBadInput;
  }
  const std::string name = args[0];
  args.erase(args.begin());
  if (name == "help" || name == "--help" || name == "-h") return help(args);
  const Command* c = find_command(name);
  if (c == nullptr) {
    std::cerr << "aisle: unknown command '" << name << "'\n\n" << main_help();
    return kBadInput;
  }
  if (wants_help(args)) {
    std::cout << render_help(c->spec);
    return kOk;
  }
  return run(*c, args);
}
