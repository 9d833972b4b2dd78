// RFC 4180 records out of a stream, as real exports write them: quoted fields with
// embedded delimiters, doubled quotes and newlines, CRLF, a UTF-8 BOM. Lenient where
// spreadsheets are sloppy (text after a closing quote is kept), and says when a quote
// never closes or a quoted field runs away (an unbalanced quote would otherwise swallow
// the rest of the file as one field): a quoted field may span at most kMaxQuotedLines
// lines and kMaxQuotedBytes bytes; past that the record ends there with runaway() set.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "line_reader.h"

namespace aisle {

class CsvReader {
 public:
  static constexpr uint64_t kMaxQuotedLines = 1000;
  static constexpr size_t kMaxQuotedBytes = size_t(1) << 20;  // 1 MiB

  // delimiter 0: pick tab, comma or semicolon from the first line.
  explicit CsvReader(std::istream& in, char delimiter = 0);
  // The next record; false at end of input. Fields are reused between calls.
  bool next(std::vector<std::string>* fields);
  uint64_t record_line() const { return record_line_; }    // first physical line of the record
  bool unterminated() const { return unterminated_; }      // the record hit end of input in quotes
  uint64_t record_lines() const { return record_lines_; }  // physical lines of the record
  // A quoted field passed kMaxQuotedLines or kMaxQuotedBytes; the record stops there.
  bool runaway() const { return runaway_; }
  // A line of the record was longer than LineReader::kMaxLine and was skipped.
  bool overlong() const { return lines_.overlong(); }
  char delimiter() const { return delimiter_; }

 private:
  LineReader lines_;
  char delimiter_;
  uint64_t record_line_ = 0;
  uint64_t record_lines_ = 0;
  bool unterminated_ = false;
  bool runaway_ = false;
};

char detect_delimiter(std::string_view header_line);
// True when every field is empty or whitespace.
bool is_blank_record(const std::vector<std::string>& fields);

}  // namespace aisle
