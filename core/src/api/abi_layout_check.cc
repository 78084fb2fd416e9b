// Compiles the frozen public struct layouts (abi_layout.inc) into libinfer.so, so the library
// cannot be built when a struct of infer.h or plugin_api.h changes layout by accident. The C
// API test compiles the same list as C11 (tests/c_api/abi_layout.c). No code: asserts only.
#include "api/abi_layout.inc"
