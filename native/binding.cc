// The only file that includes napi.h: it adapts the native sampler to
// JavaScript (see extension/native/nativeApi.ts for the typed surface).
//
// Threading: the engine runs on its own thread and reports through one
// thread-safe function (ready / start failure / progress / stopped). finish()
// joins the engine on a libuv worker (AsyncWorker), never on the JS thread.
#include <napi.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dump/stack_dump.h"
#include "os/signal_origin.h"
#include "python/python_reader.h"
#include "sampler/sampler.h"

namespace {

using hotpath::ErrorCode;
using hotpath::HotpathError;

Napi::Error codedError(Napi::Env env, ErrorCode code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, hotpath::errorCodeName(code)));
  return error;
}

// ---- per-environment bookkeeping: no engine thread outlives its Node env.

struct AddonData {
  std::vector<std::weak_ptr<hotpath::Sampler>> live;
  // Engines whose JS object was collected while sampling: asked to stop,
  // dropped once their thread has ended, joined at the latest at env teardown.
  std::vector<std::shared_ptr<hotpath::Sampler>> retired;

  void sweep() {
    std::vector<std::shared_ptr<hotpath::Sampler>> keep;
    for (auto& engine : retired) {
      if (!engine->stopped()) keep.push_back(std::move(engine));
    }
    retired.swap(keep);
    std::vector<std::weak_ptr<hotpath::Sampler>> alive;
    for (auto& weak : live) {
      if (!weak.expired()) alive.push_back(std::move(weak));
    }
    live.swap(alive);
  }

  // Env teardown (process exit, worker exit): stop every engine, then wait.
  void stopAll() {
    std::vector<std::shared_ptr<hotpath::Sampler>> engines = retired;
    for (auto& weak : live) {
      if (auto engine = weak.lock()) engines.push_back(engine);
    }
    for (auto& engine : engines) engine->requestFinish();
    for (auto& engine : engines) engine->join();
  }
};

AddonData& addonData(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

// ---- events from the engine thread to the JS thread

struct Event {
  enum class Kind { Ready, StartFailed, Progress, Stopped } kind;
  hotpath::TargetInfo target;
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  hotpath::Progress progress;
};

// JS-thread state of one sampler, shared by the wrapper and the thread-safe
// function (whichever goes last frees it, always on the JS thread).
struct JsState {
  Napi::FunctionReference onProgress;
  bool settled = false;  // ready outcome known
  std::optional<hotpath::TargetInfo> target;
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  std::vector<Napi::Promise::Deferred> readyWaiters;

  void settle(Napi::Promise::Deferred& deferred) {
    Napi::Env env = deferred.Env();
    if (target) {
      Napi::Object info = Napi::Object::New(env);
      info.Set("pid", target->pid);
      info.Set("pythonVersion", target->pythonVersion);
      info.Set("pythonBinary", target->pythonBinary);
      deferred.Resolve(info);
    } else {
      deferred.Reject(codedError(env, code, message).Value());
    }
  }

  void settleAll() {
    settled = true;
    for (auto& deferred : readyWaiters) settle(deferred);
    readyWaiters.clear();
  }
};

struct TsfnContext {
  std::shared_ptr<JsState> js;
};

Napi::Object progressObject(Napi::Env env, const hotpath::Progress& p) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("elapsedUs", p.elapsedUs);
  o.Set("ticks", static_cast<double>(p.ticks));
  o.Set("samples", static_cast<double>(p.samples));
  o.Set("threads", p.threads);
  o.Set("droppedSamples", static_cast<double>(p.droppedSamples));
  o.Set("lateTicks", static_cast<double>(p.lateTicks));
  o.Set("targetAlive", p.targetAlive);
  return o;
}

void deliver(Napi::Env env, Napi::Function, TsfnContext* context, Event* event) {
  std::unique_ptr<Event> owned(event);
  if (env == nullptr || event == nullptr) return;  // env shutting down
  JsState& js = *context->js;
  switch (event->kind) {
    case Event::Kind::Ready:
      js.target = event->target;
      js.settleAll();
      break;
    case Event::Kind::StartFailed:
      if (js.settled) break;  // failures after a successful start end sampling only
      js.code = event->code;
      js.message = event->message;
      js.settleAll();
      break;
    case Event::Kind::Progress:
      if (!js.onProgress.IsEmpty()) {
        Napi::HandleScope scope(env);
        try {
          js.onProgress.Call({progressObject(env, event->progress)});
        } catch (const Napi::Error& e) {
          e.ThrowAsJavaScriptException();  // surfaces as an uncaught exception
        }
      }
      break;
    case Event::Kind::Stopped:
      if (!js.settled) {
        js.code = ErrorCode::Internal;
        js.message = "the sampler stopped before the target was ready";
        js.settleAll();
      }
      break;
  }
}

