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

// Reads exactly `n` digits at s[*i].
bool read_digits(std::string_view s, size_t* i, int n, int* out) {
  int v = 0;
  for (int k = 0; k < n; ++k) {
    if (*i >= s.size() || !is_digit(s[*i])) return false;
    v = v * 10 + (s[(*i)++] - '0');
  }
  *out = v;
  return true;
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

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool parse_time_ms(std::string_view text, int64_t* ms) {
  const std::string_view s = trim(text);
  if (s.empty()) return false;
  if (s.size() < 5 || s[4] != '-') {  // a plain number
    double v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v) || v < 0)
      return false;
    if (v < 1e11)
      v *= 1000;  // seconds
    else if (v >= 1e14)
      v /= 1000;  // microseconds
    if (v > 9e15) return false;
    *ms = int64_t(std::llround(v));
    return true;
  }
  size_t i = 0;
  int y, mo, d, h = 0, mi = 0, sec = 0, frac_ms = 0;
  if (!read_digits(s, &i, 4, &y) || s[i++] != '-' || !read_digits(s, &i, 2, &mo) || i >= s.size() ||
      s[i++] != '-' || !read_digits(s, &i, 2, &d)) {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  int64_t offset_min = 0;
  if (i < s.size() && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
    ++i;
    if (!read_digits(s, &i, 2, &h) || i >= s.size() || s[i++] != ':' ||
        !read_digits(s, &i, 2, &mi)) {
      return false;
    }
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!read_digits(s, &i, 2, &sec)) return false;
      if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        ++i;
        int digits = 0;
        while (i < s.size() && is_digit(s[i])) {
          if (digits < 3) frac_ms = frac_ms * 10 + (s[i] - '0');
          ++digits;
          ++i;
        }
        if (digits == 0) return false;
        for (; digits < 3; ++digits) frac_ms *= 10;
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return false;
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
      ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      const int sign = s[i++] == '-' ? -1 : 1;
      int oh, om = 0;
      if (!read_digits(s, &i, 2, &oh)) return false;
      if (i < s.size() && s[i] == ':') ++i;
      if (i < s.size() && !read_digits(s, &i, 2, &om)) return false;
      if (oh > 23 || om > 59) return false;
      offset_min = sign * (oh * 60 + om);
    }
  }
  if (i != s.size()) return false;
  const int64_t days = days_from_civil(y, unsigned(mo), unsigned(d));
  *ms = ((days * 24 + h) * 60 + mi - offset_min) * 60000 + int64_t(sec) * 1000 + frac_ms;
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
