#include "time_parse.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace aisle {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
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

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool parse_time_ms(std::string_view text, int64_t* ms) {
  const std::string_view s = trim_spaces(text);
  if (s.empty()) return false;
  if (s.size() < 5 || s[4] != '-') {  // a plain number
    // strtod on a bounded copy: from_chars for doubles is missing from Emscripten's libc++.
    char buf[40];
    if (s.size() >= sizeof buf || !is_digit(s[0])) return false;
    std::memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';
    char* end = nullptr;
    double v = std::strtod(buf, &end);
    if (end != buf + s.size() || !std::isfinite(v) || v < 0) return false;
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
    // Shopify's exports write "2026-10-30 10:05:00 +0100": a space before the offset.
    if (i + 1 < s.size() && s[i] == ' ' && (s[i + 1] == '+' || s[i + 1] == '-')) ++i;
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

}  // namespace aisle