using EventChannel = Napi::TypedThreadSafeFunction<TsfnContext, Event, deliver>;

// The engine's listener: posts each report to the JS thread. Never blocks.
class EventBridge : public hotpath::SamplerListener {
 public:
  explicit EventBridge(EventChannel channel) : channel_(channel) {}

  void onReady(const hotpath::TargetInfo& target) override {
    auto* e = new Event{Event::Kind::Ready};
    e->target = target;
    post(e);
  }
  void onStartFailed(ErrorCode code, const std::string& message) override {
    auto* e = new Event{Event::Kind::StartFailed};
    e->code = code;
    e->message = message;
    post(e);
  }
  void onProgress(const hotpath::Progress& progress) override {
    auto* e = new Event{Event::Kind::Progress};
    e->progress = progress;
    post(e);
  }
  void onStopped() override {
    post(new Event{Event::Kind::Stopped});
    channel_.Release();  // lets the Node process exit once nothing else is pending
  }

 private:
  void post(Event* event) {
    if (channel_.NonBlockingCall(event) != napi_ok) delete event;
  }
  EventChannel channel_;
};

// ---- NativeProfile conversion

template <typename TypedArray, typename T>
TypedArray copyArray(Napi::Env env, const std::vector<T>& values) {
  size_t bytes = values.size() * sizeof(T);
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, bytes);
  if (bytes) std::memcpy(buffer.Data(), values.data(), bytes);
  return TypedArray::New(env, values.size(), buffer, 0);
}

