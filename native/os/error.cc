#include "os/error.h"

namespace hotpath {

const char* errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::BadArgument:
      return "HOTPATH_BAD_ARGUMENT";
    case ErrorCode::NoProcess:
      return "HOTPATH_NO_PROCESS";
    case ErrorCode::NotPython:
      return "HOTPATH_NOT_PYTHON";
    case ErrorCode::UnsupportedVersion:
      return "HOTPATH_UNSUPPORTED_VERSION";
    case ErrorCode::Permission:
      return "HOTPATH_PERMISSION";
    case ErrorCode::Timeout:
      return "HOTPATH_TIMEOUT";
    case ErrorCode::SpillIo:
      return "HOTPATH_SPILL_IO";
    case ErrorCode::Internal:
      return "HOTPATH_INTERNAL";
  }
  return "HOTPATH_INTERNAL";
}

}  // namespace hotpath
