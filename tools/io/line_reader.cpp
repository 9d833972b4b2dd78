#include "line_reader.h"

#include <cstring>

#include "diagnostics.h"

namespace aisle {

LineReader::LineReader(std::istream& in, size_t chunk) : in_(in), buf_(chunk) {}

// Moves the unread tail to the front and reads more; false when nothing more came.
bool LineReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) {
    if (buf_.size() >= kMaxLine)
      throw InputError("line " + std::to_string(line_number_ + 1) + " is longer than 64 MiB");
    buf_.resize(buf_.size() * 2);
  }
  in_.read(buf_.data() + end_, std::streamsize(buf_.size() - end_));
  const auto got = size_t(in_.gcount());
  end_ += got;
  if (got == 0) eof_ = true;
  return got > 0;
}

bool LineReader::next(std::string_view* line) {
  size_t scan = begin_;
  for (;;) {
    const void* nl = std::memchr(buf_.data() + scan, '\n', end_ - scan);
    if (nl != nullptr) {
      const size_t pos = size_t(static_cast<const char*>(nl) - buf_.data());
      *line = std::string_view(buf_.data() + begin_, pos - begin_);
      consumed_ += pos + 1 - begin_;
      begin_ = pos + 1;
      break;
    }
    scan = end_ - begin_;  // after fill() moves the tail to the front
    if (!fill()) {
      if (begin_ == end_) return false;
      *line = std::string_view(buf_.data() + begin_, end_ - begin_);
      consumed_ += end_ - begin_;
      begin_ = end_;
      break;
    }
  }
  ++line_number_;
  if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
  if (first_) {
    first_ = false;
    if (line->size() >= 3 && line->substr(0, 3) == "\xEF\xBB\xBF") line->remove_prefix(3);
  }
  return true;
}

}  // namespace aisle