Napi::Object profileObject(Napi::Env env, const hotpath::ProfileData& data) {
  Napi::Object o = Napi::Object::New(env);
  Napi::Array strings = Napi::Array::New(env, data.strings.size());
  for (uint32_t i = 0; i < data.strings.size(); ++i) {
    strings.Set(i, Napi::String::New(env, data.strings[i]));
  }
  o.Set("strings", strings);
  o.Set("frameFile", copyArray<Napi::Uint32Array>(env, data.frameFile));
  o.Set("frameName", copyArray<Napi::Uint32Array>(env, data.frameName));
  o.Set("frameLine", copyArray<Napi::Uint32Array>(env, data.frameLine));
  o.Set("frameFirstLine", copyArray<Napi::Uint32Array>(env, data.frameFirstLine));
  o.Set("stackParent", copyArray<Napi::Int32Array>(env, data.stackParent));
  o.Set("stackFrame", copyArray<Napi::Uint32Array>(env, data.stackFrame));
  o.Set("sampleTime", copyArray<Napi::Float64Array>(env, data.sampleTime));
  o.Set("sampleThread", copyArray<Napi::Uint32Array>(env, data.sampleThread));
  o.Set("sampleStack", copyArray<Napi::Int32Array>(env, data.sampleStack));
  o.Set("sampleOnCpu", copyArray<Napi::Uint8Array>(env, data.sampleOnCpu));
  o.Set("sampleGil", copyArray<Napi::Uint8Array>(env, data.sampleGil));

  Napi::Array threads = Napi::Array::New(env, data.threads.size());
  for (uint32_t i = 0; i < data.threads.size(); ++i) {
    const hotpath::ThreadRecord& t = data.threads[i];
    Napi::Object thread = Napi::Object::New(env);
    thread.Set("tid", t.tid);
    thread.Set("ident", std::to_string(t.ident));  // exceeds 2^53: keep it exact as text
    thread.Set("name", data.strings[t.nameString]);
    thread.Set("isMain", t.isMain);
    thread.Set("process", t.process);
    if (t.loopThread >= 0) thread.Set("loopThread", t.loopThread);
    threads.Set(i, thread);
  }
  o.Set("threads", threads);

  Napi::Array processes = Napi::Array::New(env, data.processes.size());
  for (uint32_t i = 0; i < data.processes.size(); ++i) {
    const hotpath::ProcessRecord& p = data.processes[i];
    Napi::Object process = Napi::Object::New(env);
    process.Set("pid", p.pid);
    process.Set("ppid", p.ppid);
    process.Set("parent", p.parent);
    Napi::Array argv = Napi::Array::New(env, p.argv.size());
    for (uint32_t a = 0; a < p.argv.size(); ++a) argv.Set(a, Napi::String::New(env, p.argv[a]));
    process.Set("argv", argv);
    process.Set("pythonVersion", p.pythonVersion);
    process.Set("pythonBinary", p.pythonBinary);
    process.Set("startUs", p.startUs);
    process.Set("endUs", p.endUs);
    process.Set("waitStatus", p.waitStatus);
    process.Set("execed", p.execed);
    process.Set("note", p.note);
    processes.Set(i, process);
  }
  o.Set("processes", processes);

  const hotpath::SamplerStats& s = data.stats;
  Napi::Object stats = Napi::Object::New(env);
  stats.Set("ticks", static_cast<double>(s.ticks));
  stats.Set("samples", static_cast<double>(s.samples));
  stats.Set("lateTicks", static_cast<double>(s.lateTicks));
  stats.Set("droppedSamples", static_cast<double>(s.droppedSamples));
  stats.Set("meanTickCostUs", s.meanTickCostUs);
  stats.Set("maxDepth", s.maxDepth);
  stats.Set("truncatedStacks", static_cast<double>(s.truncatedStacks));
  stats.Set("returnedFramesCut", static_cast<double>(s.returnedFramesCut));
  Napi::Object drops = Napi::Object::New(env);
  for (size_t i = 0; i < s.droppedByReason.size(); ++i) {
    if (s.droppedByReason[i] == 0) continue;
    drops.Set(hotpath::dropReasonName(static_cast<hotpath::DropReason>(i)),
              static_cast<double>(s.droppedByReason[i]));
  }
  stats.Set("droppedByReason", drops);
  stats.Set("normalPrioritySinceUs", s.normalPrioritySinceUs);
  o.Set("stats", stats);

  o.Set("pythonVersion", data.target.pythonVersion);
  o.Set("pythonBinary", data.target.pythonBinary);
  o.Set("startedAt", data.startedAtMs);
  o.Set("durationUs", data.durationUs);
  o.Set("intervalUs", static_cast<double>(data.intervalUs));
  o.Set("pid", data.target.pid);
  return o;
}

// ---- the Sampler class

class SamplerWrap;

// Stops the engine and waits for its thread off the JS thread, then builds
// (once) and resolves the profile.
class FinishWorker : public Napi::AsyncWorker {
 public:
  FinishWorker(Napi::Object receiver, SamplerWrap& wrap, std::shared_ptr<hotpath::Sampler> engine)
      : Napi::AsyncWorker(receiver.Env(), "hotpath.finish"),
        keepAlive_(Napi::Persistent(receiver)),
        wrap_(wrap),
        engine_(std::move(engine)),
        deferred_(Napi::Promise::Deferred::New(receiver.Env())) {}

  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    engine_->requestFinish();
    engine_->join();
  }
  void OnOK() override;
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::ObjectReference keepAlive_;  // the JS object of wrap_: not collected while finishing
  SamplerWrap& wrap_;
  std::shared_ptr<hotpath::Sampler> engine_;
  Napi::Promise::Deferred deferred_;
};

