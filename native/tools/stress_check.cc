// Development tool: sample a target that creates and destroys threads or
// stacks all the time, and count every sample that shows something the
// program cannot have (used with targets/thread_churn.py; build line in
// native/tools/README.md).
//
//   stress_check PID [--samples N] [--max-depth D] [--names a,b,c] [--files x.py,y.py]
//                    [--outermost a,b]
//
// Per thread of every sample it checks: the ident is set, the tid is known (a
// thread state not yet bound to, or already unbound from, an OS thread has
// none), no two threads share an ident, the stack is no deeper than D frames,
// and every frame's function (the last part of its qualified name) is in
// --names or comes from a file ending in one of --files, and the outermost frame
// of a non-empty stack is one of --outermost (a chain cut short ends
// elsewhere). Prints one summary
// line; exits 1 when anything was found, 0 otherwise. Runs until N samples or
// the target exits.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "python/cpython_reader.h"
#include "python/python_reader.h"

namespace {

// The function's own name: the last part of a qualified name (3.11+).
std::string shortName(const std::string& name) {
  size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

std::vector<std::string> splitList(const char* text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr,
            "Usage: stress_check PID [--samples N] [--max-depth D] [--names a,b] [--files x.py]\n");
    return 2;
  }
  int pid = atoi(argv[1]);
  int samples = 5000, maxDepth = 1 << 30;
  std::set<std::string> names, outermost;
  std::vector<std::string> files;
  for (int i = 2; i < argc; ++i) {
    if (!strcmp(argv[i], "--samples") && i + 1 < argc) {
      samples = atoi(argv[++i]);
    } else if (!strcmp(argv[i], "--max-depth") && i + 1 < argc) {
      maxDepth = atoi(argv[++i]);
    } else if (!strcmp(argv[i], "--names") && i + 1 < argc) {
      for (const std::string& n : splitList(argv[++i])) names.insert(n);
    } else if (!strcmp(argv[i], "--outermost") && i + 1 < argc) {
      for (const std::string& n : splitList(argv[++i])) outermost.insert(n);
    } else if (!strcmp(argv[i], "--files") && i + 1 < argc) {
      files = splitList(argv[++i]);
    } else {
      fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  struct Counts {
    long samples = 0, ok = 0, partial = 0, notReady = 0, threads = 0, dropped = 0;
    long noIdent = 0, noTid = 0, sharedIdent = 0, tooDeep = 0, strangeFrames = 0, cutShort = 0;
    size_t deepest = 0;
  } c;
  std::string firstProblems;  // the first example of each kind
  std::set<std::string> kindsSeen;
  auto problem = [&](long& counter, const std::string& kind, const std::string& what) {
    ++counter;
    if (kindsSeen.insert(kind).second) firstProblems += "\n  first " + kind + ": " + what;
  };
  try {
    std::unique_ptr<hotpath::PythonReader> reader = hotpath::PythonReader::attach(pid, {});
    std::vector<hotpath::ThreadStack> threads;
    std::set<uint64_t> idents;
    for (int i = 0; i < samples; ++i) {
      uint32_t dropped = 0;
      hotpath::SampleStatus s = reader->sample(threads, dropped);
      if (s == hotpath::SampleStatus::TargetGone) break;
      ++c.samples;
      c.dropped += dropped;
      if (s == hotpath::SampleStatus::NotReady) ++c.notReady;
      if (s == hotpath::SampleStatus::Partial) ++c.partial;
      if (s == hotpath::SampleStatus::Ok) ++c.ok;
      idents.clear();
      for (const hotpath::ThreadStack& t : threads) {
        ++c.threads;
        std::string label = "sample " + std::to_string(i) + " thread ident " +
                            std::to_string(t.ident) + " tid " + std::to_string(t.tid) + " (" +
                            std::to_string(t.frames.size()) + " frames" +
                            (s == hotpath::SampleStatus::Partial ? ", partial sample)" : ")");
        if (t.ident == 0) problem(c.noIdent, "no ident", label);
        if (t.tid == 0) problem(c.noTid, "no tid", label);
        if (!idents.insert(t.ident).second) problem(c.sharedIdent, "ident twice", label);
        c.deepest = std::max(c.deepest, t.frames.size());
        if (static_cast<int>(t.frames.size()) > maxDepth) {
          std::string frames;
          for (const hotpath::RawFrame& f : t.frames) {
            frames += " " + reader->code(f.codeId).name + ":" + std::to_string(f.line);
          }
          problem(c.tooDeep, "too deep", label + ":" + frames);
        }
        if (!outermost.empty() && !t.frames.empty()) {
          std::string bottom = shortName(reader->code(t.frames.back().codeId).name);
          if (!outermost.count(bottom))
            problem(c.cutShort, "cut short", label + ": ends in " + bottom);
        }
        for (const hotpath::RawFrame& f : t.frames) {
          const hotpath::CodeInfo& code = reader->code(f.codeId);
          bool known = names.empty() || names.count(shortName(code.name));
          for (const std::string& file : files) known = known || endsWith(code.filename, file);
          if (!known) {
            problem(c.strangeFrames, "strange frame",
                    label + ": " + code.name + " (" + code.filename + ")");
          }
        }
      }
    }
  } catch (const hotpath::HotpathError& e) {
    fprintf(stderr, "%s: %s\n", hotpath::errorCodeName(e.code()), e.what());
    return 1;
  }
  long found = c.noIdent + c.noTid + c.sharedIdent + c.tooDeep + c.strangeFrames + c.cutShort;
  printf(
      "samples %ld (ok %ld, partial %ld, not ready %ld), thread-samples %ld, dropped %ld, deepest "
      "%zu; problems %ld: no ident %ld, no tid %ld, ident twice %ld, too deep %ld, strange frames "
      "%ld, cut short %ld%s\n",
      c.samples, c.ok, c.partial, c.notReady, c.threads, c.dropped, c.deepest, found, c.noIdent,
      c.noTid, c.sharedIdent, c.tooDeep, c.strangeFrames, c.cutShort, firstProblems.c_str());
  return found ? 1 : 0;
}
