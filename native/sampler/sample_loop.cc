#include "sampler/sample_loop.h"

#include <algorithm>
#include <exception>

#include "os/process_state.h"
#include "os/process_tree.h"
#include "sampler/clock.h"
#include "sampler/process_tracker.h"
#include "sampler/sampler.h"
#include "sampler/spill_writer.h"

namespace hotpath {

namespace {

constexpr int64_t kMsNs = 1000000;
constexpr int64_t kProgressEveryNs = 250 * kMsNs;
constexpr int64_t kSpillFlushEveryNs = 100 * kMsNs;

}  // namespace

SampleLoop::SampleLoop(ProfileData& data, SpillWriter* spill, SamplerListener& listener,
                       int64_t intervalNs)
    : data_(data),
      spill_(spill),
      listener_(listener),
      interval_(intervalNs),
      builder_(data, spill) {
  begin();
}

void SampleLoop::addProcess(uint32_t process, std::unique_ptr<PythonReader> reader) {
  // The tracker's processes are spilled as its events come.
  if (!tracker_ && process < data_.processes.size()) builder_.spillProcess(process);
  Target target;
  target.process = process;
  target.dropsBefore = reader->dropsByReason();
  target.returnedCutBefore = reader->returnedFramesCut();
  target.reader = std::move(reader);
  targets_.push_back(std::move(target));
  sampledAny_ = true;
}

void SampleLoop::begin() {
  start_ = monotonicNs();
  deadline_ = start_;
  slot_ = start_;
  random_ = static_cast<uint64_t>(start_) | 1;
  lastTick_ = start_;
  nextProgress_ = start_ + kProgressEveryNs;
  nextFlush_ = start_ + kSpillFlushEveryNs;
}

bool SampleLoop::takeTrackerEvents() {
  // Finished first: the events taken after it are then the last ones.
  const bool finished = tracker_->finished();
  for (ProcessEvent& event : tracker_->takeEvents()) {
    if (event.process >= data_.processes.size()) data_.processes.resize(event.process + 1);
    data_.processes[event.process] = event.record;
    builder_.spillProcess(event.process);
    if (event.ended) {
      targets_.erase(std::remove_if(targets_.begin(), targets_.end(),
                                    [&](const Target& t) { return t.process == event.process; }),
                     targets_.end());
    }
    if (event.reader) {
      if (!sampledAny_) {
        data_.target.pythonVersion = event.record.pythonVersion;
        data_.target.pythonBinary = event.record.pythonBinary;
        listener_.onReady(data_.target);
      }
      addProcess(event.process, std::move(event.reader));
    }
  }
  return !finished;
}

void SampleLoop::lost(Target& target, double timeUs) {
  if (tracker_ || target.process >= data_.processes.size()) return;
  ProcessRecord& record = data_.processes[target.process];
  record.endUs = timeUs;
  std::optional<ProcessStat> stat = readProcessStat(record.pid);
  if (stat) record.waitStatus = stat->waitStatus;
  builder_.spillProcess(target.process);
}

bool SampleLoop::tick() {
  SamplerStats& stats = data_.stats;
  const int64_t tickStart = monotonicNs();
  const double timeUs = static_cast<double>(tickStart - start_) / 1e3;
  const bool more = tracker_ ? takeTrackerEvents() : true;
  // Threads of the busiest-threaded process: the sampler lowers itself for a multi-threaded
  // program (its threads hand the GIL over through the scheduler), not for several
  // single-threaded processes, which no GIL ties together.
  uint32_t threads = 0;
  bool sampled = false;
  for (size_t i = 0; i < targets_.size();) {
    Target& target = targets_[i];
    PythonReader& reader = *target.reader;
    uint32_t dropped = 0;
    SampleStatus status;
    try {
      status = reader.sample(stacks_, dropped);
    } catch (const std::exception&) {
      // The reader promises not to throw for races; anything else means it
      // can no longer read this target. Keep what was sampled.
      status = SampleStatus::TargetGone;
    }
    if (status == SampleStatus::TargetGone ||
        (status == SampleStatus::NotReady && processGone(reader.pid()))) {
      lost(target, timeUs);
      targets_.erase(targets_.begin() + static_cast<std::ptrdiff_t>(i));
      continue;
    }
    sampled = true;
    stats.droppedSamples += dropped;
    const uint64_t cut = reader.returnedFramesCut();
    stats.returnedFramesCut += cut - target.returnedCutBefore;
    target.returnedCutBefore = cut;
    if (dropped) {
      // The reader counts from its first sample; the run counts what is new since it last looked.
      DropCounts now = reader.dropsByReason();
      for (size_t r = 0; r < now.size(); ++r) {
        stats.droppedByReason[r] += now[r] - target.dropsBefore[r];
      }
      target.dropsBefore = now;
    }
    if (status != SampleStatus::NotReady) {
      builder_.addTick(timeUs, stacks_, reader, target.process);
      threads = std::max(threads, static_cast<uint32_t>(stacks_.size()));
    }
    ++i;
  }
  if (targets_.empty() && !(tracker_ && more)) {
    targetAlive_ = false;
    return false;
  }
  // Several processes: never lowered. Their busy processes take the cores a nice-19 sampler
  // would wait for, and it would then miss their busy phases rather than their idle ones.
  if (targets_.size() > 1) threads = 1;
  if (sampled) {
    if (tickStart - deadline_ > interval_) ++stats.lateTicks;
    ++stats.ticks;
    ticksTaken_.store(stats.ticks, std::memory_order_relaxed);
    threadsLastTick_.store(threads, std::memory_order_relaxed);
    lastTick_ = tickStart;
  }

  const int64_t now = monotonicNs();
  if (sampled) totalCostNs_ += static_cast<double>(now - tickStart);
  if (now >= nextProgress_) {
    for (Target& target : targets_) builder_.refreshThreadNames(*target.reader, target.process);
    progress(now);
    nextProgress_ = now + kProgressEveryNs;
  }
  if (spill_ && now >= nextFlush_) {
    spill_->flush();
    nextFlush_ = now + kSpillFlushEveryNs;
  }
  // Next slot of the fixed grid. One that has just passed (this tick ran
  // long, or the wake-up came late) is sampled at once: skipping it would
  // lose a sample for a delay of microseconds. Older ones are skipped rather
  // than sampled in a burst: after a stall, one sample now.
  slot_ += interval_;
  if (now - slot_ >= interval_) slot_ += (now - slot_) / interval_ * interval_;
  // The tick goes at a random point of its slot. Reading a program slows it
  // a little where the read lands (the lines it writes must come back from
  // the sampler's core), and on an exact grid such a program falls into step
  // with the sampler, whose reads then keep landing elsewhere in its loop, so
  // a short function called in a tight loop lost part of its samples. The
  // rate stays what was asked; the two never stay in step.
  deadline_ = slot_ + static_cast<int64_t>(nextRandom() % static_cast<uint64_t>(interval_));
  return true;
}

uint64_t SampleLoop::nextRandom() {
  // xorshift64: cheap, and good enough to scatter ticks inside their slots.
  random_ ^= random_ << 13;
  random_ ^= random_ >> 7;
  random_ ^= random_ << 17;
  return random_;
}

void SampleLoop::tookCoreBack(int64_t nowNs) {
  data_.stats.normalPrioritySinceUs = static_cast<double>(nowNs - start_) / 1e3;
}

void SampleLoop::finish() {
  SamplerStats& stats = data_.stats;
  data_.durationUs = static_cast<double>(lastTick_ - start_) / 1e3;
  stats.meanTickCostUs = stats.ticks ? totalCostNs_ / 1e3 / static_cast<double>(stats.ticks) : 0;
  progress(monotonicNs());
}

void SampleLoop::progress(int64_t nowNs) {
  Progress p;
  p.elapsedUs = static_cast<double>(nowNs - start_) / 1e3;
  p.ticks = data_.stats.ticks;
  p.samples = data_.stats.samples;
  p.threads = static_cast<uint32_t>(data_.threads.size());
  p.droppedSamples = data_.stats.droppedSamples;
  p.lateTicks = data_.stats.lateTicks;
  p.targetAlive = targetAlive_;
  listener_.onProgress(p);
}

}  // namespace hotpath
