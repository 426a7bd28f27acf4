/*
 * ticker: the floor under Hotpath's overhead. Runs a command as its child and, while the child
 * lives, wakes at RATE Hz on absolute deadlines (as Hotpath's sampler does) to do one part of a
 * sample's work against the child, so that paired runs can tell what each part costs the program:
 *
 *   ticker wake  RATE -- COMMAND...   wake up and do nothing
 *   ticker stat  RATE -- COMMAND...   pread /proc/PID/task/PID/stat (Hotpath's on-CPU check)
 *   ticker readv RATE -- COMMAND...   one process_vm_readv of 8 pages of the child's heap
 *                                     (Hotpath's vectored read of a sample)
 *   ticker busy  RATE -- COMMAND...   compute for 30 µs without touching the child: a
 *                                     neighbour as busy as Hotpath's sampler at 10 kHz
 *
 * Exits with the child's exit code. Built by the benchmark (bench/lib/floor.ts) with `cc -O2`.
 * With TICKER_CPU=1 in the environment it also prints its own CPU time on exit: the floor under
 * the sampling thread's CPU at that rate (bench/README.md, "The floor of the sampler's CPU").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGES 8
// The busy mode's work per tick: about what a Hotpath sample costs at 10 kHz.
#define BUSY_NS 30000L

static uint64_t heap_start(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
  FILE* maps = fopen(path, "r");
  if (!maps) return 0;
  char line[512];
  uint64_t start = 0, fallback = 0;
  while (fgets(line, sizeof line, maps)) {
    unsigned long lo = 0, hi = 0;
    char perms[8] = "";
    if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3) continue;
    if (hi - lo < PAGES * 4096 || perms[0] != 'r') continue;
    if (strstr(line, "[heap]")) {
      start = lo;
      break;
    }
    if (!fallback && perms[1] == 'w' && strchr(line, '/') == NULL) fallback = lo;
  }
  fclose(maps);
  return start ? start : fallback;
}

static double seconds(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec / 1e6; }

static int64_t ns_of(struct timespec t) { return (int64_t)t.tv_sec * 1000000000L + t.tv_nsec; }

static int64_t monotonic_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return ns_of(t);
}

// Ticks taken (the first included), those that began more than a period after
// their deadline, and when the last began: the achieved rate a sampler on this
// grid cannot beat here.
static long ticks = 0, late_ticks = 0;
static int64_t last_tick_ns = 0;

static void report_cpu(const char* mode, long rate, struct timespec start) {
  if (!getenv("TICKER_CPU")) return;
  struct rusage self;
  getrusage(RUSAGE_SELF, &self);
  struct timespec end;
  clock_gettime(CLOCK_MONOTONIC, &end);
  double wall = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
  double user = seconds(self.ru_utime), sys = seconds(self.ru_stime);
  fprintf(stderr, "ticker %s %ld Hz: %.2f%% of one core (user %.3f s, sys %.3f s over %.2f s)\n", mode,
          rate, 100 * (user + sys) / wall, user, sys, wall);
  double ticked_s = (double)(last_tick_ns - ns_of(start)) / 1e9;
  if (ticks > 1 && ticked_s > 0) {
    fprintf(stderr, "ticker %s %ld Hz: %ld ticks, achieved %.2f%% of requested, %.2f%% late\n", mode, rate,
            ticks, 100.0 * (double)(ticks - 1) / (ticked_s * (double)rate),
            100.0 * (double)late_ticks / (double)ticks);
  }
}

int main(int argc, char** argv) {
  if (argc < 5 || strcmp(argv[3], "--") != 0) {
    fprintf(stderr, "usage: ticker wake|stat|readv|busy RATE -- COMMAND...\n");
    return 2;
  }
  const char* mode = argv[1];
  long rate = strtol(argv[2], NULL, 10);
  if (rate <= 0 || rate > 100000) {
    fprintf(stderr, "ticker: RATE must be 1..100000\n");
    return 2;
  }
  pid_t child = fork();
  if (child == 0) {
    execvp(argv[4], argv + 4);
    fprintf(stderr, "ticker: cannot run %s: %s\n", argv[4], strerror(errno));
    _exit(127);
  }
  if (child < 0) return 2;

  char statPath[64];
  snprintf(statPath, sizeof statPath, "/proc/%d/task/%d/stat", (int)child, (int)child);
  int statFd = -1;
  uint64_t heap = 0;
  static char buf[PAGES * 4096];
  struct iovec local[PAGES], remote[PAGES];
  const long periodNs = 1000000000L / rate;
  // As Hotpath's sampler: no timer slack, or the kernel batches wake-ups late.
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  struct timespec next, start;
  clock_gettime(CLOCK_MONOTONIC, &next);
  start = next;
  ticks = 1;
  last_tick_ns = ns_of(start);
  for (;;) {
    int status = 0;
    pid_t done = waitpid(child, &status, WNOHANG);
    if (done == child) {
      report_cpu(mode, rate, start);
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return 128 + WTERMSIG(status);
    }
    if (strcmp(mode, "stat") == 0) {
      if (statFd < 0) statFd = open(statPath, O_RDONLY | O_CLOEXEC);
      if (statFd >= 0) (void)!pread(statFd, buf, 512, 0);
    } else if (strcmp(mode, "readv") == 0) {
      if (!heap) heap = heap_start(child);  // the heap exists once the interpreter is up
      if (heap) {
        for (int i = 0; i < PAGES; i++) {
          local[i].iov_base = buf + i * 4096;
          local[i].iov_len = 4096;
          remote[i].iov_base = (void*)(uintptr_t)(heap + (uint64_t)i * 4096);
          remote[i].iov_len = 4096;
        }
        (void)process_vm_readv(child, local, PAGES, remote, PAGES, 0);
      }
    } else if (strcmp(mode, "busy") == 0) {
      // A loop on registers only: it shares the machine, not the child's memory.
      struct timespec from, now;
      clock_gettime(CLOCK_MONOTONIC, &from);
      volatile uint64_t spin = 0;
      do {
        for (int i = 0; i < 64; i++) spin = spin * 6364136223846793005ULL + 1;
        clock_gettime(CLOCK_MONOTONIC, &now);
      } while ((now.tv_sec - from.tv_sec) * 1000000000L + (now.tv_nsec - from.tv_nsec) < BUSY_NS);
    } else if (strcmp(mode, "wake") != 0) {
      fprintf(stderr, "ticker: unknown mode %s\n", mode);
      kill(child, SIGKILL);
      return 2;
    }
    // The next deadline on the fixed grid, skipping those already a whole
    // period gone (as Hotpath's sampler does: one sample after a stall).
    int64_t nowNs = monotonic_ns();
    int64_t nextNs = ns_of(next) + periodNs;
    if (nowNs - nextNs >= periodNs) nextNs += (nowNs - nextNs) / periodNs * periodNs;
    next.tv_sec = (time_t)(nextNs / 1000000000L);
    next.tv_nsec = (long)(nextNs % 1000000000L);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {
    }
    int64_t woke = monotonic_ns();
    if (woke - nextNs > periodNs) ++late_ticks;
    ++ticks;
    last_tick_ns = woke;
  }
}
