#include "python/sample_memory.h"

#include <algorithm>
#include <cstring>

namespace hotpath {
namespace {

// Bounds on what one sample prefetches, so a wild pointer or a huge stack
// cannot make every sample read megabytes.
// (A 4096-deep stack on 3.8–3.10 is 4096 scattered frame objects.)
constexpr size_t kMaxUsedRanges = 16384;
constexpr size_t kMaxPrefetchRanges = 4096;
constexpr uint64_t kMaxPrefetchBytes = 4 << 20;
constexpr uint64_t kPage = SampleMemory::kPageSize;
// Direct reads at least this large serve later reads of the same sample.
// Smaller ones (a frame object, a code header) are rarely read twice, and
// keeping the list short keeps its linear search cheap.
constexpr size_t kMinFreshBytes = 512;
constexpr size_t kMaxFresh = 16;
// Remembered ranges this large (stack chunks) absorb later ones inside them.
constexpr size_t kMinContainerBytes = 512;
constexpr size_t kMaxContainers = 8;
// Ranks of background ranges (SampleMemory::Background) start here.
constexpr size_t kBackgroundRank = size_t{1} << 62;
// A call that took longer than this was most likely preempted part-way: the
// program may have run for a while between two of its ranges.

// Whether [addr, addr + len) lies inside [start, start + size). Written
// without addr + len: a torn pointer near the top of the address space would
// wrap around and pass as covered. `skip` wraps to huge below the range.
bool covers(uint64_t start, uint64_t size, uint64_t addr, uint64_t len) {
  uint64_t skip = addr - start;
  return skip <= size && len <= size - skip;
}

}  // namespace

void SampleMemory::Snapshot::set(std::vector<Range>& from, AddressIndex& index) {
  // Samples remember the same address many times (a frame walked and also
  // pooled, the same code header for every thread): fold those first, so
  // that fewer ranges are sorted.
  index.clear();
  size_t kept = 0;
  for (size_t i = 0; i < from.size(); ++i) {
    bool inserted = false;
    uint32_t at = index.insert(from[i].addr, static_cast<uint32_t>(kept), inserted);
    if (inserted) {
      from[kept++] = from[i];
      continue;
    }
    Range& first = from[at];
    first.len = std::max(first.len, from[i].len);
    first.rank = std::min(first.rank, from[i].rank);
  }
  from.resize(kept);
  std::sort(from.begin(), from.end(),
            [](const Range& a, const Range& b) { return a.addr < b.addr; });
  ranges.clear();
  laidOut = false;
  uint64_t total = 0;
  for (const Range& r : from) {
    if (!ranges.empty()) {
      Range& last = ranges.back();
      uint64_t lastEnd = last.addr + last.len;
      // Merge overlapping ranges, and ranges whose gap lies inside one page
      // (no page is touched that was not already): fewer iovecs, same faults.
      if (r.addr <= lastEnd || (lastEnd - 1) / kPage == r.addr / kPage) {
        uint64_t end = std::max(lastEnd, r.addr + r.len);
        total += end - lastEnd;
        last.len = end - last.addr;
        last.rank = std::min(last.rank, r.rank);
        continue;
      }
    }
    if (total + r.len > kMaxPrefetchBytes || ranges.size() == kMaxPrefetchRanges) break;
    ranges.push_back(r);
    total += r.len;
  }
}

size_t SampleMemory::Snapshot::layOut(std::vector<ReadSpan>& spans, Order order) {
  spans.clear();
  if (ranges.empty()) return 0;
  // The prefetch is read in pointer order only; a reread (either order) is
  // laid out afresh after every set().
  if (!laidOut || order != Order::PointersFirst) {
    size_t total = 0;
    for (Range& r : ranges) {
      r.offset = total;
      total += r.len;
    }
    bytes.resize(total);
    sequence.resize(ranges.size());
    for (size_t i = 0; i < sequence.size(); ++i) sequence[i] = i;
    bool reversed = order == Order::PointeesFirst;
    std::sort(sequence.begin(), sequence.end(), [this, reversed](size_t a, size_t b) {
      return reversed ? ranges[a].rank > ranges[b].rank : ranges[a].rank < ranges[b].rank;
    });
    laidOut = order == Order::PointersFirst;
  }
  spans.resize(ranges.size());
  size_t foreground = order == Order::PointersFirst ? 0 : ranges.size();
  for (size_t k = 0; k < sequence.size(); ++k) {
    const Range& range = ranges[sequence[k]];
    spans[k] =
        ReadSpan{range.addr, bytes.data() + range.offset, static_cast<size_t>(range.len), false};
    if (order == Order::PointersFirst && range.rank < kBackgroundRank) foreground = k + 1;
  }
  return foreground;
}

void SampleMemory::Snapshot::finish(ReadResult r, const ReadSpan* spans, size_t first,
                                    size_t count) {
  for (size_t k = 0; k < count; ++k) {
    ranges[sequence[first + k]].ok = r == ReadResult::Ok && spans[k].ok;
  }
}

const uint8_t* SampleMemory::Snapshot::find(uint64_t addr, size_t len) const {
  // The last range starting at or before addr is the only one that can cover it.
  auto it = std::upper_bound(ranges.begin(), ranges.end(), addr,
                             [](uint64_t a, const Range& r) { return a < r.addr; });
  if (it == ranges.begin()) return nullptr;
  --it;
  if (!it->ok || !covers(it->addr, it->len, addr, len)) return nullptr;
  return bytes.data() + it->offset + (addr - it->addr);
}

ReadResult SampleMemory::begin() {
  fatal_ = ReadResult::Ok;
  directUsed_ = 0;
  fresh_.clear();
  endReread();
  ReadResult r = readSnapshot(prefetch_, Order::PointersFirst);
  if (r != ReadResult::Ok) fatal_ = r;
  return r;
}

ReadResult SampleMemory::readSnapshot(Snapshot& snapshot, Order order) {
  size_t count = snapshot.layOut(spans_, order);
  (void)count;  // the stacks (foreground) first, then the rest (code objects, pooled frames)
  if (spans_.empty()) return ReadResult::Ok;
  ReadResult r = memory_.readMany(spans_.data(), spans_.size());
  snapshot.finish(r, spans_.data(), 0, spans_.size());
  return r;
}

ReadResult SampleMemory::reread(size_t mark, Order order) {
  picked_.assign(used_.begin() + static_cast<std::ptrdiff_t>(std::min(mark, used_.size())),
                 used_.end());
  reread_.set(picked_, setIndex_);
  rereading_ = true;
  fresh_.clear();  // older than the reread: must not serve it
  ReadResult r = readSnapshot(reread_, order);
  if (r != ReadResult::Ok) fatal_ = r;
  return r;
}

const uint8_t* SampleMemory::fromSnapshots(uint64_t addr, size_t len) {
  // While re-reading, the older prefetch is out: what it holds of a range
  // first met now may predate the pointer that led there.
  if (rereading_) {
    if (const uint8_t* p = reread_.find(addr, len)) return p;
    return fromFresh(addr, len);
  }
  // A direct read of this sample is newer than the prefetch: a pointer read
  // before it never points at memory older than itself.
  if (const uint8_t* p = fromFresh(addr, len)) return p;
  return prefetch_.find(addr, len);
}

const uint8_t* SampleMemory::fromFresh(uint64_t addr, size_t len) const {
  for (auto it = fresh_.rbegin(); it != fresh_.rend(); ++it) {
    if (covers(it->addr, it->len, addr, len)) return it->bytes + (addr - it->addr);
  }
  return nullptr;
}

void SampleMemory::prefetchNextTime(uint64_t addr, size_t len) { remember(addr, len); }

void SampleMemory::remember(uint64_t addr, size_t len) {
  if (len == 0 || used_.size() >= kMaxUsedRanges) return;
  for (size_t c : containers_) {
    if (covers(used_[c].addr, used_[c].len, addr, len)) return;
  }
  if (len >= kMinContainerBytes) {
    if (containers_.size() == kMaxContainers) containers_.erase(containers_.begin());
    containers_.push_back(used_.size());
  }
  size_t rank = used_.size() | (background_ ? kBackgroundRank : 0);
  used_.push_back({addr, len, 0, rank, false});
}

uint8_t* SampleMemory::scratch(size_t len) {
  if (directUsed_ == direct_.size()) direct_.emplace_back();
  std::vector<uint8_t>& buf = direct_[directUsed_++];
  if (buf.size() < len) buf.resize(len);
  return buf.data();
}

const uint8_t* SampleMemory::readIfHeld(uint64_t addr, size_t len, size_t rememberLen) {
  if (addr == 0 || len == 0) return nullptr;
  const uint8_t* p = fromSnapshots(addr, len);
  if (!p) return nullptr;
  ++hits_;
  if (rememberLen) remember(addr, std::max(len, rememberLen));
  return p;
}

const uint8_t* SampleMemory::read(uint64_t addr, size_t len, size_t rememberLen) {
  if (addr == 0 || len == 0) return nullptr;
  if (const uint8_t* p = readIfHeld(addr, len, rememberLen)) return p;
  ++misses_;
  uint8_t* buf = scratch(len);
  ReadResult r = memory_.read(addr, buf, len);
  if (r != ReadResult::Ok) {
    if (r != ReadResult::Fault) fatal_ = r;
    return nullptr;
  }
  if (rememberLen) remember(addr, std::max(len, rememberLen));
  if (len >= kMinFreshBytes) {
    if (fresh_.size() == kMaxFresh) fresh_.erase(fresh_.begin());
    fresh_.push_back({addr, len, buf});
  }
  return buf;
}

bool SampleMemory::copy(uint64_t addr, void* out, size_t len) {
  const uint8_t* p = read(addr, len);
  if (!p) return false;
  memcpy(out, p, len);
  return true;
}

const uint8_t* SampleMemory::readNow(uint64_t addr, size_t len) {
  if (addr == 0 || len == 0) return nullptr;
  uint8_t* buf = scratch(len);
  return copyNow(addr, buf, len) ? buf : nullptr;
}

bool SampleMemory::copyNow(uint64_t addr, void* out, size_t len) {
  if (addr == 0 || len == 0) return false;
  ReadResult r = memory_.read(addr, out, len);
  if (r != ReadResult::Ok && r != ReadResult::Fault) fatal_ = r;
  return r == ReadResult::Ok;
}

bool SampleMemory::copyManyNow(ReadSpan* spans, size_t count) {
  ReadResult r = memory_.readMany(spans, count);
  if (r != ReadResult::Ok) fatal_ = r;
  return r == ReadResult::Ok;
}

void SampleMemory::readMany(const uint64_t* addrs, const size_t* lens, size_t count,
                            std::vector<const uint8_t*>& out) {
  out.assign(count, nullptr);
  spans_.clear();
  which_.clear();
  for (size_t i = 0; i < count; ++i) {
    if (addrs[i] == 0 || lens[i] == 0) continue;
    if (const uint8_t* p = fromSnapshots(addrs[i], lens[i])) {
      ++hits_;
      out[i] = p;
      remember(addrs[i], lens[i]);
      continue;
    }
    ++misses_;
    spans_.push_back(ReadSpan{addrs[i], scratch(lens[i]), lens[i], false});
    which_.push_back(i);
  }
  if (spans_.empty()) return;
  ReadResult r = memory_.readMany(spans_.data(), spans_.size());
  if (r != ReadResult::Ok) {
    fatal_ = r;
    return;
  }
  for (size_t k = 0; k < spans_.size(); ++k) {
    if (!spans_[k].ok) continue;
    out[which_[k]] = static_cast<const uint8_t*>(spans_[k].buf);
    remember(spans_[k].addr, spans_[k].len);
  }
}

void SampleMemory::end() {
  auto same = [](const Range& a, const Range& b) {
    return a.addr == b.addr && a.len == b.len && a.rank == b.rank;
  };
  if (used_.size() != prefetchFrom_.size() ||
      !std::equal(used_.begin(), used_.end(), prefetchFrom_.begin(), same)) {
    prefetchFrom_ = used_;
    prefetch_.set(used_, setIndex_);
  }
  used_.clear();
  containers_.clear();
  endReread();
}

}  // namespace hotpath
