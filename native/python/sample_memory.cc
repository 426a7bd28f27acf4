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

ReadResult SampleMemory::begin() {
  fatal_ = ReadResult::Ok;
  directUsed_ = 0;
  if (prefetch_.empty()) return ReadResult::Ok;
  size_t total = 0;
  for (Range& r : prefetch_) {
    r.offset = total;
    total += r.len;
  }
  prefetched_.resize(total);
  spans_.resize(prefetch_.size());
  for (size_t i = 0; i < prefetch_.size(); ++i) {
    spans_[i] = ReadSpan{prefetch_[i].addr, prefetched_.data() + prefetch_[i].offset,
                         static_cast<size_t>(prefetch_[i].len), false};
  }
  ReadResult r = memory_.readMany(spans_.data(), spans_.size());
  for (size_t i = 0; i < prefetch_.size(); ++i) prefetch_[i].ok = spans_[i].ok;
  if (r != ReadResult::Ok) {
    fatal_ = r;
    for (Range& p : prefetch_) p.ok = false;
  }
  return r;
}

const uint8_t* SampleMemory::fromPrefetch(uint64_t addr, size_t len) {
  // The last range starting at or before addr is the only one that can cover it.
  auto it = std::upper_bound(prefetch_.begin(), prefetch_.end(), addr,
                             [](uint64_t a, const Range& r) { return a < r.addr; });
  if (it == prefetch_.begin()) return nullptr;
  --it;
  // Written without addr + len: a torn pointer near the top of the address
  // space would wrap around and pass as covered.
  uint64_t skip = addr - it->addr;
  if (!it->ok || skip > it->len || len > it->len - skip) return nullptr;
  return prefetched_.data() + it->offset + (addr - it->addr);
}

void SampleMemory::prefetchNextTime(uint64_t addr, size_t len) { remember(addr, len); }

void SampleMemory::remember(uint64_t addr, size_t len) {
  if (len > 0 && used_.size() < kMaxUsedRanges) used_.push_back({addr, len, 0, false});
}

uint8_t* SampleMemory::scratch(size_t len) {
  if (directUsed_ == direct_.size()) direct_.emplace_back();
  std::vector<uint8_t>& buf = direct_[directUsed_++];
  if (buf.size() < len) buf.resize(len);
  return buf.data();
}

const uint8_t* SampleMemory::read(uint64_t addr, size_t len, size_t rememberLen) {
  if (addr == 0 || len == 0) return nullptr;
  if (const uint8_t* p = fromPrefetch(addr, len)) {
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

void SampleMemory::readMany(const uint64_t* addrs, const size_t* lens, size_t count,
                            std::vector<const uint8_t*>& out) {
  out.assign(count, nullptr);
  spans_.clear();
  std::vector<size_t> which;
  for (size_t i = 0; i < count; ++i) {
    if (addrs[i] == 0 || lens[i] == 0) continue;
    if (const uint8_t* p = fromPrefetch(addrs[i], lens[i])) {
      ++hits_;
      out[i] = p;
      remember(addrs[i], lens[i]);
      continue;
    }
    ++misses_;
    spans_.push_back(ReadSpan{addrs[i], scratch(lens[i]), lens[i], false});
    which.push_back(i);
  }
  if (spans_.empty()) return;
  ReadResult r = memory_.readMany(spans_.data(), spans_.size());
  if (r != ReadResult::Ok) {
    fatal_ = r;
    return;
  }
  for (size_t k = 0; k < spans_.size(); ++k) {
    if (!spans_[k].ok) continue;
    out[which[k]] = static_cast<const uint8_t*>(spans_[k].buf);
    remember(spans_[k].addr, spans_[k].len);
  }
}

void SampleMemory::end() {
  std::sort(used_.begin(), used_.end(),
            [](const Range& a, const Range& b) { return a.addr < b.addr; });
  prefetch_.clear();
  uint64_t bytes = 0;
  for (const Range& r : used_) {
    if (!prefetch_.empty()) {
      Range& last = prefetch_.back();
      uint64_t lastEnd = last.addr + last.len;
      // Merge overlapping ranges, and ranges whose gap lies inside one page
      // (no page is touched that was not already): fewer iovecs, same faults.
      if (r.addr <= lastEnd || (lastEnd - 1) / kPage == r.addr / kPage) {
        uint64_t end = std::max(lastEnd, r.addr + r.len);
        bytes += end - lastEnd;
        last.len = end - last.addr;
        continue;
      }
    }
    if (bytes + r.len > kMaxPrefetchBytes || prefetch_.size() == kMaxPrefetchRanges) break;
    prefetch_.push_back(r);
    bytes += r.len;
  }
  used_.clear();
}

}  // namespace hotpath
