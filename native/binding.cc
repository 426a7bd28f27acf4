// The only file that includes napi.h: it adapts the native sampler to
// JavaScript (see extension/native/nativeApi.ts for the typed surface).
#include <napi.h>

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("version", Napi::String::New(env, "hotpath-native 0.1.0"));
  return exports;
}

}  // namespace

NODE_API_MODULE(hotpath, Init)
