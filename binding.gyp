{
  "variables": {
    "openssl_fips": ""
  },
  "targets": [
    {
      "target_name": "hotpath",
      "sources": [
        "<!@(ls -1 native/*.cc native/python/*.cc native/sampler/*.cc native/os/*.cc 2>/dev/null || true)"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-O2", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "conditions": [
        ["OS=='linux'", {
          "sources": ["<!@(ls -1 native/os/linux/*.cc 2>/dev/null || true)"]
        }]
      ]
    }
  ]
}
