#include "sampler/sampler_options.h"

#include "python/python_reader.h"

namespace hotpath {

void validateOptions(const SamplerOptions& options) {
  if (options.intervalUs < kMinIntervalUs || options.intervalUs > kMaxIntervalUs) {
    throw HotpathError(ErrorCode::BadArgument,
                       "intervalUs must be between " + std::to_string(kMinIntervalUs) + " and " +
                           std::to_string(kMaxIntervalUs) + " µs (20 kHz to 1 Hz), got " +
                           std::to_string(options.intervalUs));
  }
  if (options.startTimeoutMs < 0 || options.startTimeoutMs > 10 * 60 * 1000) {
    throw HotpathError(ErrorCode::BadArgument,
                       "startTimeoutMs must be between 0 and 600000 ms, got " +
                           std::to_string(options.startTimeoutMs));
  }
  if (options.maxDepth < 1 || options.maxDepth > 65536) {
    throw HotpathError(ErrorCode::BadArgument, "maxDepth must be between 1 and 65536 frames, got " +
                                                   std::to_string(options.maxDepth));
  }
}

}  // namespace hotpath
