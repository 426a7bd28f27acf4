#include "sampler/sampler.h"

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <algorithm>
#include <cstdio>
#include <vector>

#include "sampler/clock.h"
#include "sampler/json_text.h"
#include "sampler/process_state.h"
#include "sampler/profile_builder.h"
#include "sampler/spill_writer.h"

namespace hotpath {

namespace {

constexpr int64_t kMsNs = 1000000;
// How often the start phase looks for the interpreter: short-lived scripts
// must be caught, and one attempt (reading /proc/PID/maps) is cheap.
constexpr int64_t kAttachPollNs = 2 * kMsNs;
// Longest single sleep, so a finish request is seen quickly even at 1 Hz.
constexpr int64_t kSleepSliceNs = 50 * kMsNs;
constexpr int64_t kProgressEveryNs = 250 * kMsNs;
constexpr int64_t kSpillFlushEveryNs = 100 * kMsNs;

std::string metaJson(const ProfileData& data) {
  return "{\"pid\":" + std::to_string(data.target.pid) +
         ",\"pythonVersion\":" + jsonString(data.target.pythonVersion) +
         ",\"pythonBinary\":" + jsonString(data.target.pythonBinary) +
         ",\"startedAt\":" + jsonNumber(data.startedAtMs) +
         ",\"intervalUs\":" + std::to_string(data.intervalUs) + "}";
}

std::string endJson(const ProfileData& data) {
  const SamplerStats& s = data.stats;
  return "{\"ticks\":" + std::to_string(s.ticks) + ",\"samples\":" + std::to_string(s.samples) +
         ",\"lateTicks\":" + std::to_string(s.lateTicks) +
         ",\"droppedSamples\":" + std::to_string(s.droppedSamples) +
         ",\"meanTickCostUs\":" + jsonNumber(s.meanTickCostUs) +
         ",\"maxDepth\":" + std::to_string(s.maxDepth) +
         ",\"truncatedStacks\":" + std::to_string(s.truncatedStacks) +
         ",\"durationUs\":" + jsonNumber(data.durationUs) + "}";
}

}  // namespace

Sampler::Sampler(int pid, const SamplerOptions& options, std::shared_ptr<SamplerListener> listener)
    : pid_(pid), options_(options), listener_(std::move(listener)) {
  validateOptions(options_);
  if (pid <= 0) {
    throw HotpathError(ErrorCode::BadArgument,
                       "pid must be a positive process id, got " + std::to_string(pid));
  }
  data_.intervalUs = options_.intervalUs;
  data_.target.pid = pid;
  thread_ = std::thread([this] { run(); });
}

Sampler::~Sampler() {
  requestFinish();
  join();
}

void Sampler::requestFinish() { stopRequested_.store(true, std::memory_order_relaxed); }

void Sampler::join() {
  std::lock_guard<std::mutex> lock(joinMutex_);
  if (thread_.joinable()) thread_.join();
}

bool Sampler::sleepUntil(int64_t deadlineNs) {
  for (;;) {
    if (stopRequested_.load(std::memory_order_relaxed)) return false;
    int64_t now = monotonicNs();
    if (now >= deadlineNs) return true;
    sleepUntilNs(std::min(deadlineNs, now + kSleepSliceNs));
  }
}

void Sampler::fail(ErrorCode code, const std::string& message) {
  listener_->onStartFailed(code, message);
}

std::unique_ptr<PythonReader> Sampler::attach() {
  ReaderOptions readerOptions;
  readerOptions.maxDepth = options_.maxDepth;
  const int64_t deadline = monotonicNs() + options_.startTimeoutMs * kMsNs;
  const std::string waited = std::to_string(options_.startTimeoutMs) + " ms";
  std::unique_ptr<PythonReader> reader;
  std::string notPythonMessage;
  bool sawProcess = false;

  for (;;) {
    if (!reader) {
      try {
        reader = PythonReader::attach(pid_, readerOptions);
      } catch (const HotpathError& e) {
        if (e.code() == ErrorCode::NoProcess) {
          fail(ErrorCode::NoProcess, sawProcess
                                         ? "process " + std::to_string(pid_) +
                                               " exited before the Python interpreter started"
                                         : e.what());
          return nullptr;
        }
        // Not Python *yet*: a pyenv shim or a wrapper script is still exec'ing.
        if (e.code() != ErrorCode::NotPython) {
          fail(e.code(), e.what());
          return nullptr;
        }
        notPythonMessage = e.what();
      }
      sawProcess = true;
    }
    if (reader && reader->interpreterReady()) return reader;

    if (processGone(pid_)) {
      fail(ErrorCode::NoProcess,
           "process " + std::to_string(pid_) + " exited before the Python interpreter started");
      return nullptr;
    }
    if (monotonicNs() >= deadline) {
      if (!reader) {
        fail(ErrorCode::NotPython, notPythonMessage + " (still not Python after " + waited + ")");
      } else {
        fail(ErrorCode::Timeout, "the Python " + reader->version() + " interpreter of process " +
                                     std::to_string(pid_) + " did not finish starting within " +
                                     waited + "; raise the start timeout if it starts slowly");
      }
      return nullptr;
    }
    if (!sleepUntil(monotonicNs() + kAttachPollNs)) {
      fail(ErrorCode::Timeout, "sampling was finished before the Python interpreter of process " +
                                   std::to_string(pid_) + " started; nothing was sampled");
      return nullptr;
    }
  }
}

void Sampler::run() {
#ifdef __linux__
  // The default 50 µs timer slack lets the kernel batch our wake-ups late:
  // at 10 kHz that alone costs a large share of the ticks.
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
#endif
  std::unique_ptr<SpillWriter> spill;
  try {
    if (!options_.spillPath.empty()) spill = std::make_unique<SpillWriter>(options_.spillPath);
    std::unique_ptr<PythonReader> reader = attach();
    if (reader) {
      data_.target.pythonVersion = reader->version();
      data_.target.pythonBinary = reader->binaryPath();
      data_.startedAtMs = wallClockMs();
      if (spill) {
        spill->meta(metaJson(data_));
        spill->flush();
      }
      listener_->onReady(data_.target);
      sampleLoop(*reader, spill.get());
      if (spill) {
        spill->end(endJson(data_));
        spill->flush();
      }
    } else if (spill) {
      // Nothing was sampled: leave no file that would be offered as a
      // recovered profile.
      spill.reset();
      std::remove(options_.spillPath.c_str());
    }
  } catch (const HotpathError& e) {
    fail(e.code(), e.what());
  } catch (const std::exception& e) {
    fail(ErrorCode::Internal, std::string("the sampler failed unexpectedly: ") + e.what());
  }
  listener_->onStopped();
  stopped_.store(true, std::memory_order_release);
}

void Sampler::sampleLoop(PythonReader& reader, SpillWriter* spill) {
  ProfileBuilder builder(data_, spill);
  SamplerStats& stats = data_.stats;
  std::vector<ThreadStack> stacks;
  const int64_t interval = options_.intervalUs * 1000;
  const int64_t start = monotonicNs();
  int64_t deadline = start;
  int64_t lastTick = start;
  int64_t nextProgress = start + kProgressEveryNs;
  int64_t nextFlush = start + kSpillFlushEveryNs;
  double totalCostNs = 0;
  bool targetAlive = true;

  auto progress = [&](int64_t now) {
    Progress p;
    p.elapsedUs = static_cast<double>(now - start) / 1e3;
    p.ticks = stats.ticks;
    p.samples = stats.samples;
    p.threads = static_cast<uint32_t>(data_.threads.size());
    p.droppedSamples = stats.droppedSamples;
    p.lateTicks = stats.lateTicks;
    p.targetAlive = targetAlive;
    listener_->onProgress(p);
  };

  while (sleepUntil(deadline)) {
    const int64_t tickStart = monotonicNs();
    if (tickStart - deadline > interval) ++stats.lateTicks;
    uint32_t dropped = 0;
    SampleStatus status;
    try {
      status = reader.sample(stacks, dropped);
    } catch (const std::exception&) {
      // The reader promises not to throw for races; anything else means it
      // can no longer read this target. Keep what was sampled.
      status = SampleStatus::TargetGone;
    }
    if (status == SampleStatus::TargetGone ||
        (status == SampleStatus::NotReady && processGone(pid_))) {
      targetAlive = false;
      break;
    }
    const double timeUs = static_cast<double>(tickStart - start) / 1e3;
    ++stats.ticks;
    stats.droppedSamples += dropped;
    if (status != SampleStatus::NotReady) builder.addTick(timeUs, stacks, reader);
    lastTick = tickStart;

    const int64_t now = monotonicNs();
    totalCostNs += static_cast<double>(now - tickStart);
    if (now >= nextProgress) {
      builder.refreshThreadNames(reader);
      progress(now);
      nextProgress = now + kProgressEveryNs;
    }
    if (spill && now >= nextFlush) {
      spill->flush();
      nextFlush = now + kSpillFlushEveryNs;
    }
    // Next deadline on the fixed grid. One that has just passed (this tick
    // ran long, or the wake-up came late) is sampled at once: skipping it
    // would lose a sample for a delay of microseconds. Older ones are skipped
    // rather than sampled in a burst: after a stall, one sample now.
    deadline += interval;
    if (now - deadline >= interval) deadline += (now - deadline) / interval * interval;
  }

  data_.durationUs = static_cast<double>(lastTick - start) / 1e3;
  stats.meanTickCostUs = stats.ticks ? totalCostNs / 1e3 / static_cast<double>(stats.ticks) : 0;
  progress(monotonicNs());
}

}  // namespace hotpath
