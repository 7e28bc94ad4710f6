# Project-wide build settings applied per target (never globally), so that each layer's target
# states its own warnings and dependencies.

# conlab_defaults(TARGET): warnings and source-path mapping for one of our targets.
function(conlab_defaults target)
  # -Wno-missing-field-initializers: designated initializers leave defaulted members out on
  # purpose. -Wno-sign-conversion: ids and sizes mix widths everywhere; -Wconversion stays on.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion -Wno-missing-field-initializers)
  if(CONLAB_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(CMAKE_UNITY_BUILD AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # A unity batch #includes the .cpp files, so g++ takes the anonymous-namespace types of
    # every file but the first for a header's and warns when a coroutine frame holds one: an
    # ODR hazard of headers that a .cpp included once does not have.
    target_compile_options(${target} PRIVATE -Wno-subobject-linkage)
  endif()
  # Source locations in reports are relative to the repository root: stable across machines,
  # so golden outputs compare.
  target_compile_options(${target} PRIVATE "-ffile-prefix-map=${PROJECT_SOURCE_DIR}/=")
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # clang++ records a translation unit's own file relative to the compilation directory (the
    # build folder, which the map turns into "build/<preset>/"): debuggers and symbolizers then
    # name "build/<preset>/scenarios/x.cpp". Recording "." makes it "./scenarios/x.cpp", which
    # the tool-output parsers read as "scenarios/x.cpp", as g++ builds print it.
    target_compile_options(${target} PRIVATE "-fdebug-compilation-dir=.")
  endif()
endfunction()

if(CONLAB_SANITIZER)
  # Applied to everything, dependencies' headers included, as sanitizers require.
  add_compile_options(-fsanitize=${CONLAB_SANITIZER} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${CONLAB_SANITIZER})
endif()
