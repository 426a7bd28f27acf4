// The state of one run's sampling between ticks: the processes sampled (one
// reader each), the next deadline, the builder, the counters and when
// progress and the spill are next due. Owned by Sampler; whichever of its
// threads holds the tick lock calls tick(), so the loop can move from one
// thread to another between two ticks.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "python/python_reader.h"
#include "sampler/profile_builder.h"
#include "sampler/profile_data.h"

namespace hotpath {

class ProcessTracker;
class SamplerListener;
class SpillWriter;

class SampleLoop {
 public:
  SampleLoop(ProfileData& data, SpillWriter* spill, SamplerListener& listener, int64_t intervalNs);

  // Samples `reader` from the next tick on, as process `process` (its record
  // is in data.processes); the loop ends when it is gone.
  void addProcess(uint32_t process, std::unique_ptr<PythonReader> reader);
  // Takes the processes from `tracker` instead: the loop ends once the tracker
  // has finished and no process is left. The first reader it brings is
  // reported to the listener's onReady.
  void follow(ProcessTracker* tracker) { tracker_ = tracker; }
  // True once some process has been sampled (had a reader).
  bool sampledAny() const { return sampledAny_; }

  // Starts the clock: the first tick is due now, sample times count from here.
  void begin();
  int64_t startNs() const { return start_; }
  // When the next tick is due (CLOCK_MONOTONIC ns).
  int64_t deadline() const { return deadline_; }
  // Samples once and moves the deadline on; false when the target is gone.
  bool tick();
  // Ticks taken so far, and how many threads the last one found in the
  // process with the most; safe to read from any thread.
  uint64_t ticksTaken() const { return ticksTaken_.load(std::memory_order_relaxed); }
  uint32_t threadsLastTick() const { return threadsLastTick_.load(std::memory_order_relaxed); }
  // Records that the lowered sampling thread starved and the loop runs at
  // normal priority from now on (see Sampler::sampleLoop).
  void tookCoreBack(int64_t nowNs);
  // After the last tick: duration, mean tick cost, the final progress.
  void finish();

 private:
  struct Target {
    uint32_t process = 0;
    std::unique_ptr<PythonReader> reader;
    DropCounts dropsBefore{};        // the reader's drop counts when it was last looked at
    uint64_t returnedCutBefore = 0;  // and its returned-frame cuts
  };
  // Applies the tracker's news; false when the tracker has finished.
  bool takeTrackerEvents();
  // A target's process is gone: without a tracker, its record says so.
  void lost(Target& target, double timeUs);
  void progress(int64_t nowNs);
  uint64_t nextRandom();

  ProfileData& data_;
  SpillWriter* spill_;
  SamplerListener& listener_;
  const int64_t interval_;
  ProfileBuilder builder_;
  ProcessTracker* tracker_ = nullptr;
  std::vector<Target> targets_;
  bool sampledAny_ = false;
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
