# cmake --install: the core library (versioned soname), the public headers (infer.h and the
# plugin SDK), the bundled plugins in <libdir>/infer/plugins (where the apps look by
# default), the apps, a CMake package (find_package(infer): infer::core, infer::plugin_api,
# infer_add_plugin) and a pkg-config file.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(INFER_INSTALL_PLUGINDIR ${CMAKE_INSTALL_LIBDIR}/infer/plugins)
set(INFER_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/infer)

# Exported as infer::core and infer::plugin_api, the names the build tree uses too.
set_target_properties(infer_core PROPERTIES EXPORT_NAME core)
set_target_properties(infer_plugin_api PROPERTIES EXPORT_NAME plugin_api)
install(TARGETS infer_core infer_plugin_api EXPORT inferTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY core/include/infer plugin_api/include/infer
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

get_property(_infer_plugins GLOBAL PROPERTY INFER_BUNDLED_PLUGINS)
install(TARGETS ${_infer_plugins} LIBRARY DESTINATION ${INFER_INSTALL_PLUGINDIR})
install(TARGETS infer-run infer-opt infer-bench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(EXPORT inferTargets NAMESPACE infer:: DESTINATION ${INFER_INSTALL_CMAKEDIR})
configure_package_config_file(cmake/inferConfig.cmake.in
  ${CMAKE_BINARY_DIR}/cmake/inferConfig.cmake
  INSTALL_DESTINATION ${INFER_INSTALL_CMAKEDIR}
  PATH_VARS INFER_INSTALL_PLUGINDIR CMAKE_INSTALL_BINDIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/cmake/inferConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/cmake/inferConfig.cmake
              ${CMAKE_BINARY_DIR}/cmake/inferConfigVersion.cmake
              cmake/InferPluginSdk.cmake
  DESTINATION ${INFER_INSTALL_CMAKEDIR})

file(RELATIVE_PATH INFER_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(cmake/infer.pc.in ${CMAKE_BINARY_DIR}/cmake/infer.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/cmake/infer.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
