# gradscope_version.h: the project version and, when the source tree is a git checkout, its
# revision ("0.2.0", "cde8d4b"), generated at configure time. The configuration re-runs when
# HEAD moves, so `gradscope --version` names the commit it was built from.
set(GRADSCOPE_GIT_REVISION "")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --show-toplevel
                  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                  OUTPUT_VARIABLE _gs_toplevel OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE _gs_result ERROR_QUIET)
  # Only our own checkout: a source tarball unpacked inside another repository has no revision.
  if(_gs_result EQUAL 0 AND _gs_toplevel)
    file(REAL_PATH "${_gs_toplevel}" _gs_toplevel)
    file(REAL_PATH "${PROJECT_SOURCE_DIR}" _gs_source)
  endif()
  if(_gs_result EQUAL 0 AND _gs_toplevel STREQUAL _gs_source)
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=7 HEAD
                    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                    OUTPUT_VARIABLE GRADSCOPE_GIT_REVISION OUTPUT_STRIP_TRAILING_WHITESPACE
                    ERROR_QUIET)
    # Re-configure when HEAD or the branch it names moves.
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --path-format=absolute --git-path HEAD
                            --git-path packed-refs
                    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                    OUTPUT_VARIABLE _gs_watch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    execute_process(COMMAND ${GIT_EXECUTABLE} symbolic-ref -q HEAD
                    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                    OUTPUT_VARIABLE _gs_ref OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(_gs_ref)
      execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --path-format=absolute --git-path ${_gs_ref}
                      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                      OUTPUT_VARIABLE _gs_ref_file OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      string(APPEND _gs_watch "\n${_gs_ref_file}")
    endif()
    string(REPLACE "\n" ";" _gs_watch "${_gs_watch}")
    foreach(_gs_file IN LISTS _gs_watch)
      if(EXISTS "${_gs_file}")
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_gs_file}")
      endif()
    endforeach()
  endif()
endif()

configure_file(${CMAKE_CURRENT_LIST_DIR}/gradscope_version.h.in
               ${PROJECT_BINARY_DIR}/generated/gradscope_version.h @ONLY)
add_library(gradscope_version INTERFACE)
target_include_directories(gradscope_version INTERFACE ${PROJECT_BINARY_DIR}/generated)
