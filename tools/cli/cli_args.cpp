#include "cli_args.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "text.h"

namespace aisle {
namespace {

constexpr size_t kWidth = 92;       // --help wraps here
constexpr size_t kNameColumn = 26;  // option names wider than this put their help below

// "--catalog FILE", "--events FILE", "--json"
std::string signature(const Option& o) {
  return o.placeholder.empty() ? o.name : o.name + " " + o.placeholder;
}

// The help sentence with what the table says besides: default, required, repeatable.
std::string meaning(const Option& o) {
  std::string s = o.help;
  if (!o.default_value.empty()) s += " (default " + o.default_value + ")";
  if (o.required) s += "; required";
  if (o.kind == OptionKind::kRepeatable) s += "; repeatable";
  return s;
}

// Appends `words` wrapped to kWidth, continuation lines indented by `indent`.
void wrap(const std::vector<std::string>& words, size_t column, size_t indent, std::string* out) {
  for (const std::string& w : words) {
    if (column > indent && column + 1 + w.size() > kWidth) {
      *out += "\n" + std::string(indent, ' ');
      column = indent;
    } else if (column > indent) {
      *out += ' ';
      ++column;
    }
    *out += w;
    column += w.size();
  }
}

std::string synopsis(const CommandSpec& spec) {
  std::vector<std::string> words = split_trimmed(spec.operands, " ");
  for (const Option& o : spec.options) {  // one word each, never broken
    std::string w = o.required ? signature(o) : "[" + signature(o) + "]";
    if (o.kind == OptionKind::kRepeatable) w += "...";
    words.push_back(w);
  }
  std::string out = "usage: aisle " + spec.name + " ";
  const size_t indent = out.size();
  wrap(words, indent, indent, &out);
  return out + "\n";
}

bool parse_uint(const std::string& s, uint64_t* v) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

std::string default_text(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", value);
  return buf;
}

Option opt_flag(std::string name, std::string help) {
  return Option{std::move(name), "", OptionKind::kFlag, std::move(help), "", false};
}

Option opt_value(std::string name, std::string placeholder, std::string help,
                 std::string default_value) {
  return Option{std::move(name), std::move(placeholder),   OptionKind::kValue,
                std::move(help), std::move(default_value), false};
}

Option opt_required(std::string name, std::string placeholder, std::string help) {
  return Option{
      std::move(name), std::move(placeholder), OptionKind::kValue, std::move(help), "", true};
}

Option opt_repeatable(std::string name, std::string placeholder, std::string help, bool required) {
  return Option{
      std::move(name), std::move(placeholder), OptionKind::kRepeatable, std::move(help), "",
      required};
}

std::string render_help(const CommandSpec& spec) {
  std::string out = synopsis(spec) + "\n" + spec.description;
  if (!spec.description.empty() && spec.description.back() != '\n') out += '\n';
  out += "\noptions:\n";
  for (const Option& o : spec.options) {
    const std::string sig = "  " + signature(o);
    out += sig;
    size_t column = sig.size();
    if (column + 2 > kNameColumn) {
      out += "\n";
      column = 0;
    }
    out += std::string(kNameColumn - column, ' ');
    wrap(split_trimmed(meaning(o), " "), kNameColumn, kNameColumn, &out);
    out += "\n";
  }
  return out + "  --help" + std::string(kNameColumn - 8, ' ') + "this help\n";
}

std::string render_markdown(const CommandSpec& spec) {
  std::string out = "| option | meaning |\n|---|---|\n";
  for (const Option& o : spec.options) {
    std::string text;
    for (const char c : meaning(o)) text += c == '|' ? std::string("\\|") : std::string(1, c);
    out += "| `" + signature(o) + "` | " + text + " |\n";
  }
  return out;
}

Args::Args(const CommandSpec& spec, const std::vector<std::string>& argv)
    : spec_(&spec), values_(spec.options.size()) {
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
    size_t k = 0;
    while (k < spec.options.size() && spec.options[k].name != a) ++k;
    if (k == spec.options.size()) throw UsageError("unknown option " + a);
    if (spec.options[k].kind == OptionKind::kFlag) {
      if (inline_value) throw UsageError(a + " takes no value");
    } else if (!inline_value) {
      if (i + 1 >= argv.size()) throw UsageError(a + " needs a value");
      value = argv[++i];
    }
    values_[k].push_back(value);
  }
  for (size_t k = 0; k < spec.options.size(); ++k) {
    if (spec.options[k].required && values_[k].empty())
      throw UsageError(spec.options[k].name + " is required");
  }
  if (positional_.size() != spec.operand_count) {
    if (spec.operand_count == 0) throw UsageError("unexpected argument '" + positional_[0] + "'");
    throw UsageError(spec.operands_needed);
  }
}

const Option& Args::declared(const std::string& name) const {
  for (const Option& o : spec_->options) {
    if (o.name == name) return o;
  }
  throw std::logic_error("aisle " + spec_->name + " reads option " + name +
                         ", which its options table does not declare");
}

bool Args::has(const std::string& name) const {
  return !values_[size_t(&declared(name) - spec_->options.data())].empty();
}

std::string Args::get(const std::string& name) const {
  const Option& o = declared(name);
  const auto& v = values_[size_t(&o - spec_->options.data())];
  return v.empty() ? o.default_value : v.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
  return values_[size_t(&declared(name) - spec_->options.data())];
}

std::string Args::required(const std::string& name) const {
  if (!declared(name).required)
    throw std::logic_error("aisle " + spec_->name + ": option " + name +
                           " is read as required but its table does not say so");
  return get(name);
}

uint64_t Args::get_uint(const std::string& name, uint64_t min, uint64_t max) const {
  const std::string s = get(name);
  uint64_t v = 0;
  const bool ok = parse_uint(s, &v) && v >= min && v <= max;
  if (!ok && !has(name))
    throw std::logic_error("aisle " + spec_->name + ": " + name + " has no valid default");
  if (!ok) {
    throw UsageError(name + " must be a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", got '" + s + "'");
  }
  return v;
}

double Args::get_number(const std::string& name, double min, double max, bool above_min) const {
  const std::string s = get(name);
  double v = 0;
  const bool ok = parse_number(s, &v) && (above_min ? v > min : v >= min) && v <= max;
  if (!ok && !has(name))
    throw std::logic_error("aisle " + spec_->name + ": " + name + " has no valid default");
  if (!ok) {
    char range[96];
    std::snprintf(range, sizeof range, above_min ? "above %g and at most %g" : "from %g to %g", min,
                  max);
    throw UsageError(name + ": expected a number " + range + ", got '" + s + "'");
  }
  return v;
}

bool Args::get_time_ms(const std::string& name, int64_t* ms) const {
  if (!has(name)) return false;
  if (!parse_time_ms(get(name), ms)) {
    throw UsageError(name + ": expected a time (ISO-8601 or epoch), got '" + get(name) + "'");
  }
  return true;
}

}  // namespace aisle
