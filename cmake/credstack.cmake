# Helper functions that keep every module's CMakeLists.txt short and uniform.

set(CREDSTACK_WARNINGS -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
if(CREDSTACK_WERROR)
  list(APPEND CREDSTACK_WARNINGS -Werror)
endif()

# credstack_library(<module> SRCS ... HDRS ... DEPS ...)
# Creates target credstack_<module>. HDRS are the public headers; each one is
# compiled on its own in a generated translation unit so that it stays
# self-contained (include what you use).
function(credstack_library module)
  cmake_parse_arguments(ARG "" "" "SRCS;HDRS;DEPS" ${ARGN})
  set(target credstack_${module})
  if(ARG_SRCS)
    add_library(${target} STATIC ${ARG_SRCS})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${target} PUBLIC ${ARG_DEPS})
    target_compile_options(${target} PRIVATE ${CREDSTACK_WARNINGS})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${target} INTERFACE ${ARG_DEPS})
  endif()
  if(ARG_HDRS AND CREDSTACK_BUILD_TESTS AND CREDSTACK_HEADER_CHECKS)
    set(gen_srcs)
    foreach(hdr ${ARG_HDRS})
      file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR}/src ${CMAKE_CURRENT_SOURCE_DIR}/${hdr})
      string(MAKE_C_IDENTIFIER ${rel} ident)
      set(gen ${CMAKE_CURRENT_BINARY_DIR}/hdrcheck/${ident}.cc)
      file(CONFIGURE OUTPUT ${gen} CONTENT "#include \"${rel}\"  // must compile on its own\n")
      list(APPEND gen_srcs ${gen})
    endforeach()
    add_library(${target}_header_check OBJECT ${gen_srcs})
    target_link_libraries(${target}_header_check PRIVATE ${target})
    target_compile_options(${target}_header_check PRIVATE ${CREDSTACK_WARNINGS})
  endif()
endfunction()

# credstack_test(<name> SRCS ... DEPS ... [LABELS ...])
# One GoogleTest binary per module, registered with ctest as one test so that
# the run stays quick; `ctest -V` shows each gtest case.
function(credstack_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;LABELS" ${ARGN})
  if(NOT CREDSTACK_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_options(${name} PRIVATE ${CREDSTACK_WARNINGS})
  target_compile_definitions(${name} PRIVATE
      CREDSTACK_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
      CREDSTACK_CONFORMANCE_DIR="${PROJECT_SOURCE_DIR}/../shared/conformance")
  add_test(NAME ${name} COMMAND ${name} --gtest_brief=1)
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  if("unit" IN_LIST ARG_LABELS)
    set_property(GLOBAL APPEND PROPERTY CREDSTACK_UNIT_TEST_TARGETS ${name})
  endif()
endfunction()

# credstack_benchmark(<name> SRCS ... DEPS ...)
function(credstack_benchmark name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  if(NOT CREDSTACK_BUILD_BENCHMARKS)
    return()
  endif()
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark benchmark::benchmark_main)
  target_compile_definitions(${name} PRIVATE
      CREDSTACK_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
      CREDSTACK_CONFORMANCE_DIR="${PROJECT_SOURCE_DIR}/../shared/conformance")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endfunction()

# credstack_fuzzer(<name> SRCS ... DEPS ...)
# With CREDSTACK_BUILD_FUZZERS (clang) builds a libFuzzer binary; with tests on
# it also builds <name>_replay, an ordinary test that runs the target over its
# corpus in fuzz/corpus/<name>/ (works with GCC).
function(credstack_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  if(CREDSTACK_BUILD_FUZZERS)
    add_executable(${name} ${ARG_SRCS})
    target_link_libraries(${name} PRIVATE ${ARG_DEPS})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  endif()
  if(CREDSTACK_BUILD_TESTS)
    add_executable(${name}_replay ${ARG_SRCS} ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cc)
    target_link_libraries(${name}_replay PRIVATE ${ARG_DEPS})
    target_compile_options(${name}_replay PRIVATE ${CREDSTACK_WARNINGS})
    add_test(NAME ${name}_replay COMMAND ${name}_replay ${PROJECT_SOURCE_DIR}/fuzz/corpus/${name})
    set_tests_properties(${name}_replay PROPERTIES LABELS "unit;fuzz")
    set_property(GLOBAL APPEND PROPERTY CREDSTACK_UNIT_TEST_TARGETS ${name}_replay)
  endif()
endfunction()

# credstack_embed(<out_var> HEADER <include> NAMESPACE <ns> SYMBOL <name> ENTRIES "<key>|<path>" ...)
# Adds a build step that compiles the files into a generated source whose
# path is stored in <out_var>. The header declares `struct EmbeddedFile
# { std::string_view key, file, body; }` and the extern table.
function(credstack_embed out_var)
  cmake_parse_arguments(ARG "" "HEADER;NAMESPACE;SYMBOL" "ENTRIES" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${ARG_SYMBOL}.cc)
  set(deps)
  foreach(entry ${ARG_ENTRIES})
    string(FIND "${entry}" "|" bar)
    math(EXPR start "${bar} + 1")
    string(SUBSTRING "${entry}" ${start} -1 path)
    list(APPEND deps ${path})
  endforeach()
  # The entry list goes through a file: semicolons do not survive the
  # custom command's argument quoting.
  set(list_file ${CMAKE_CURRENT_BINARY_DIR}/${ARG_SYMBOL}.entries)
  string(REPLACE ";" "\n" entries_text "${ARG_ENTRIES}")
  file(CONFIGURE OUTPUT ${list_file} CONTENT "${entries_text}\n")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DHEADER=${ARG_HEADER} -DNAMESPACE=${ARG_NAMESPACE}
            -DSYMBOL=${ARG_SYMBOL} -DENTRIES_FILE=${list_file}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${deps} ${list_file} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${ARG_SYMBOL}"
    VERBATIM)
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
