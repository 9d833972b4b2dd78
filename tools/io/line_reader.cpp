#include "line_reader.h"

#include <algorithm>
#include <cstring>

namespace aisle {

LineReader::LineReader(std::istream& in, size_t chunk, size_t max_line)
    : in_(in), buf_(std::max<size_t>(chunk, 16)), max_line_(std::max<size_t>(max_line, 1)) {}

// Moves the unread tail to the front and reads more (growing the buffer while a line
// fits in max_line); false when nothing more came or the buffer may not grow.
bool LineReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) {
    if (buf_.size() > max_line_) return false;
    buf_.resize(std::min(buf_.size() * 2, max_line_ + 1));
  }
  in_.read(buf_.data() + end_, std::streamsize(buf_.size() - end_));
  const auto got = size_t(in_.gcount());
  end_ += got;
  if (got == 0) eof_ = true;
  return got > 0;
}

// The first line end decides: "\r" not followed by "\n" means CR-only line ends.
void LineReader::detect_terminator() {
  size_t scan = begin_;
  for (;;) {
    for (size_t i = scan; i < end_; ++i) {
      if (buf_[i] == '\n') return;
      if (buf_[i] != '\r') continue;
      if (i + 1 < end_) {
        if (buf_[i + 1] != '\n') term_ = '\r';
        return;
      }
      break;  // a "\r" at the end of the buffer: look at the next byte
    }
    scan = std::max(end_, size_t(1)) - 1 - begin_;
    if (!fill()) return;
  }
}

// Discards the rest of an over-long line, up to and including its terminator.
void LineReader::skip_rest_of_line() {
  for (;;) {
    const void* t = std::memchr(buf_.data() + begin_, term_, end_ - begin_);
    if (t != nullptr) {
      const size_t pos = size_t(static_cast<const char*>(t) - buf_.data());
      consumed_ += pos + 1 - begin_;
      begin_ = pos + 1;
      return;
    }
    consumed_ += end_ - begin_;
    begin_ = end_ = 0;
    if (!fill()) return;
  }
}

bool LineReader::next(std::string_view* line) {
  if (first_) detect_terminator();
  overlong_ = false;
  size_t scan = begin_;
  for (;;) {
    const void* t = std::memchr(buf_.data() + scan, term_, end_ - scan);
    if (t != nullptr) {
      const size_t pos = size_t(static_cast<const char*>(t) - buf_.data());
      if (pos - begin_ > max_line_) {
        skip_rest_of_line();
        overlong_ = true;
        break;
      }
      *line = std::string_view(buf_.data() + begin_, pos - begin_);
      consumed_ += pos + 1 - begin_;
      begin_ = pos + 1;
      break;
    }
    scan = end_ - begin_;  // after fill() moves the tail to the front
    if (!fill()) {
      if (begin_ == end_) return false;
      if (end_ - begin_ > max_line_) {
        skip_rest_of_line();
        overlong_ = true;
        break;
      }
      *line = std::string_view(buf_.data() + begin_, end_ - begin_);
      consumed_ += end_ - begin_;
      begin_ = end_;
      break;
    }
  }
  ++line_number_;
  if (overlong_) {
    *line = std::string_view();
    first_ = false;
    return true;
  }
  if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
  if (first_) {
    first_ = false;
    if (line->size() >= 3 && line->substr(0, 3) == "\xEF\xBB\xBF") line->remove_prefix(3);
  }
  return true;
}

}  // namespace aisle
