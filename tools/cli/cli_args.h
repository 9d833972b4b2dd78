// The aisle subcommands' options: ONE table per command renders its --help, is all the
// parser accepts, and is what README.md lists (`aisle help --markdown CMD`, written there by
// tools/scripts/readme_options.sh). Reading an option the table does not declare is a
// programming error (std::logic_error, which the CLI reports as an internal error).
//
//   const CommandSpec kQaSpec{"qa", "the checkpoint before ... go live", "", 0, "",
//       "Replays ...",
//       {opt_required("--snapshot", "S", "the snapshot to check"),
//        opt_value("--visits", "N", "visits per placement and segment", "20"),
//        opt_flag("--json", "the report as JSON")}};
//   const Args args(kQaSpec, argv);                      // UsageError: unknown, missing, ...
//   const uint64_t visits = args.get_uint("--visits", 1, 10000);  // the table's default if absent
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace aisle {

// Bad command-line usage: exit 2 with the command's name and a pointer to its --help.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class OptionKind { kFlag, kValue, kRepeatable };

struct Option {
  std::string name;         // "--catalog", or "-k"
  std::string placeholder;  // the value's name in the help ("FILE"); empty for flags
  OptionKind kind = OptionKind::kValue;
  std::string help;           // one or more sentences, wrapped by the renderers
  std::string default_value;  // used when absent, shown as "(default X)"; empty: none
  bool required = false;
};

Option opt_flag(std::string name, std::string help);
// A default taken from an options struct, as the table shows it: 0.25, 200000.
std::string default_text(double value);
Option opt_value(std::string name, std::string placeholder, std::string help,
                 std::string default_value = "");
Option opt_required(std::string name, std::string placeholder, std::string help);
Option opt_repeatable(std::string name, std::string placeholder, std::string help,
                      bool required = false);

struct CommandSpec {
  std::string name;             // "build"
  std::string summary;          // its line in `aisle --help`
  std::string operands;         // positional arguments in the synopsis ("OLD.snap NEW.snap")
  size_t operand_count = 0;     // exactly this many are expected
  std::string operands_needed;  // the usage error when they are not ("expected two snapshot files")
  std::string description;      // paragraphs of --help between the synopsis and the options
  std::vector<Option> options;
};

std::string render_help(const CommandSpec& spec);      // `aisle CMD --help`
std::string render_markdown(const CommandSpec& spec);  // README's option table

class Args {
 public:
  // Parses --name value, --name=value, flags and operands; throws UsageError on an unknown
  // option, a missing value or required option, or the wrong number of operands.
  Args(const CommandSpec& spec, const std::vector<std::string>& argv);
  bool has(const std::string& name) const;
  // The last value given, else the table's default, else "".
  std::string get(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;  // a repeatable option's values
  // The value of an option the table declares required (checked by the constructor).
  std::string required(const std::string& name) const;
  // A whole number in [min, max] (the table's default when absent); UsageError otherwise.
  uint64_t get_uint(const std::string& name, uint64_t min, uint64_t max) const;
  // A number in [min, max], or (min, max] with `above_min`; the default when absent.
  double get_number(const std::string& name, double min, double max, bool above_min = false) const;
  // A time (ISO-8601 or epoch) into *ms; false when the option is absent.
  bool get_time_ms(const std::string& name, int64_t* ms) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  const Option& declared(const std::string& name) const;  // std::logic_error if not
  const CommandSpec* spec_;
  std::vector<std::vector<std::string>> values_;  // parallel to spec_->options
  std::vector<std::string> positional_;
};

}  // namespace aisle
