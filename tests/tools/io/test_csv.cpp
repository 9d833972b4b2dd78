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
