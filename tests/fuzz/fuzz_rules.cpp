// libFuzzer target: the rules file parser accepts or refuses with an InputError only.
#include <sstream>
#include <string>

#include "rules_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    aisle::parse_rules(in, "fuzz.json");
  } catch (const aisle::InputError&) {
  }
  return 0;
}
