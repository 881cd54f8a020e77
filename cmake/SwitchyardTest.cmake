# SPDX-License-Identifier: GPL-3.0-or-later
# switchyard_add_test(tst_Name SOURCES tests/core/tst_Name.cpp LIBS switchyard_core [TIMEOUT s] [KEYRING]
#                     [PCH carrier])
# Every test runs offscreen with a private XDG_RUNTIME_DIR, so none needs a display. KEYRING runs
# it against a private system keychain (tests/support/with-private-keyring.sh).
function(switchyard_add_test name)
  cmake_parse_arguments(ARG "KEYRING" "TIMEOUT;PCH" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} Qt6::Test)
  target_compile_options(${name} PRIVATE ${SWITCHYARD_WARNINGS})
  if(ARG_PCH)
    target_precompile_headers(${name} REUSE_FROM ${ARG_PCH})
  endif()
  if(ARG_KEYRING)
    add_test(NAME ${name} COMMAND ${PROJECT_SOURCE_DIR}/tests/support/with-private-keyring.sh $<TARGET_FILE:${name}>)
  else()
    add_test(NAME ${name} COMMAND ${name})
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;XDG_RUNTIME_DIR=${CMAKE_BINARY_DIR}/xdg-runtime;SWITCHYARD_BINARY=$<TARGET_FILE:switchyard>")
endfunction()

file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/xdg-runtime)
file(CHMOD ${CMAKE_BINARY_DIR}/xdg-runtime DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
