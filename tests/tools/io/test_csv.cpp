#include <doctest/doctest.h>

#include <sstream>

#include "csv.h"
#include "line_reader.h"

using namespace aisle;

TEST_CASE("CSV: quotes, doubled quotes, embedded newlines, CRLF and a BOM") {
  std::istringstream in(
      "\xEF\xBB\xBFid,desc,price\r\n1,\"a, \"\"quoted\"\"\nsecond line\",5\r\n\r\n2,plain,6");
  CsvReader csv(in);
  std::vector<std::string> f;
  REQUIRE(csv.next(&f));
  CHECK(csv.delimiter() == ',');
  REQUIRE(f.size() == 3);
  CHECK(f[0] == "id");
  REQUIRE(csv.next(&f));
  CHECK(csv.record_line() == 2);
  REQUIRE(f.size() == 3);
  CHECK(f[1] == "a, \"quoted\"\nsecond line");
  CHECK(f[2] == "5");
  REQUIRE(csv.next(&f));  // the blank line
  CHECK(is_blank_record(f));
  CHECK(csv.record_line() == 4);
  REQUIRE(csv.next(&f));
  CHECK(f[1] == "plain");
  CHECK_FALSE(csv.next(&f));
}

TEST_CASE("CSV: delimiter detection and an unterminated quote") {
  CHECK(detect_delimiter("id\ttitle\tprice") == '\t');
  CHECK(detect_delimiter("id;title;price") == ';');
  CHECK(detect_delimiter("\"a,b\";c;d") == ';');
  CHECK(detect_delimiter("id") == ',');
  std::istringstream in("a\tb\n1\t\"open\n2\t3\n");
  CsvReader csv(in);
  std::vector<std::string> f;
  REQUIRE(csv.next(&f));
  REQUIRE(csv.next(&f));
  CHECK(csv.unterminated());
  CHECK(f[1] == "open\n2\t3");
}

TEST_CASE("line reader: long lines across chunk boundaries, missing final newline") {
  std::string text = std::string(100, 'x') + "\n" + std::string(5000, 'y') + "\r\nlast";
  std::istringstream in(text);
  LineReader lines(in, 64);
  std::string_view l;
  REQUIRE(lines.next(&l));
  CHECK(l.size() == 100);
  REQUIRE(lines.next(&l));
  CHECK(l.size() == 5000);
  CHECK(l.back() == 'y');
  REQUIRE(lines.next(&l));
  CHECK(l == "last");
  CHECK(lines.line_number() == 3);
  CHECK(lines.bytes_consumed() == text.size());
  CHECK_FALSE(lines.next(&l));
}

TEST_CASE("line reader: CR-only line ends (old Mac exports) are line breaks") {
  std::istringstream in("id,title\r1,a\r2,b\r");
  LineReader lines(in, 16);
  std::string_view l;
  REQUIRE(lines.next(&l));
  CHECK(l == "id,title");
  CHECK(lines.cr_only());
  REQUIRE(lines.next(&l));
  CHECK(l == "1,a");
  REQUIRE(lines.next(&l));
  CHECK(l == "2,b");
  CHECK_FALSE(lines.next(&l));
  std::istringstream crlf("a\r\nb\r\n");
  LineReader both(crlf);
  REQUIRE(both.next(&l));
  CHECK(l == "a");
  CHECK_FALSE(both.cr_only());
}

TEST_CASE("line reader: an over-long line is skipped without buffering and reported") {
  const std::string text = "short\n" + std::string(5000, 'x') + "\nafter\n" + std::string(300, 'y');
  std::istringstream in(text);
  LineReader lines(in, 64, 256);
  std::string_view l;
  REQUIRE(lines.next(&l));
  CHECK(l == "short");
  CHECK_FALSE(lines.overlong());
  REQUIRE(lines.next(&l));
  CHECK(lines.overlong());
  CHECK(l.empty());
  CHECK(lines.line_number() == 2);
  REQUIRE(lines.next(&l));
  CHECK(l == "after");
  CHECK_FALSE(lines.overlong());
  REQUIRE(lines.next(&l));  // the last line, without a final newline, is over-long too
  CHECK(lines.overlong());
  CHECK_FALSE(lines.next(&l));
  CHECK(lines.bytes_consumed() == text.size());
}

TEST_CASE("CSV: a quoted field that runs over the line bound stops the record") {
  std::string text = "id,title\n1,\"stray quote\n";
  for (int i = 0; i < 3000; ++i) text += std::to_string(i + 2) + ",title\n";
  text += "9999,\"closes\"\n";
  std::istringstream in(text);
  CsvReader csv(in);
  std::vector<std::string> f;
  REQUIRE(csv.next(&f));
  REQUIRE(csv.next(&f));
  CHECK(csv.runaway());
  CHECK(csv.record_line() == 2);
  CHECK(csv.record_lines() == CsvReader::kMaxQuotedLines);
}
