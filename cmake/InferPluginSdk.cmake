# infer_add_plugin(NAME SOURCES...) for plugins built against an installed engine: a MODULE
# library named libinfer_<NAME>.so that links only the plugin ABI headers, leaves no undefined
# symbols and exports exactly its entry symbol, like the bundled plugins. (The header-only C++
# helpers need C++20; infer::plugin_api asks for it.)
function(infer_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE infer::plugin_api)
  set_target_properties(${name} PROPERTIES PREFIX "libinfer_" CXX_VISIBILITY_PRESET hidden
                                           C_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  # Inline and template code of the C++ standard library stays local too: one exported symbol.
  set(_map ${CMAKE_CURRENT_BINARY_DIR}/infer_plugin_exports.map)
  if(NOT EXISTS ${_map})
    file(WRITE ${_map} "{\n  global: infer_plugin_entry;\n  local: *;\n};\n")
  endif()
  target_link_options(${name} PRIVATE -Wl,--no-undefined -Wl,--version-script=${_map})
endfunction()
