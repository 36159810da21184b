# The batched UDP socket (recvmmsg/sendmmsg), built by scripts/build-native.mjs at `npm install`.
# Linux only: elsewhere the target is empty and the daemon uses node:dgram.
{
  "targets": [
    {
      "target_name": "udp_batch",
      "conditions": [
        ["OS=='linux'", {
          "sources": ["src/udp_batch.cc"],
          "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-fno-exceptions"],
          "defines": ["NAPI_VERSION=8"]
        }]
      ]
    }
  ]
}
