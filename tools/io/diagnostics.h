// Problems found in input files: fatal ones are thrown as InputError (file, line,
// field); recoverable ones are counted per kind with the first few examples kept, so
// memory stays bounded on huge inputs. In strict mode every warning is fatal.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "json_line.h"  // escape_text

namespace aisle {

struct Location {
  std::string file;
  uint64_t line = 0;             // 1-based; 0: the file as a whole
  std::string field;             // column or JSON key; empty: the whole row
  std::string describe() const;  // "file:line: field 'x'"
};

// The message quotes input (file names, columns, values): escaped (escape_text), so a
// terminal never receives raw control characters from it.
class InputError : public std::runtime_error {
 public:
  InputError(const Location& where, const std::string& message)
      : std::runtime_error(escape_text(where.describe() + ": " + message)) {}
  explicit InputError(const std::string& message) : std::runtime_error(escape_text(message)) {}
};

class Diagnostics {
 public:
  explicit Diagnostics(bool strict = false, size_t examples_per_kind = 3)
      : strict_(strict), examples_per_kind_(examples_per_kind) {}

  // `kind` groups the warning in the summary ("duplicate id", "skipped: no price").
  void warn(const Location& where, const std::string& kind, const std::string& detail = "");
  // Counts `n` more of a kind without examples (bulk tallies from hot loops).
  void add_count(const std::string& kind, uint64_t n);
  uint64_t count(const std::string& kind) const;
  uint64_t total() const { return total_; }
  bool strict() const { return strict_; }

  void print(std::ostream& out) const;
  nlohmann::json to_json() const;

 private:
  struct Entry {
    uint64_t count = 0;
    std::vector<std::string> examples;
  };
  bool strict_;
  size_t examples_per_kind_;
  uint64_t total_ = 0;
  std::map<std::string, Entry> by_kind_;
};

}  // namespace aisle
