#include "text.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace aisle {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool parse_number_run(std::string_view num, int64_t* hundredths) {
  size_t dots = 0, commas = 0, last_sep = std::string_view::npos;
  for (size_t i = 0; i < num.size(); ++i) {
    if (num[i] == '.') ++dots;
    if (num[i] == ',') ++commas;
    if (num[i] == '.' || num[i] == ',') last_sep = i;
  }
  char decimal = 0;
  if (dots && commas) {
    decimal = num[last_sep];
  } else if (dots + commas == 1) {
    const size_t after = num.size() - last_sep - 1;
    decimal = (num[last_sep] == ',' && after == 3) ? 0 : num[last_sep];
  }
  int64_t whole = 0;
  int64_t frac = 0;
  int frac_digits = 0;
  bool in_frac = false;
  int whole_digits = 0;
  for (char c : num) {
    if (c == decimal && decimal != 0) {
      in_frac = true;
    } else if (is_digit(c)) {
      if (!in_frac) {
        if (++whole_digits > 13) return false;
        whole = whole * 10 + (c - '0');
      } else if (frac_digits < 3) {
        frac = frac * 10 + (c - '0');
        ++frac_digits;
      }
    }
  }
  if (whole_digits == 0 && frac_digits == 0) return false;
  while (frac_digits < 3) {
    frac *= 10;
    ++frac_digits;
  }
  *hundredths = whole * 100 + (frac + 5) / 10;  // round half up to hundredths
  return true;
}

}  // namespace

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string slugify(std::string_view s) {
  std::string out;
  for (char c : to_lower(s)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

std::vector<std::string> split_trimmed(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view part = trim(s.substr(start, end - start));
    if (!part.empty()) out.emplace_back(part);
    start = end + sep.size();
  }
  return out;
}

bool parse_price(std::string_view text, int64_t* hundredths, std::string* currency) {
  const std::string_view s = trim(text);
  std::string code;
  std::string_view number;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (is_digit(char(c)) || ((c == '.' || c == ',') && i + 1 < s.size() && is_digit(s[i + 1]))) {
      if (!number.empty()) return false;  // two amounts
      const size_t b = i;
      while (i < s.size() && (is_digit(s[i]) || s[i] == '.' || s[i] == ',')) ++i;
      number = s.substr(b, i - b);
    } else if (std::isalpha(c)) {
      const size_t b = i;
      while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
      if (i - b != 3 || !code.empty()) return false;
      for (size_t k = b; k < i; ++k) code += char(std::toupper(static_cast<unsigned char>(s[k])));
    } else if (c == '$') {
      if (code.empty()) code = "USD";
      ++i;
    } else if (s.substr(i, 3) == "\xE2\x82\xAC") {  // €
      code = "EUR";
      i += 3;
    } else if (s.substr(i, 2) == "\xC2\xA3") {  // £
      code = "GBP";
      i += 2;
    } else if (std::isspace(c)) {
      ++i;
    } else {
      return false;  // minus signs and anything else
    }
  }
  if (number.empty() || !parse_number_run(number, hundredths)) return false;
  *currency = code;
  return true;
}

bool parse_time_range_ms(std::string_view text, int64_t* start_ms, int64_t* end_ms) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view a = trim(text.substr(0, slash)), b = trim(text.substr(slash + 1));
  *start_ms = 0;
  *end_ms = 0;
  if (!a.empty() && !parse_time_ms(a, start_ms)) return false;
  if (!b.empty() && !parse_time_ms(b, end_ms)) return false;
  return true;
}

bool parse_bool(std::string_view text, bool* value) {
  const std::string v = to_lower(trim(text));
  if (v == "true" || v == "yes" || v == "1" || v == "y") {
    *value = true;
    return true;
  }
  if (v == "false" || v == "no" || v == "0" || v == "n") {
    *value = false;
    return true;
  }
  return false;
}

bool parse_int(std::string_view text, int64_t* value) {
  const std::string_view s = trim(text);
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *value);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parse_number(std::string_view text, double* value) {
  const std::string_view s = trim(text);
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *value);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(*value);
}

std::string format_time_iso(int64_t ms) {
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  const int64_t rem = secs - days * 86400;
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = int64_t(yoe) + era * 400 + (m <= 2);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
  return buf;
}

}  // namespace aisle
