#include "sampler/sample_loop.h"

#include <exception>

#include "os/process_state.h"
#include "sampler/clock.h"
#include "sampler/sampler.h"
#include "sampler/spill_writer.h"

namespace hotpath {

namespace {

constexpr int64_t kMsNs = 1000000;
constexpr int64_t kProgressEveryNs = 250 * kMsNs;
constexpr int64_t kSpillFlushEveryNs = 100 * kMsNs;

}  // namespace

SampleLoop::SampleLoop(ProfileData& data, PythonReader& reader, SpillWriter* spill,
                       SamplerListener& listener, int pid, int64_t intervalNs)
    : data_(data),
      reader_(reader),
      spill_(spill),
      listener_(listener),
      pid_(pid),
      interval_(intervalNs),
      builder_(data, spill) {
  begin();
}

void SampleLoop::begin() {
  start_ = monotonicNs();
  dropsBefore_ = reader_.dropsByReason();
  deadline_ = start_;
  slot_ = start_;
  random_ = static_cast<uint64_t>(start_) | 1;
  lastTick_ = start_;
  nextProgress_ = start_ + kProgressEveryNs;
  nextFlush_ = start_ + kSpillFlushEveryNs;
}

bool SampleLoop::tick() {
  SamplerStats& stats = data_.stats;
  const int64_t tickStart = monotonicNs();
  if (tickStart - deadline_ > interval_) ++stats.lateTicks;
  uint32_t dropped = 0;
  SampleStatus status;
  try {
    status = reader_.sample(stacks_, dropped);
  } catch (const std::exception&) {
    // The reader promises not to throw for races; anything else means it
    // can no longer read this target. Keep what was sampled.
    status = SampleStatus::TargetGone;
  }
  if (status == SampleStatus::TargetGone ||
      (status == SampleStatus::NotReady && processGone(pid_))) {
    targetAlive_ = false;
    return false;
  }
  const double timeUs = static_cast<double>(tickStart - start_) / 1e3;
  ++stats.ticks;
  ticksTaken_.store(stats.ticks, std::memory_order_relaxed);
  stats.droppedSamples += dropped;
  stats.returnedFramesCut = reader_.returnedFramesCut();
  if (dropped) {
    // The reader counts from its first sample; this run's drops are those since the loop began.
    DropCounts now = reader_.dropsByReason();
    for (size_t i = 0; i < now.size(); ++i) stats.droppedByReason[i] = now[i] - dropsBefore_[i];
  }
  if (status != SampleStatus::NotReady) {
    builder_.addTick(timeUs, stacks_, reader_);
    threadsLastTick_.store(static_cast<uint32_t>(stacks_.size()), std::memory_order_relaxed);
  }
  lastTick_ = tickStart;

  const int64_t now = monotonicNs();
  totalCostNs_ += static_cast<double>(now - tickStart);
  if (now >= nextProgress_) {
    builder_.refreshThreadNames(reader_);
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
