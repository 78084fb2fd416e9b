# infer_add_plugin(NAME SOURCES...) for plugins built against an installed engine: a MODULE
# library named libinfer_<...>.so that links only the plugin ABI headers and leaves no
# undefined symbols, like the bundled plugins.
function(infer_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE infer::plugin_api)
  set_target_properties(${name} PROPERTIES PREFIX "libinfer_" CXX_VISIBILITY_PRESET hidden
                                           C_VISIBILITY_PRESET hidden)
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
endfunction()
