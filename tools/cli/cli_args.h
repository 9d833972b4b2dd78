// Minimal option parsing for the aisle subcommands: --name value, --name=value,
// repeatable options, boolean flags and positionals. Unknown options are usage errors.
#pragma once

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace aisle {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `valued`: options that take a value; `flags`: boolean options. "-k" style short
  // names are given with their dash ("-k").
  Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
       const std::set<std::string>& flags);
  bool has(const std::string& name) const;
  std::string get(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> all(const std::string& name) const;
  std::string required(const std::string& name) const;
  uint64_t get_uint(const std::string& name, uint64_t fallback, uint64_t min, uint64_t max) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

}  // namespace aisle
