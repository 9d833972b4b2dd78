// Error contract of the core: bad data comes back as a Status with a message;
// programmer errors are asserts. Nothing in core/ throws across its public API.
#pragma once

#include <string>
#include <utility>

namespace aisle {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // a caller passed something malformed (bad data, not a bug)
  kCorrupt,          // bytes failed verification
  kUnsupported,      // well-formed but a version or feature this build does not know
  kLimitExceeded,    // well-formed but over a configured limit
  kNotFound,
};

const char* status_code_name(StatusCode code);

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return Status(); }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool is_ok() const { return status_.is_ok(); }
  const Status& status() const { return status_; }
  T& value() { return value_; }
  const T& value() const { return value_; }

 private:
  Status status_;
  T value_{};
};

}  // namespace aisle
