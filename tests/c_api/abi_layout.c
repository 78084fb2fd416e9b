/*
 * The frozen public struct layouts (core/src/api/abi_layout.inc) checked by a
 * C11 compiler, the one plugin authors and language bindings use; libinfer.so
 * checks the same list as C++ (core/src/api/abi_layout_check.cc). Compiled
 * into c_api_test, so a layout change fails the build of both.
 */
#include "api/abi_layout.inc"

int infer_test_abi_layout_checked(void);
int infer_test_abi_layout_checked(void) { return 1; }
