{
  "variables": {
    "openssl_fips": ""
  },
  "targets": [
    {
      "target_name": "hotpath",
      "sources": [
        "native/binding.cc",
        "native/dump/stack_dump.cc",
        "native/os/error.cc",
        "native/python/asyncio_offsets.cc",
        "native/python/asyncio_sample.cc",
        "native/python/asyncio_tasks.cc",
        "native/python/code_cache.cc",
        "native/python/cpython_reader.cc",
        "native/python/debug_offsets.cc",
        "native/python/frame_walker.cc",
        "native/python/layout_dispatch.cc",
        "native/python/line_table.cc",
        "native/python/opcode_sets.cc",
        "native/python/python_binary.cc",
        "native/python/python_reader.cc",
        "native/python/remote_string.cc",
        "native/python/returned_frames.cc",
        "native/python/frame_object_top.cc",
        "native/python/sample_memory.cc",
        "native/python/thread_names.cc",
        "native/sampler/process_tracker.cc",
        "native/sampler/profile_builder.cc",
        "native/sampler/sample_loop.cc",
        "native/sampler/sampler.cc",
        "native/sampler/sampler_options.cc",
        "native/sampler/spill_writer.cc",
        "native/sampler/thread_priority.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-O2", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "conditions": [
        ["OS=='linux'", {
          "sources": [
            "native/os/linux/elf_symbols_linux.cc",
            "native/os/linux/memory_maps_linux.cc",
            "native/os/linux/own_threads_linux.cc",
            "native/os/linux/process_memory_linux.cc",
            "native/os/linux/process_state_linux.cc",
            "native/os/linux/process_tree_linux.cc",
            "native/os/linux/signal_origin_linux.cc",
            "native/os/linux/thread_states_linux.cc"
          ]
        }]
      ]
    }
  ]
}
