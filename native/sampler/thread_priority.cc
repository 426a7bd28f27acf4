#include "sampler/thread_priority.h"

#include <algorithm>

namespace hotpath {

bool StarvationWatch::starved(int64_t nowNs, uint64_t ticks, int64_t cpuNs, int64_t dueNs) {
  if (nowNs - dueNs >= kWindowNs) return true;
  // The newest observation at least one window old.
  int from = -1;
  for (int k = 1; k <= size_; ++k) {
    int i = (next_ - k + kSlots) % kSlots;
    if (nowNs - times_[i] >= kWindowNs) {
      from = i;
      break;
    }
  }
  times_[next_] = nowNs;
  counts_[next_] = ticks;
  cpu_[next_] = cpuNs;
  next_ = (next_ + 1) % kSlots;
  if (size_ < kSlots) ++size_;
  if (from < 0) return false;  // not a whole window seen yet
  // Rates too low for a window to hold enough deadlines (below 40 Hz) are
  // left to the overdue test.
  const uint64_t taken = ticks - counts_[from];
  int64_t pace = interval_;
  if (cpuNs >= 0 && cpu_[from] >= 0 && taken > 0) {
    pace = std::max(pace, (cpuNs - cpu_[from]) / static_cast<int64_t>(taken));
  }
  const int64_t deadlines = (nowNs - times_[from]) / pace;
  if (deadlines < 10) return false;
  return taken * 4 < static_cast<uint64_t>(deadlines);
}

}  // namespace hotpath
