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
constexpr uint64_t kPage = 4096;

}  // namespace

void SampleMemory::Snapshot::set(std::vector<Range>& from) {
  std::sort(from.begin(), from.end(),
            [](const Range& a, const Range& b) { return a.addr < b.addr; });
  ranges.clear();
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

ReadResult SampleMemory::Snapshot::read(ProcessMemory& memory, std::vector<ReadSpan>& spans) {
  if (ranges.empty()) return ReadResult::Ok;
  size_t total = 0;
  for (Range& r : ranges) {
    r.offset = total;
    total += r.len;
  }
  bytes.resize(total);
  order.resize(ranges.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [this](size_t a, size_t b) { return ranges[a].rank < ranges[b].rank; });
  spans.resize(ranges.size());
  for (size_t k = 0; k < order.size(); ++k) {
    const Range& range = ranges[order[k]];
    spans[k] =
        ReadSpan{range.addr, bytes.data() + range.offset, static_cast<size_t>(range.len), false};
  }
  ReadResult r = memory.readMany(spans.data(), spans.size());
  for (size_t k = 0; k < order.size(); ++k) {
    ranges[order[k]].ok = r == ReadResult::Ok && spans[k].ok;
  }
  return r;
}

const uint8_t* SampleMemory::Snapshot::find(uint64_t addr, size_t len) const {
  // The last range starting at or before addr is the only one that can cover it.
  auto it = std::upper_bound(ranges.begin(), ranges.end(), addr,
                             [](uint64_t a, const Range& r) { return a < r.addr; });
  if (it == ranges.begin()) return nullptr;
  --it;
  // Written without addr + len: a torn pointer near the top of the address
  // space would wrap around and pass as covered.
  uint64_t skip = addr - it->addr;
  if (!it->ok || skip > it->len || len > it->len - skip) return nullptr;
  return bytes.data() + it->offset + skip;
}

ReadResult SampleMemory::begin() {
  fatal_ = ReadResult::Ok;
  directUsed_ = 0;
  endReread();
  ReadResult r = prefetch_.read(memory_, spans_);
  if (r != ReadResult::Ok) fatal_ = r;
  return r;
}

ReadResult SampleMemory::reread(size_t mark) {
  picked_.assign(used_.begin() + static_cast<std::ptrdiff_t>(std::min(mark, used_.size())),
                 used_.end());
  reread_.set(picked_);
  rereading_ = true;
  ReadResult r = reread_.read(memory_, spans_);
  if (r != ReadResult::Ok) fatal_ = r;
  return r;
}

const uint8_t* SampleMemory::fromSnapshots(uint64_t addr, size_t len) {
  // While re-reading, the older prefetch is out: what it holds of a range
  // first met now may predate the pointer that led there.
  if (rereading_) return reread_.find(addr, len);
  return prefetch_.find(addr, len);
}

void SampleMemory::prefetchNextTime(uint64_t addr, size_t len) { remember(addr, len); }

void SampleMemory::remember(uint64_t addr, size_t len) {
  if (len > 0 && used_.size() < kMaxUsedRanges) {
    used_.push_back({addr, len, 0, used_.size(), false});
  }
}

uint8_t* SampleMemory::scratch(size_t len) {
  if (directUsed_ == direct_.size()) direct_.emplace_back();
  std::vector<uint8_t>& buf = direct_[directUsed_++];
  if (buf.size() < len) buf.resize(len);
  return buf.data();
}

const uint8_t* SampleMemory::read(uint64_t addr, size_t len, size_t rememberLen) {
  if (addr == 0 || len == 0) return nullptr;
  if (const uint8_t* p = fromSnapshots(addr, len)) {
    ++hits_;
    if (rememberLen) remember(addr, std::max(len, rememberLen));
    return p;
  }
  ++misses_;
  uint8_t* buf = scratch(len);
  ReadResult r = memory_.read(addr, buf, len);
  if (r != ReadResult::Ok) {
    if (r != ReadResult::Fault) fatal_ = r;
    return nullptr;
  }
  if (rememberLen) remember(addr, std::max(len, rememberLen));
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
  prefetch_.set(used_);
  used_.clear();
  endReread();
}

}  // namespace hotpath
