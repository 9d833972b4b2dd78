#include "csv.h"

#include "text.h"

namespace aisle {

char detect_delimiter(std::string_view header_line) {
  size_t tabs = 0, commas = 0, semis = 0;
  bool quoted = false;
  for (char c : header_line) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    tabs += c == '\t';
    commas += c == ',';
    semis += c == ';';
  }
  if (tabs >= commas && tabs >= semis && tabs > 0) return '\t';
  return semis > commas ? ';' : ',';
}

bool is_blank_record(const std::vector<std::string>& fields) {
  for (const auto& f : fields) {
    if (!trim(f).empty()) return false;
  }
  return true;
}

CsvReader::CsvReader(std::istream& in, char delimiter) : lines_(in), delimiter_(delimiter) {}

bool CsvReader::next(std::vector<std::string>* fields) {
  std::string_view line;
  if (!lines_.next(&line)) return false;
  if (delimiter_ == 0) delimiter_ = detect_delimiter(line);
  record_line_ = lines_.line_number();
  record_lines_ = 1;
  unterminated_ = false;
  runaway_ = false;
  fields->clear();
  fields->emplace_back();
  bool quoted = false;      // inside a quoted section
  bool field_start = true;  // nothing read yet in this field
  size_t quoted_from = 0;   // size of the field when its quote opened
  uint64_t quoted_line = 0;
  for (;;) {
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      std::string& f = fields->back();
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            f += '"';
            ++i;
          } else {
            quoted = false;
          }
        } else {
          f += c;
        }
      } else if (c == delimiter_) {
        fields->emplace_back();
        field_start = true;
        continue;
      } else if (c == '"' && field_start) {
        quoted = true;
        quoted_from = f.size();
        quoted_line = record_lines_;
      } else {
        f += c;
      }
      field_start = false;
    }
    if (!quoted || lines_.overlong()) return true;
    if (record_lines_ - quoted_line + 1 >= kMaxQuotedLines ||
        fields->back().size() - quoted_from >= kMaxQuotedBytes) {
      runaway_ = true;
      return true;
    }
    if (!lines_.next(&line)) {
      unterminated_ = true;
      return true;
    }
    ++record_lines_;
    fields->back() += '\n';
  }
}

}  // namespace aisle
