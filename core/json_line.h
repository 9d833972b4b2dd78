// A small strict JSON parser (one JSONL line, or a rules document), built for ingestion
// throughput and for the browser, where the rules are parsed too: nodes live in one reused vector,
// strings without escapes are views into the line, and nothing is allocated per line after warm-up.
// (nlohmann/json builds a tree of maps and strings per line, several times slower; it serves the
// small files.) Safe for untrusted input: nesting depth and node count are bounded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aisle {

class JsonLine {
 public:
  enum class Type : uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };
  static constexpr uint32_t kNoNode = 0xFFFFFFFFu;
  static constexpr int kMaxDepth = 64;
  static constexpr uint32_t kMaxNodes = 1u << 22;
  static constexpr size_t kMaxNumberLength = 63;  // longer numbers are refused

  // Parses a whole document; false with error() set ("column 17: expected ':'"). Refuses
  // what JavaScript's JSON.parse would read differently: duplicate keys in an object and
  // numbers over kMaxNumberLength characters.
  bool parse(std::string_view text);
  const std::string& error() const { return error_; }

  static uint32_t root() { return 0; }
  Type type(uint32_t n) const { return nodes_[n].type; }
  // Member of an object by key (first match), or kNoNode (also when `obj` is no object).
  uint32_t find(uint32_t obj, std::string_view key) const;
  uint32_t first_child(uint32_t n) const;  // kNoNode when empty
  uint32_t next_sibling(uint32_t n) const { return nodes_[n].next; }
  uint32_t size(uint32_t n) const { return nodes_[n].count; }
  std::string_view key(uint32_t n) const;
  // For strings the unescaped value; for numbers their source text.
  std::string_view text(uint32_t n) const;
  double number(uint32_t n) const { return nodes_[n].num; }

 private:
  struct Node {
    Type type;
    bool key_scratch, text_scratch;
    uint32_t next, count;
    uint32_t key_off, key_len, text_off, text_len;
    double num;
  };
  bool fail(const char* what);
  void skip_ws();
  bool value(int depth);
  bool string(uint32_t* off, uint32_t* len, bool* scratch);
  bool number(Node* n);
  bool has_duplicate_key(uint32_t obj);

  std::string_view in_;
  size_t pos_ = 0;
  std::vector<Node> nodes_;
  std::string scratch_;
  std::string error_;
  std::vector<std::pair<uint64_t, uint32_t>> key_hashes_;  // reused by has_duplicate_key
};

// Appends `s` as a JSON string literal (quotes, backslashes and control characters
// escaped; other bytes as they are).
void append_json_string(std::string* out, std::string_view s);

// Text every output can carry as it is (JSON writers, a terminal): well-formed UTF-8
// (no overlong forms, surrogates or code points past U+10FFFF) without control
// characters other than tab, line feed and carriage return (no ESC, DEL or C1 controls,
// which terminals read as escape sequences). The snapshot verifier requires it of every
// string; ingestion repairs catalog values into it.
bool is_clean_text(std::string_view s);
struct TextRepair {
  bool invalid_utf8 = false;  // ill-formed bytes were replaced by U+FFFD
  bool control = false;       // control characters were replaced by spaces
};
// `s` made clean: each ill-formed byte becomes U+FFFD and each control character a space.
std::string repair_text(std::string_view s, TextRepair* what);
// `s` with each ill-formed byte and control character written as a visible "\xHH" escape:
// for messages that quote input back to a terminal or into JSON.
std::string escape_text(std::string_view s);
// The length of the longest prefix of `s` of at most `max_bytes` bytes that does not
// cut a UTF-8 sequence.
size_t utf8_prefix(std::string_view s, size_t max_bytes);

}  // namespace aisle
