// Error codes and the exception every user-facing native failure is thrown
// as. Shared by the OS layer, the CPython reader and the sampling engine;
// python_reader.h re-exports it so the engine needs only that header.
#pragma once

#include <stdexcept>
#include <string>

namespace hotpath {

// Error codes; their names are the native entries of extension/errors/errorCodes.ts, the one
// table of codes (a unit test keeps the two the same).
enum class ErrorCode {
  BadArgument,         // HOTPATH_BAD_ARGUMENT
  NoProcess,           // HOTPATH_NO_PROCESS
  NotPython,           // HOTPATH_NOT_PYTHON
  UnsupportedVersion,  // HOTPATH_UNSUPPORTED_VERSION
  Permission,          // HOTPATH_PERMISSION
  Timeout,             // HOTPATH_TIMEOUT
  SpillIo,             // HOTPATH_SPILL_IO
  Internal,            // HOTPATH_INTERNAL
};

// "HOTPATH_NO_PROCESS" etc.: the string carried on the JS Error's `code`.
const char* errorCodeName(ErrorCode code);

// Thrown for every user-facing failure. `what()` is the actionable message
// shown to the user as-is (say what happened and what to do about it).
class HotpathError : public std::runtime_error {
 public:
  HotpathError(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace hotpath