class SamplerWrap : public Napi::ObjectWrap<SamplerWrap> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "Sampler",
                       {InstanceMethod<&SamplerWrap::ready>("ready"),
                        InstanceMethod<&SamplerWrap::finish>("finish")});
  }

  explicit SamplerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SamplerWrap>(info) {
    Napi::Env env = info.Env();
    if (!info.IsConstructCall()) {
      throw codedError(env, ErrorCode::BadArgument, "Usage: new Sampler(pid, options)");
    }
    if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsObject()) {
      throw codedError(
          env, ErrorCode::BadArgument,
          "Usage: new Sampler(pid: number, options: { intervalUs, spillPath?, "
          "startTimeoutMs?, maxDepth?, existingProcess?, followChildren?, asyncTasks?, "
          "onProgress? })");
    }
    double pidValue = info[0].As<Napi::Number>().DoubleValue();
    if (!(pidValue >= 1 && pidValue <= 2147483647) || pidValue != static_cast<int>(pidValue)) {
      throw codedError(
          env, ErrorCode::BadArgument,
          "pid must be a positive integer process id, got " + info[0].ToString().Utf8Value());
    }
    int pid = static_cast<int>(pidValue);
    Napi::Object opts = info[1].As<Napi::Object>();
    hotpath::SamplerOptions options;
    options.intervalUs = integerOption(opts, "intervalUs", options.intervalUs, true);
    options.startTimeoutMs = integerOption(opts, "startTimeoutMs", options.startTimeoutMs, false);
    options.maxDepth = static_cast<int>(integerOption(opts, "maxDepth", options.maxDepth, false));
    options.existingProcess = booleanOption(opts, "existingProcess", options.existingProcess);
    options.followChildren = booleanOption(opts, "followChildren", options.followChildren);
    options.asyncTasks = booleanOption(opts, "asyncTasks", options.asyncTasks);
    Napi::Value spill = opts.Get("spillPath");
    if (!spill.IsUndefined()) {
      if (!spill.IsString()) {
        throw codedError(env, ErrorCode::BadArgument, "options.spillPath must be a string");
      }
      options.spillPath = spill.As<Napi::String>().Utf8Value();
    }
    Napi::Value onProgress = opts.Get("onProgress");
    if (!onProgress.IsUndefined() && !onProgress.IsFunction()) {
      throw codedError(env, ErrorCode::BadArgument, "options.onProgress must be a function");
    }

    js_ = std::make_shared<JsState>();
    if (onProgress.IsFunction()) {
      js_->onProgress = Napi::Persistent(onProgress.As<Napi::Function>());
    }
    try {
      hotpath::validateOptions(options);
    } catch (const HotpathError& e) {
      throw codedError(env, e.code(), e.what());
    }

    auto* context = new TsfnContext{js_};
    EventChannel channel = EventChannel::New(
        env, "hotpath.sampler", 0, 1, context,
        [](Napi::Env, void*, TsfnContext* ctx) { delete ctx; }, static_cast<void*>(nullptr));
    // The channel keeps Node alive while the engine runs (an awaited ready()
    // must settle); the engine releases it when it stops.
    try {
      engine_ =
          std::make_shared<hotpath::Sampler>(pid, options, std::make_shared<EventBridge>(channel));
    } catch (const HotpathError& e) {
      channel.Release();
      throw codedError(env, e.code(), e.what());
    } catch (const std::exception& e) {
      // No thread left to start (a process or thread limit): say so in JS
      // rather than let a C++ exception cross into Node.
      channel.Release();
      throw codedError(env, ErrorCode::Internal,
                       std::string("could not start the sampler: ") + e.what());
    }
    AddonData& addon = addonData(env);
    addon.sweep();
    addon.live.push_back(engine_);
  }

  ~SamplerWrap() override {
    // Collected while sampling: stop without waiting on the JS thread.
    if (engine_ && !engine_->stopped()) {
      engine_->requestFinish();
      addonData(Env()).retired.push_back(std::move(engine_));
    }
  }

  Napi::Value ready(const Napi::CallbackInfo& info) {
    auto deferred = Napi::Promise::Deferred::New(info.Env());
    if (js_->settled) {
      js_->settle(deferred);
    } else {
      js_->readyWaiters.push_back(deferred);
    }
    return deferred.Promise();
  }

  Napi::Value finish(const Napi::CallbackInfo& info) {
    if (!profile_.IsEmpty()) {
      auto deferred = Napi::Promise::Deferred::New(info.Env());
      deferred.Resolve(profile_.Value());
      return deferred.Promise();
    }
    auto* worker = new FinishWorker(info.This().As<Napi::Object>(), *this, engine_);
    Napi::Promise promise = worker->promise();
    worker->Queue();
    return promise;
  }

  // The profile as JS, built once and shared by every finish() call.
  Napi::Object profile(Napi::Env env, const hotpath::ProfileData& data) {
    if (profile_.IsEmpty()) profile_ = Napi::Persistent(profileObject(env, data));
    return profile_.Value();
  }

 private:
  static int64_t integerOption(Napi::Object opts, const char* name, int64_t fallback,
                               bool required) {
    Napi::Value v = opts.Get(name);
    if (v.IsUndefined() && !required) return fallback;
    if (!v.IsNumber()) {
      throw codedError(opts.Env(), ErrorCode::BadArgument,
                       std::string("options.") + name + " must be a number");
    }
    double d = v.As<Napi::Number>().DoubleValue();
    if (!(d >= -9e15 && d <= 9e15) || d != static_cast<double>(static_cast<int64_t>(d))) {
      throw codedError(opts.Env(), ErrorCode::BadArgument,
                       std::string("options.") + name + " must be an integer");
    }
    return static_cast<int64_t>(d);
  }

  static bool booleanOption(Napi::Object opts, const char* name, bool fallback) {
    Napi::Value v = opts.Get(name);
    if (v.IsUndefined()) return fallback;
    if (!v.IsBoolean()) {
      throw codedError(opts.Env(), ErrorCode::BadArgument,
                       std::string("options.") + name + " must be a boolean");
    }
    return v.As<Napi::Boolean>().Value();
  }

  std::shared_ptr<JsState> js_;
  std::shared_ptr<hotpath::Sampler> engine_;
  Napi::ObjectReference profile_;
};

