#include "json_line.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "hash.h"

namespace aisle {

bool JsonLine::fail(const char* what) {
  error_ = "column " + std::to_string(pos_ + 1) + ": " + what;
  return false;
}

void JsonLine::skip_ws() {
  while (pos_ < in_.size() &&
         (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r')) {
    ++pos_;
  }
}

bool JsonLine::parse(std::string_view text) {
  in_ = text;
  pos_ = 0;
  nodes_.clear();
  scratch_.clear();
  error_.clear();
  skip_ws();
  if (!value(0)) return false;
  skip_ws();
  if (pos_ != in_.size()) return fail("unexpected text after the value");
  return true;
}

uint32_t JsonLine::first_child(uint32_t n) const {
  return nodes_[n].count == 0 ? kNoNode : n + 1;
}

uint32_t JsonLine::find(uint32_t obj, std::string_view key_text) const {
  if (obj == kNoNode || nodes_[obj].type != Type::kObject) return kNoNode;
  for (uint32_t c = first_child(obj); c != kNoNode; c = nodes_[c].next) {
    if (key(c) == key_text) return c;
  }
  return kNoNode;
}

std::string_view JsonLine::key(uint32_t n) const {
  const Node& x = nodes_[n];
  return (x.key_scratch ? std::string_view(scratch_) : in_).substr(x.key_off, x.key_len);
}

std::string_view JsonLine::text(uint32_t n) const {
  const Node& x = nodes_[n];
  return (x.text_scratch ? std::string_view(scratch_) : in_).substr(x.text_off, x.text_len);
}

namespace {
void append_utf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    *out += char(cp);
  } else if (cp < 0x800) {
    *out += char(0xC0 | (cp >> 6));
    *out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += char(0xE0 | (cp >> 12));
    *out += char(0x80 | ((cp >> 6) & 0x3F));
    *out += char(0x80 | (cp & 0x3F));
  } else {
    *out += char(0xF0 | (cp >> 18));
    *out += char(0x80 | ((cp >> 12) & 0x3F));
    *out += char(0x80 | ((cp >> 6) & 0x3F));
    *out += char(0x80 | (cp & 0x3F));
  }
}

bool hex4(std::string_view s, size_t at, uint32_t* out) {
  if (at + 4 > s.size()) return false;
  uint32_t v = 0;
  for (size_t i = at; i < at + 4; ++i) {
    const char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= uint32_t(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= uint32_t(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= uint32_t(c - 'A' + 10);
    else
      return false;
  }
  *out = v;
  return true;
}
}  // namespace

// Bytes that end the fast scan of a string: '"', '\\' and control characters.
struct StopTable {
  bool stop[256] = {};
  constexpr StopTable() {
    for (int c = 0; c < 0x20; ++c) stop[c] = true;
    stop[int('"')] = true;
    stop[int('\\')] = true;
  }
};
constexpr StopTable kStop;

// At an opening quote. Escape-free strings stay views of the input.
bool JsonLine::string(uint32_t* off, uint32_t* len, bool* scratch) {
  ++pos_;
  const size_t start = pos_;
  const auto* p = reinterpret_cast<const unsigned char*>(in_.data());
  const size_t n = in_.size();
  while (pos_ < n && !kStop.stop[p[pos_]]) ++pos_;
  if (pos_ < n && p[pos_] < 0x20) return fail("control character in a string");
  if (pos_ >= in_.size()) return fail("unterminated string");
  if (in_[pos_] == '"') {
    *off = uint32_t(start);
    *len = uint32_t(pos_ - start);
    *scratch = false;
    ++pos_;
    return true;
  }
  *off = uint32_t(scratch_.size());
  *scratch = true;
  scratch_.append(in_.data() + start, pos_ - start);
  while (pos_ < in_.size() && in_[pos_] != '"') {
    const char c = in_[pos_];
    if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string");
    if (c != '\\') {
      scratch_ += c;
      ++pos_;
      continue;
    }
    if (++pos_ >= in_.size()) break;
    const char e = in_[pos_++];
    switch (e) {
      case '"':
        scratch_ += '"';
        break;
      case '\\':
        scratch_ += '\\';
        break;
      case '/':
        scratch_ += '/';
        break;
      case 'b':
        scratch_ += '\b';
        break;
      case 'f':
        scratch_ += '\f';
        break;
      case 'n':
        scratch_ += '\n';
        break;
      case 'r':
        scratch_ += '\r';
        break;
      case 't':
        scratch_ += '\t';
        break;
      case 'u': {
        uint32_t cp;
        if (!hex4(in_, pos_, &cp)) return fail("bad \\u escape");
        pos_ += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo;
          if (pos_ + 1 < in_.size() && in_[pos_] == '\\' && in_[pos_ + 1] == 'u' &&
              hex4(in_, pos_ + 2, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
            pos_ += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else {
            cp = 0xFFFD;  // lone surrogate
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        append_utf8(&scratch_, cp);
        break;
      }
      default:
        return fail("bad escape in a string");
    }
  }
  if (pos_ >= in_.size()) return fail("unterminated string");
  ++pos_;
  *len = uint32_t(scratch_.size() - *off);
  return true;
}

bool JsonLine::number(Node* n) {
  const size_t start = pos_;
  auto digits = [&] {
    const size_t b = pos_;
    while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') ++pos_;
    return pos_ > b;
  };
  if (pos_ < in_.size() && in_[pos_] == '-') ++pos_;
  if (pos_ < in_.size() && in_[pos_] == '0') {
    ++pos_;
  } else if (!digits()) {
    return fail("bad number");
  }
  if (pos_ < in_.size() && in_[pos_] == '.') {
    ++pos_;
    if (!digits()) return fail("bad number");
  }
  if (pos_ < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
    ++pos_;
    if (pos_ < in_.size() && (in_[pos_] == '+' || in_[pos_] == '-')) ++pos_;
    if (!digits()) return fail("bad number");
  }
  // strtod on a bounded copy: from_chars for doubles is missing from Emscripten's libc++.
  // Longer numbers are refused, not truncated (JavaScript would read them whole).
  char buf[kMaxNumberLength + 1];
  if (pos_ - start > kMaxNumberLength) {
    pos_ = start;
    return fail("number longer than 63 characters");
  }
  const size_t len = pos_ - start;
  std::memcpy(buf, in_.data() + start, len);
  buf[len] = '\0';
  n->num = std::strtod(buf, nullptr);
  n->text_off = uint32_t(start);
  n->text_len = uint32_t(pos_ - start);
  n->text_scratch = false;
  return true;
}

bool JsonLine::value(int depth) {
  if (depth > kMaxDepth) return fail("nested too deeply");
  if (nodes_.size() >= kMaxNodes) return fail("too many values");
  if (pos_ >= in_.size()) return fail("unexpected end of input");
  const auto self = uint32_t(nodes_.size());
  nodes_.push_back(Node{Type::kNull, false, false, kNoNode, 0, 0, 0, 0, 0, 0.0});
  const char c = in_[pos_];
  if (c == '"') {
    nodes_[self].type = Type::kString;
    uint32_t off, len;
    bool scratch;
    if (!string(&off, &len, &scratch)) return false;
    nodes_[self].text_off = off;
    nodes_[self].text_len = len;
    nodes_[self].text_scratch = scratch;
    return true;
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    nodes_[self].type = Type::kNumber;
    Node n = nodes_[self];
    if (!number(&n)) return false;
    nodes_[self] = n;
    return true;
  }
  struct Literal {
    const char* text;
    size_t len;
    Type type;
  };
  for (const Literal& lit : {Literal{"null", 4, Type::kNull}, Literal{"true", 4, Type::kTrue},
                             Literal{"false", 5, Type::kFalse}}) {
    if (in_.substr(pos_, lit.len) == std::string_view(lit.text, lit.len)) {
      nodes_[self].type = lit.type;
      pos_ += lit.len;
      return true;
    }
  }
  if (c != '[' && c != '{') return fail("unexpected character");
  const bool is_object = c == '{';
  nodes_[self].type = is_object ? Type::kObject : Type::kArray;
  const char close = is_object ? '}' : ']';
  ++pos_;
  skip_ws();
  if (pos_ < in_.size() && in_[pos_] == close) {
    ++pos_;
    return true;
  }
  uint32_t prev = kNoNode, count = 0;
  for (;;) {
    skip_ws();
    uint32_t key_off = 0, key_len = 0;
    bool key_scratch = false;
    if (is_object) {
      if (pos_ >= in_.size() || in_[pos_] != '"') return fail("expected a key");
      if (!string(&key_off, &key_len, &key_scratch)) return false;
      skip_ws();
      if (pos_ >= in_.size() || in_[pos_] != ':') return fail("expected ':'");
      ++pos_;
      skip_ws();
    }
    const auto child = uint32_t(nodes_.size());
    if (!value(depth + 1)) return false;
    nodes_[child].key_off = key_off;
    nodes_[child].key_len = key_len;
    nodes_[child].key_scratch = key_scratch;
    if (prev != kNoNode) nodes_[prev].next = child;
    prev = child;
    ++count;
    skip_ws();
    if (pos_ < in_.size() && in_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (pos_ < in_.size() && in_[pos_] == close) {
      ++pos_;
      break;
    }
    return fail(is_object ? "expected ',' or '}'" : "expected ',' or ']'");
  }
  nodes_[self].count = count;
  if (is_object && count > 1 && has_duplicate_key(self)) return fail("duplicate key in an object");
  return true;
}

// JavaScript keeps the last of two equal keys and this parser the first: a document
// holding both is refused rather than read differently. Small objects are compared pairwise,
// larger ones through sorted hashes (bounded work on hostile input).
bool JsonLine::has_duplicate_key(uint32_t obj) {
  if (nodes_[obj].count <= 8) {
    for (uint32_t a = first_child(obj); a != kNoNode; a = nodes_[a].next) {
      for (uint32_t b = nodes_[a].next; b != kNoNode; b = nodes_[b].next) {
        if (key(a) == key(b)) return true;
      }
    }
    return false;
  }
  key_hashes_.clear();
  for (uint32_t c = first_child(obj); c != kNoNode; c = nodes_[c].next) {
    key_hashes_.emplace_back(fnv1a_64(key(c)), c);
  }
  std::sort(key_hashes_.begin(), key_hashes_.end());
  for (size_t i = 1; i < key_hashes_.size(); ++i) {
    for (size_t k = i; k > 0 && key_hashes_[k - 1].first == key_hashes_[i].first; --k) {
      if (key(key_hashes_[k - 1].second) == key(key_hashes_[i].second)) return true;
    }
  }
  return false;
}

void append_json_string(std::string* out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  *out += '"';
  // Runs of characters that need no escape are appended whole: a call per run, not per
  // character (in wasm each std::string call is out of line).
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool quote = c == '"' || c == '\\';
    if (!quote && static_cast<unsigned char>(c) >= 0x20) continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    if (quote) {
      const char escaped[2] = {'\\', c};
      out->append(escaped, 2);
    } else {
      const char escaped[6] = {'\\', 'u', '0', '0', kHex[(c >> 4) & 15], kHex[c & 15]};
      out->append(escaped, 6);
    }
  }
  out->append(s.data() + run, s.size() - run);
  *out += '"';
}

}  // namespace aisle

namespace aisle {
namespace {

// Length of the well-formed UTF-8 sequence at `p` (1-4), or 0 when ill-formed.
size_t utf8_sequence(const unsigned char* p, size_t n) {
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (n < len || p[1] < lo || p[1] > hi) return 0;
  for (size_t i = 2; i < len; ++i) {
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  }
  return len;
}

bool is_control(const unsigned char* p, size_t len) {
  if (len == 1)
    return (p[0] < 0x20 && p[0] != '\t' && p[0] != '\n' && p[0] != '\r') || p[0] == 0x7F;
  return len == 2 && p[0] == 0xC2 && p[1] < 0xA0;  // C1: U+0080..U+009F
}

}  // namespace

bool is_clean_text(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    if (p[i] >= 0x20 && p[i] < 0x7F) {  // the common case
      ++i;
      continue;
    }
    const size_t len = utf8_sequence(p + i, n - i);
    if (len == 0 || is_control(p + i, len)) return false;
    i += len;
  }
  return true;
}

namespace {
// Calls keep(p, len) for each clean run piece and bad(p, len, control) for each ill-formed
// byte (len 1, control false) or control character.
template <typename Keep, typename Bad>
void scan_text(std::string_view s, Keep keep, Bad bad) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = 0; i < s.size();) {
    const size_t len = utf8_sequence(p + i, s.size() - i);
    if (len == 0)
      bad(s.data() + i, 1, false);
    else if (is_control(p + i, len))
      bad(s.data() + i, len, true);
    else
      keep(s.data() + i, len);
    i += len == 0 ? 1 : len;
  }
}
}  // namespace

std::string repair_text(std::string_view s, TextRepair* what) {
  std::string out;
  out.reserve(s.size());
  scan_text(
      s, [&](const char* p, size_t len) { out.append(p, len); },
      [&](const char*, size_t, bool control) {
        out += control ? " " : "\xEF\xBF\xBD";  // a space, or U+FFFD
        (control ? what->control : what->invalid_utf8) = true;
      });
  return out;
}

std::string escape_text(std::string_view s) {
  if (is_clean_text(s)) return std::string(s);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  scan_text(
      s, [&](const char* p, size_t len) { out.append(p, len); },
      [&](const char* p, size_t len, bool) {
        for (size_t k = 0; k < len; ++k) {
          const auto b = static_cast<unsigned char>(p[k]);
          out += "\\x";
          out += kHex[b >> 4];
          out += kHex[b & 15];
        }
      });
  return out;
}

size_t utf8_prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s.size();
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return end;
}

}  // namespace aisle
