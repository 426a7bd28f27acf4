// Time sources of the sampling loop: CLOCK_MONOTONIC for deadlines and
// durations, the wall clock only for the profile's start timestamp.
#pragma once

#include <time.h>

#include <cstdint>

namespace hotpath {

inline int64_t monotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

inline double wallClockMs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Sleeps until `deadlineNs` on CLOCK_MONOTONIC (absolute, so the loop does
// not drift by its own cost). Returns early on a signal; callers re-check.
inline void sleepUntilNs(int64_t deadlineNs) {
  timespec ts;
  ts.tv_sec = static_cast<time_t>(deadlineNs / 1000000000);
  ts.tv_nsec = static_cast<long>(deadlineNs % 1000000000);
  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
}

}  // namespace hotpath