void FinishWorker::OnOK() {
  Napi::HandleScope scope(Env());
  deferred_.Resolve(wrap_.profile(Env(), engine_->profile()));
}

// ---- dumpStacks(pid, options?): every thread's stack, read once, on a worker

template <typename T, typename Convert>
Napi::Array arrayOf(Napi::Env env, const std::vector<T>& items, Convert convert) {
  Napi::Array out = Napi::Array::New(env, items.size());
  for (uint32_t i = 0; i < items.size(); ++i) out.Set(i, convert(env, items[i]));
  return out;
}

Napi::Object dumpFrameObject(Napi::Env env, const hotpath::DumpFrame& f) {
  Napi::Object frame = Napi::Object::New(env);
  frame.Set("function", f.function);
  frame.Set("file", f.file);
  frame.Set("line", f.line);
  frame.Set("firstLine", f.firstLine);
  return frame;
}

Napi::Object dumpThreadObject(Napi::Env env, const hotpath::DumpThread& t) {
  Napi::Object thread = Napi::Object::New(env);
  thread.Set("ident", std::to_string(t.ident));  // exceeds 2^53: keep it exact as text
  thread.Set("tid", t.tid);
  thread.Set("name", t.name);
  thread.Set("isMain", t.isMain);
  thread.Set("running", t.running);
  thread.Set("holdsGil", t.holdsGil);
  thread.Set("truncated", t.truncated);
  thread.Set("frames", arrayOf(env, t.frames, dumpFrameObject));
  return thread;
}

Napi::Array idArray(Napi::Env env, const std::vector<uint64_t>& ids) {
  // Addresses exceed 2^53: hexadecimal text.
  return arrayOf(env, ids, [](Napi::Env e, uint64_t id) {
    char text[24];
    snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(id));
    return Napi::String::New(e, text);
  });
}

Napi::Object dumpTaskObject(Napi::Env env, const hotpath::DumpTask& t) {
  Napi::Object task = Napi::Object::New(env);
  task.Set("id", idArray(env, {t.id}).Get(0u));
  task.Set("name", t.name);
  task.Set("running", t.running);
  task.Set("threadIdent", std::to_string(t.threadIdent));
  task.Set("frames", arrayOf(env, t.frames, dumpFrameObject));
  task.Set("awaitedBy", idArray(env, t.awaitedBy));
  return task;
}

Napi::Object dumpObject(Napi::Env env, const hotpath::StackDump& dump) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("pid", dump.pid);
  o.Set("pythonVersion", dump.pythonVersion);
  o.Set("pythonBinary", dump.pythonBinary);
  o.Set("droppedThreads", dump.droppedThreads);
  o.Set("threads", arrayOf(env, dump.threads, dumpThreadObject));
  if (dump.tasksRead) {
    o.Set("tasks", arrayOf(env, dump.tasks, dumpTaskObject));
    o.Set("tasksNote", dump.tasksNote);
  }
  return o;
}

