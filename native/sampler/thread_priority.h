// Why the sampler's thread is lowered, and the test for a lowered sampling
// thread that the scheduler starves (the OS calls: os/own_threads.h).
//
// A multi-threaded program is sampled from a thread at the lowest normal
// priority (nice 19), so that the program's threads always get a core first:
// on a two-core machine a sampler at nice 0, busy a few percent of a core,
// delays the program whenever a thread it wakes (a GIL hand-over, a finished
// wait) finds the other core taken. Measured on the four-thread workload: a
// neighbour as busy as the sampler at 10 kHz slowed it ×1.145 at nice 0,
// ×1.008 at nice 19. See Sampler::sampleLoop for who samples when.
#pragma once

#include <cstdint>

namespace hotpath {

// Decides, from the count of ticks taken seen every few milliseconds, whether
// the lowered sampling thread is being starved: every core busy with
// work of normal priority, where nice 19 gets only a sliver of a core.
// Starved: over the last kWindowNs fewer than a quarter of the deadlines were
// sampled, or the next tick is kWindowNs overdue. A quarter, because a program
// that keeps every core busy only now and then (GIL hand-overs), or several
// programs spinning, cost the lowered sampler a share of its ticks without
// starving it (bench/PRIORITY.md has the figures). Those are slower sampling,
// not starvation; and so are deadlines that
// pass while a tick costs more than the interval (many threads at a high
// rate): the deadlines a window holds are counted at the pace the thread's
// own CPU time per tick allows, when that is slower than the interval. CPU
// time, not the wall time of a tick, which includes being preempted.
class StarvationWatch {
 public:
  static constexpr int64_t kWindowNs = 250000000;

  explicit StarvationWatch(int64_t intervalNs) : interval_(intervalNs) {}
  // `ticks` taken so far, `cpuNs` the CPU time of the thread taking them
  // (-1: unknown); `dueNs` the deadline the sampler waits for.
  bool starved(int64_t nowNs, uint64_t ticks, int64_t cpuNs, int64_t dueNs);
  // Forgets what was seen (the loop changed threads).
  void reset() { size_ = next_ = 0; }

 private:
  static constexpr int kSlots = 64;
  const int64_t interval_;
  int64_t times_[kSlots] = {};
  uint64_t counts_[kSlots] = {};
  int64_t cpu_[kSlots] = {};
  int size_ = 0;
  int next_ = 0;
};

}  // namespace hotpath
