// Streams lines out of an istream through one reusable buffer: bounded memory,
// no per-line allocation. Strips a leading UTF-8 BOM, "\n" and a trailing "\r".
// Old Mac exports that end lines with a lone "\r" are detected from the first line end
// and read the same way. A line longer than `max_line` is skipped without buffering it:
// next() returns it empty with overlong() set, so the caller can report file and line.
#pragma once

#include <cstdint>
#include <istream>
#include <string_view>
#include <vector>

namespace aisle {

class LineReader {
 public:
  static constexpr size_t kMaxLine = size_t(64) << 20;  // 64 MiB

  explicit LineReader(std::istream& in, size_t chunk = size_t(1) << 16, size_t max_line = kMaxLine);
  // The next line, valid until the following call; false at end of input.
  bool next(std::string_view* line);
  uint64_t line_number() const { return line_number_; }  // of the last line returned
  uint64_t bytes_consumed() const { return consumed_; }
  // The last line returned was longer than max_line and was skipped (returned empty).
  bool overlong() const { return overlong_; }
  bool cr_only() const { return term_ == '\r'; }  // lines end with a lone "\r"
  size_t max_line() const { return max_line_; }

 private:
  bool fill();
  void detect_terminator();
  void skip_rest_of_line();
  std::istream& in_;
  std::vector<char> buf_;
  size_t max_line_;
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  bool first_ = true;
  bool overlong_ = false;
  char term_ = '\n';
  uint64_t line_number_ = 0;
  uint64_t consumed_ = 0;
};

}  // namespace aisle
