// The state of one run's sampling between ticks: the next deadline, the
// builder, the counters and when progress and the spill are next due. Owned by
// Sampler; whichever of its threads holds the tick lock calls tick(), so the
// loop can move from one thread to another between two ticks.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "python/python_reader.h"
#include "sampler/profile_builder.h"
#include "sampler/profile_data.h"

namespace hotpath {

class SamplerListener;
class SpillWriter;

class SampleLoop {
 public:
  SampleLoop(ProfileData& data, PythonReader& reader, SpillWriter* spill, SamplerListener& listener,
             int pid, int64_t intervalNs);

  // Starts the clock: the first tick is due now, sample times count from here.
  void begin();
  // When the next tick is due (CLOCK_MONOTONIC ns).
  int64_t deadline() const { return deadline_; }
  // Samples once and moves the deadline on; false when the target is gone.
  bool tick();
  // Ticks taken so far, and how many threads the last one found; safe to
  // read from any thread.
  uint64_t ticksTaken() const { return ticksTaken_.load(std::memory_order_relaxed); }
  uint32_t threadsLastTick() const { return threadsLastTick_.load(std::memory_order_relaxed); }
  // Records that the lowered sampling thread starved and the loop runs at
  // normal priority from now on (see Sampler::sampleLoop).
  void tookCoreBack(int64_t nowNs);
  // After the last tick: duration, mean tick cost, the final progress.
  void finish();

 private:
  void progress(int64_t nowNs);
  uint64_t nextRandom();

  ProfileData& data_;
  PythonReader& reader_;
  DropCounts dropsBefore_{};  // the reader's drop counts when this loop began
  SpillWriter* spill_;
  SamplerListener& listener_;
  const int pid_;
  const int64_t interval_;
  ProfileBuilder builder_;
  std::vector<ThreadStack> stacks_;
  int64_t start_ = 0;
  int64_t deadline_ = 0;  // when the next tick is due: a random point of its slot
  int64_t slot_ = 0;      // the start of that slot on the fixed grid
  uint64_t random_ = 1;   // xorshift64 state (nextRandom)
  int64_t lastTick_ = 0;
  int64_t nextProgress_ = 0;
  int64_t nextFlush_ = 0;
  double totalCostNs_ = 0;
  bool targetAlive_ = true;
  std::atomic<uint64_t> ticksTaken_{0};
  std::atomic<uint32_t> threadsLastTick_{0};
};

}  // namespace hotpath
