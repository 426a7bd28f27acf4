// The sampling engine: per run, a native thread that waits for the target's
// interpreter and samples it on absolute deadlines, and one at nice 19 that
// takes the sampling over while the program has several threads (see
// sampleLoop); interns what it reads into a
// ProfileData and streams it to the spill file. Knows nothing about
// JavaScript (native/binding.cc adapts it) nor about CPython's layout
// (PythonReader does).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "python/python_reader.h"
#include "sampler/profile_data.h"
#include "sampler/sampler_options.h"

namespace hotpath {

class ProcessTracker;
class SpillWriter;

struct Progress {
  double elapsedUs = 0;
  uint64_t ticks = 0;
  uint64_t samples = 0;
  uint32_t threads = 0;
  uint64_t droppedSamples = 0;
  uint64_t lateTicks = 0;
  bool targetAlive = true;
};

// Called on the sampler's threads, one call at a time; implementations must
// not block.
class SamplerListener {
 public:
  virtual ~SamplerListener() = default;
  virtual void onReady(const TargetInfo& target) = 0;
  virtual void onStartFailed(ErrorCode code, const std::string& message) = 0;
  virtual void onProgress(const Progress& progress) = 0;
  // The last call, from the control thread: the profile is complete.
  virtual void onStopped() = 0;
};

class Sampler {
 public:
  // Validates the options (throws HotpathError(BadArgument)) and starts the
  // control thread at once. The listener must outlive the sampler.
  Sampler(int pid, const SamplerOptions& options, std::shared_ptr<SamplerListener> listener);
  // Stops and joins the control thread (it joins the lowered one; at most one
  // slice of sleep, ~50 ms, unless the lowered thread is starved).
  ~Sampler();
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  // Asks the sampler to stop; returns at once.
  void requestFinish();
  // Waits until its threads have stopped. Safe to call from several threads.
  void join();
  // True once its threads have finished their work (join() is then immediate).
  bool stopped() const { return stopped_.load(std::memory_order_acquire); }
  // The finished profile; only valid after join().
  const ProfileData& profile() const { return data_; }

 private:
  void run();
  // Waits for the interpreter; null when sampling cannot start (reported).
  std::unique_ptr<PythonReader> attach();
  // Samples `reader`'s process, or the processes `tracker` brings, until
  // they are gone or a finish is requested; false when nothing was sampled.
  bool sampleLoop(std::unique_ptr<PythonReader> reader, ProcessTracker* tracker,
                  SpillWriter* spill);
  // Sleeps until `deadlineNs` on CLOCK_MONOTONIC; false when a finish was
  // requested meanwhile.
  bool sleepUntil(int64_t deadlineNs);
  // The same, and returns early (true) as soon as `stillWanted()`, asked
  // between slices of the sleep, is false.
  template <typename StillWanted>
  bool sleepUntil(int64_t deadlineNs, const StillWanted& stillWanted);
  void fail(ErrorCode code, const std::string& message);

  const int pid_;
  const SamplerOptions options_;
  std::shared_ptr<SamplerListener> listener_;
  std::atomic<bool> stopRequested_{false};
  std::atomic<bool> stopped_{false};
  ProfileData data_;

  std::mutex joinMutex_;
  std::thread thread_;
};

}  // namespace hotpath
