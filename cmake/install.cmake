# Installing conlab: headers, the harness's libraries, the renderers and the conlab command, with a
# package config so that another project writes
#   find_package(conlab REQUIRED)
#   target_link_libraries(my_tests PRIVATE conlab::gtest)
# (docs/api.md). What is installed holds real object code: with link-time optimisation on, g++'s
# objects are made fat (-ffat-lto-objects), so a consumer links them with any compiler.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(conlab_installed conlab_core conlab_trace conlab_scheduler conlab_detect conlab_runtime conlab_sync conlab_loop
                     conlab_explore conlab_reports conlab_gtest)
set_target_properties(conlab_reports PROPERTIES EXPORT_NAME reports)
add_library(conlab::reports ALIAS conlab_reports)

if(CMAKE_INTERPROCEDURAL_OPTIMIZATION AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  foreach(t IN LISTS conlab_installed)
    get_target_property(type ${t} TYPE)
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      target_compile_options(${t} PRIVATE -ffat-lto-objects)
    endif()
  endforeach()
endif()

install(TARGETS ${conlab_installed} EXPORT conlabTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/conlab)
install(TARGETS conlab RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# What a learner's exercise links (conlab exercise check): the command line and the catalog
# besides the harness, and the recipe that names them (harness/cli/CMakeLists.txt).
install(TARGETS conlab_cli conlab_scenarios conlab_report_folder conlab_native ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_BINARY_DIR}/installed/exercise-recipe.txt DESTINATION ${CMAKE_INSTALL_DATADIR}/conlab)
foreach(dir core trace scheduler detect runtime sync loop explore gtest)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/harness/${dir} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/conlab/harness
          FILES_MATCHING PATTERN "*.h" PATTERN "*.inc")
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/harness/lab.h ${PROJECT_SOURCE_DIR}/harness/exercise.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/conlab/harness)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/reports/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/conlab/reports
        FILES_MATCHING PATTERN "*.h" PATTERN "schema" EXCLUDE)
install(EXPORT conlabTargets NAMESPACE conlab:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/conlab)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/conlabConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/conlabConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/conlab)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/conlabConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/conlabConfig.cmake ${PROJECT_BINARY_DIR}/conlabConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/conlab)
