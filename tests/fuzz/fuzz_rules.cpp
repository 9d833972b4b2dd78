// libFuzzer target: the rules file parser accepts or refuses with an InputError only; an
// accepted file's experiments assign visitors and merge their variants without fault.
#include <sstream>
#include <string>

#include "rules.h"
#include "rules_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    const aisle::RulesFile file = aisle::parse_rules(in, "fuzz.json");
    aisle::Rules rules;
    if (aisle::parse_rules_json(file.json, &rules).is_ok()) {
      std::vector<aisle::Assignment> arms;
      for (const char* visitor : {"a", "visitor-2", ""}) {
        const aisle::Rules merged = aisle::rules_for_visitor(rules, visitor, &arms);
        if (arms.size() != rules.experiments.size() || !merged.experiments.empty())
          __builtin_trap();
      }
    }
  } catch (const aisle::InputError&) {
  }
  return 0;
}
