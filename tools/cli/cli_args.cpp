#include "cli_args.h"

#include <charconv>

namespace aisle {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
           const std::set<std::string>& flags) {
  for (size_t i = 0; i < argv.size(); ++i) {
    std::string a = argv[i];
    if (a.size() < 2 || a[0] != '-' || a == "-") {
      positional_.push_back(a);
      continue;
    }
    std::string value;
    bool inline_value = false;
    const size_t eq = a.find('=');
    if (a.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = a.substr(eq + 1);
      a = a.substr(0, eq);
      inline_value = true;
    }
    if (valued.count(a)) {
      if (!inline_value) {
        if (i + 1 >= argv.size()) throw UsageError(a + " needs a value");
        value = argv[++i];
      }
      values_[a].push_back(value);
    } else if (flags.count(a)) {
      if (inline_value) throw UsageError(a + " takes no value");
      values_[a].push_back("");
    } else {
      throw UsageError("unknown option " + a);
    }
  }
}

bool Args::has(const std::string& name) const {
  return values_.count(name) > 0;
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string Args::required(const std::string& name) const {
  if (!has(name)) throw UsageError(name + " is required");
  return get(name);
}

uint64_t Args::get_uint(const std::string& name, uint64_t fallback, uint64_t min,
                        uint64_t max) const {
  if (!has(name)) return fallback;
  const std::string s = get(name);
  uint64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || v < min || v > max) {
    throw UsageError(name + " must be a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", got '" + s + "'");
  }
  return v;
}

}  // namespace aisle