class DumpWorker : public Napi::AsyncWorker {
 public:
  DumpWorker(Napi::Env env, int pid, hotpath::DumpOptions options)
      : Napi::AsyncWorker(env, "hotpath.dumpStacks"),
        pid_(pid),
        options_(options),
        deferred_(Napi::Promise::Deferred::New(env)) {}

  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      dump_ = hotpath::dumpStacks(pid_, options_);
    } catch (const HotpathError& e) {
      code_ = e.code();
      SetError(e.what());
    } catch (const std::exception& e) {
      code_ = ErrorCode::Internal;
      SetError(std::string("reading the stacks failed: ") + e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(dumpObject(Env(), dump_)); }
  void OnError(const Napi::Error& e) override {
    deferred_.Reject(codedError(Env(), code_, e.Message()).Value());
  }

 private:
  int pid_;
  hotpath::DumpOptions options_;
  hotpath::StackDump dump_;
  ErrorCode code_ = ErrorCode::Internal;
  Napi::Promise::Deferred deferred_;
};

Napi::Value DumpStacks(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* usage = "Usage: dumpStacks(pid: number, options?: { maxDepth?, async? })";
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw codedError(env, ErrorCode::BadArgument, usage);
  }
  double pid = info[0].As<Napi::Number>().DoubleValue();
  if (!(pid >= 1 && pid <= 2147483647) || pid != static_cast<int>(pid)) {
    throw codedError(
        env, ErrorCode::BadArgument,
        "pid must be a positive integer process id, got " + info[0].ToString().Utf8Value());
  }
  hotpath::DumpOptions options;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    if (!info[1].IsObject()) throw codedError(env, ErrorCode::BadArgument, usage);
    Napi::Value depth = info[1].As<Napi::Object>().Get("maxDepth");
    if (!depth.IsUndefined()) {
      double d = depth.IsNumber() ? depth.As<Napi::Number>().DoubleValue() : 0;
      if (!(d >= 1 && d <= 100000) || d != static_cast<int>(d)) {
        throw codedError(env, ErrorCode::BadArgument,
                         "options.maxDepth must be an integer from 1 to 100000");
      }
      options.maxDepth = static_cast<int>(d);
    }
    // async: true (tasks, or fail before 3.14), "ifSupported" (tasks where they can be read).
    Napi::Value async = info[1].As<Napi::Object>().Get("async");
    if (async.IsString() && async.As<Napi::String>().Utf8Value() == "ifSupported") {
      options.async = options.asyncIfSupported = true;
    } else if (async.IsBoolean()) {
      options.async = async.As<Napi::Boolean>().Value();
    } else if (!async.IsUndefined()) {
      throw codedError(env, ErrorCode::BadArgument,
                       "options.async must be a boolean or \"ifSupported\"");
    }
  }
  auto* worker = new DumpWorker(env, static_cast<int>(pid), options);
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

// recordSignalOrigin(signum): true when the sender of `signum` is recorded from now on.
Napi::Value RecordSignalOrigin(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw codedError(info.Env(), ErrorCode::BadArgument,
                     "Usage: recordSignalOrigin(signum: number)");
  }
  return Napi::Boolean::New(info.Env(),
                            hotpath::recordSignalOrigin(info[0].As<Napi::Number>().Int32Value()));
}

// lastSignalOrigin(signum): { count, pid, code } of the last `signum` received.
Napi::Value LastSignalOrigin(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw codedError(info.Env(), ErrorCode::BadArgument, "Usage: lastSignalOrigin(signum: number)");
  }
  hotpath::SignalOrigin origin = hotpath::lastSignalOrigin(info[0].As<Napi::Number>().Int32Value());
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("count", origin.count);
  out.Set("pid", origin.pid);
  out.Set("code", origin.code);
  return out;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  env.SetInstanceData<AddonData>(data);
  env.AddCleanupHook([data] { data->stopAll(); });
  exports.Set("Sampler", SamplerWrap::define(env));
  exports.Set("recordSignalOrigin", Napi::Function::New<RecordSignalOrigin>(env));
  exports.Set("lastSignalOrigin", Napi::Function::New<LastSignalOrigin>(env));
  exports.Set("dumpStacks", Napi::Function::New<DumpStacks>(env));
  exports.Set("version", Napi::String::New(env, "hotpath-native 0.1.0"));
  return exports;
}

}  // namespace

NODE_API_MODULE(hotpath, Init)
