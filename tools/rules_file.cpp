#include "rules_file.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "text.h"

namespace aisle {

RulesFile parse_rules(std::istream& in, const std::string& file) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(Location{file, 0, ""}, std::string("not valid JSON: ") + e.what());
  }
  auto fail = [&](const std::string& path, const std::string& msg) {
    throw InputError(Location{file, 0, ""}, path + ": " + msg);
  };
  if (!j.is_object()) fail("$", "expected an object");
  RulesFile rules;
  for (const auto& [key, value] : j.items()) {
    if (key == "field_mapping") {
      if (!value.is_object()) fail("$.field_mapping", "expected an object of column -> field");
      for (const auto& [source, target] : value.items()) {
        const std::string path = "$.field_mapping." + source;
        if (!target.is_string()) fail(path, "expected a string naming an aisle field");
        const std::string t = target.get<std::string>();
        if (!is_mapping_target(t)) {
          fail(path, "unknown target '" + t + "' (expected one of " + mapping_targets_help() + ")");
        }
        rules.field_mapping.entries.emplace_back(to_lower(trim(source)), t);
      }
    } else if (key == "$schema" || key == "description") {
      // documentation keys
    } else {
      fail("$." + key, "unknown key (expected field_mapping)");
    }
  }
  return rules;
}

RulesFile load_rules(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Location{path, 0, ""}, "cannot open the rules file");
  return parse_rules(in, path);
}

}  // namespace aisle
