// Streams lines out of an istream through one reusable buffer: bounded memory,
// no per-line allocation. Strips a leading UTF-8 BOM, "\n" and a trailing "\r".
#pragma once

#include <cstdint>
#include <istream>
#include <string_view>
#include <vector>

namespace aisle {

class LineReader {
 public:
  static constexpr size_t kMaxLine = size_t(64) << 20;  // longer lines are an input error

  explicit LineReader(std::istream& in, size_t chunk = size_t(1) << 16);
  // The next line, valid until the following call; false at end of input.
  // Throws InputError (without a file name) on a line over kMaxLine.
  bool next(std::string_view* line);
  uint64_t line_number() const { return line_number_; }  // of the last line returned
  uint64_t bytes_consumed() const { return consumed_; }

 private:
  bool fill();
  std::istream& in_;
  std::vector<char> buf_;
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  bool first_ = true;
  uint64_t line_number_ = 0;
  uint64_t consumed_ = 0;
};

}  // namespace aisle
