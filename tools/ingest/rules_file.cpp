#include "rules_file.h"

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "rules.h"
#include "text.h"

namespace aisle {

RulesFile parse_rules(std::istream& in, const std::string& file) {
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Rules engine_rules;
  const Status st = parse_rules_json(text, &engine_rules);
  if (!st.is_ok()) throw InputError(Location{file, 0, ""}, st.message());
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) throw InputError(Location{file, 0, ""}, "$: not valid JSON");
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
    }  // every other key was checked by the engine's parser
  }
  rules.json = text;
  return rules;
}

RulesFile load_rules(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Location{path, 0, ""}, "cannot open the rules file");
  return parse_rules(in, path);
}

}  // namespace aisle
