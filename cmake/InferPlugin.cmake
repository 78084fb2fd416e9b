# infer_add_plugin(NAME SOURCES...): a MODULE library loaded at run time,
# placed in build/plugins/, linking only the plugin ABI headers.
function(infer_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE infer::plugin_api)
  target_compile_options(${name} PRIVATE ${INFER_WARNINGS})
  set_target_properties(${name} PROPERTIES
    PREFIX "libinfer_"
    LIBRARY_OUTPUT_DIRECTORY ${INFER_PLUGIN_OUTPUT_DIR})
  # A plugin must not leave undefined symbols for the host to resolve.
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
  # Bundled plugins are installed (cmake/InferInstall.cmake); test plugins are not.
  set_property(GLOBAL APPEND PROPERTY INFER_BUNDLED_PLUGINS ${name})
endfunction()
