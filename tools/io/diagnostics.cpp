#include "diagnostics.h"

#include "json_line.h"  // escape_text

namespace aisle {

std::string Location::describe() const {
  std::string s = file.empty() ? "<input>" : file;
  if (line > 0) s += ":" + std::to_string(line);
  if (!field.empty()) s += ": field '" + field + "'";
  return s;
}

void Diagnostics::warn(const Location& where, const std::string& kind, const std::string& detail) {
  // Details quote the input: escaped, so that neither a terminal nor a JSON report sees
  // raw control characters or ill-formed UTF-8 from it.
  const std::string text = detail.empty() ? kind : kind + " (" + escape_text(detail) + ")";
  if (strict_) throw InputError(where, text + " [--strict]");  // escapes where.describe()
  Entry& e = by_kind_[kind];
  ++e.count;
  ++total_;
  if (e.examples.size() < examples_per_kind_)
    e.examples.push_back(escape_text(where.describe()) + ": " + text);
}

void Diagnostics::add_count(const std::string& kind, uint64_t n) {
  if (n == 0) return;
  by_kind_[kind].count += n;
  total_ += n;
}

uint64_t Diagnostics::count(const std::string& kind) const {
  auto it = by_kind_.find(kind);
  return it == by_kind_.end() ? 0 : it->second.count;
}

void Diagnostics::print(std::ostream& out) const {
  for (const auto& [kind, e] : by_kind_) {
    out << "  " << e.count << " x " << kind << "\n";
    for (const auto& ex : e.examples) out << "      e.g. " << ex << "\n";
  }
}

nlohmann::json Diagnostics::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [kind, e] : by_kind_) j[kind] = {{"count", e.count}, {"examples", e.examples}};
  return j;
}

}  // namespace aisle
