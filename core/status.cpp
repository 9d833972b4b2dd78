#include "status.h"

namespace aisle {

const char* status_code_name(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kCorrupt:
      return "corrupt";
    case StatusCode::kUnsupported:
      return "unsupported";
    case StatusCode::kLimitExceeded:
      return "limit_exceeded";
    case StatusCode::kNotFound:
      return "not_found";
  }
  return "unknown";
}

}  // namespace aisle
