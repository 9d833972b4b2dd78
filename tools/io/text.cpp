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

constexpr int kMaxWholeDigits =
    13;  // prices below 10^13 major units; the snapshot bounds them further

bool is_separator(char c) {
  return c == '.' || c == ',';
}

// A run of digits, '.' and ',' -> hundredths, by the rule in text.h. Groups are the digit
// runs between separators: the last group is decimals when it has one or two digits; every
// other boundary groups thousands (one character throughout, not the decimal mark's) and
// needs a first group of 1-3 digits not starting with 0 and later groups of exactly three.
bool parse_number_run(std::string_view num, int64_t* hundredths, bool* ambiguous) {
  std::vector<std::string_view> groups;
  std::string seps;
  size_t b = 0;
  for (size_t i = 0; i <= num.size(); ++i) {
    if (i < num.size() && !is_separator(num[i])) continue;
    groups.push_back(num.substr(b, i - b));
    if (i < num.size()) seps += num[i];
    b = i + 1;
  }
  std::string_view decimals;
  if (!seps.empty() && groups.back().size() >= 1 && groups.back().size() <= 2) {
    decimals = groups.back();
    groups.pop_back();
    if (seps.find(seps.back()) != seps.size() - 1) return false;  // "1.299.00"
    seps.pop_back();
  }
  if (!seps.empty()) {
    if (seps.find_first_not_of(seps[0]) != std::string::npos) return false;  // "1,299.999"
    const std::string_view first = groups[0];
    if (first.empty() || first.size() > 3 || first[0] == '0') return false;  // "0.995"
    for (size_t g = 1; g < groups.size(); ++g) {
      if (groups[g].size() != 3) return false;  // "12.3456", "1,29,999"
    }
  }
  *ambiguous = seps.size() == 1 && decimals.empty();
  int64_t whole = 0;
  int whole_digits = 0;
  for (const std::string_view g : groups) {
    for (char c : g) {
      if (++whole_digits > kMaxWholeDigits) return false;
      whole = whole * 10 + (c - '0');
    }
  }
  if (whole_digits == 0 && decimals.empty()) return false;
  int64_t cents = 0;
  for (size_t k = 0; k < 2; ++k) cents = cents * 10 + (k < decimals.size() ? decimals[k] - '0' : 0);
  *hundredths = whole * 100 + cents;
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

bool parse_price(std::string_view text, int64_t* hundredths, std::string* currency,
                 bool* ambiguous) {
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
  bool lone_thousands = false;
  if (number.empty() || !parse_number_run(number, hundredths, &lone_thousands)) return false;
  *currency = code;
  if (ambiguous != nullptr) *ambiguous = lone_thousands;
  return true;
}

std::string format_hundredths(int64_t hundredths) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(hundredths / 100),
                static_cast<long long>(hundredths % 100));
  return buf;
}

bool price_from_number(double major, int64_t* hundredths) {
  if (!(major >= 0) || major >= std::pow(10.0, kMaxWholeDigits)) return false;
  *hundredths = std::llround(major * 100);
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
