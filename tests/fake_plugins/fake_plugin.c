/*
 * Deliberately broken plugins for the loader tests, one library per case.
 * The case is picked at compile time (FAKE_CASE_*); everything else is shared
 * so each library differs from a good plugin in exactly one way.
 */
#include <stddef.h>

#include "infer/plugin_api.h"

#if !defined(FAKE_CASE_NO_ENTRY_SYMBOL) && !defined(FAKE_CASE_WRONG_MAJOR) && \
    !defined(FAKE_CASE_INIT_FAILS) && !defined(FAKE_CASE_NULL_ENTRY) &&       \
    !defined(FAKE_CASE_UNAVAILABLE)
#error "define one FAKE_CASE_*"
#endif

#ifdef FAKE_CASE_NO_ENTRY_SYMBOL
/* Exports a function, just not the one the host looks for. */
INFER_PLUGIN_EXPORT int infer_plugin_entry_misspelled(void) { return 42; }

#elif defined(FAKE_CASE_NULL_ENTRY)
/* The right symbol, but it declines to hand out a table. */
INFER_PLUGIN_EXPORT const infer_plugin_api* infer_plugin_entry(uint32_t host_abi_major,
                                                               uint32_t host_abi_minor) {
  (void)host_abi_major;
  (void)host_abi_minor;
  return NULL;
}

#else

static void fake_probe(infer_plugin_probe* out) {
  out->name = FAKE_NAME;
  out->vendor = "infer tests";
  out->version = "0.0.1";
  out->description = "fake plugin for loader tests";
#ifdef FAKE_CASE_UNAVAILABLE
  /* A backend whose device is absent, like OpenCL without a platform. */
  out->kinds = INFER_PLUGIN_BACKEND;
  out->score = 0;
  out->score_reason = "no fake accelerator in this machine";
#else
  out->kinds = INFER_PLUGIN_PASS;
  out->score = 1;
  out->score_reason = NULL;
#endif
}

static infer_status* fake_init(const infer_host_api* host, const infer_config* cfg,
                               void** out_plugin_state) {
  (void)cfg;
  *out_plugin_state = NULL;
#ifdef FAKE_CASE_INIT_FAILS
  return host->status_create(INFER_UNAVAILABLE, "fake init failure");
#else
  (void)host;
  return NULL;
#endif
}

static void fake_shutdown(void* plugin_state) { (void)plugin_state; }

/* A complete, empty pass table: the host must refuse these plugins for their
 * one defect, not for a missing table. */
static size_t fake_pass_count(void* plugin_state) {
  (void)plugin_state;
  return 0;
}

static void fake_pass_info(void* plugin_state, size_t index, infer_pass_info* out) {
  (void)plugin_state;
  (void)index;
  (void)out;
}

static infer_status* fake_pass_run(void* plugin_state, size_t index, infer_graph* g,
                                   const infer_config* cfg, size_t* out_changed) {
  (void)plugin_state;
  (void)index;
  (void)g;
  (void)cfg;
  *out_changed = 0;
  return NULL;
}

static const infer_pass_api kFakePass = {
    .struct_size = sizeof(infer_pass_api),
    .pass_count = fake_pass_count,
    .pass_info = fake_pass_info,
    .pass_run = fake_pass_run,
};

#ifdef FAKE_CASE_WRONG_MAJOR
#define FAKE_ABI_MAJOR 99u
#else
#define FAKE_ABI_MAJOR INFER_PLUGIN_ABI_MAJOR
#endif

static const infer_plugin_api kFakeApi = {
    .struct_size = sizeof(infer_plugin_api),
    .abi_major = FAKE_ABI_MAJOR,
    .abi_minor = INFER_PLUGIN_ABI_MINOR,
    .probe = fake_probe,
    .init = fake_init,
    .shutdown = fake_shutdown,
    .pass = &kFakePass,
};

INFER_PLUGIN_EXPORT const infer_plugin_api* infer_plugin_entry(uint32_t host_abi_major,
                                                               uint32_t host_abi_minor) {
  (void)host_abi_major;
  (void)host_abi_minor;
  return &kFakeApi;
}
#endif
