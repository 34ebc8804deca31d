# gan_check_slp_constants(<options target>): when the compiler miscompiles vector
# constants under the project's -march (GCC 12's SLP vectorizer with AVX-512, see
# cmake/gan_slp_constant_check.cpp), adds -fno-tree-slp-vectorize to the project's own
# targets and says so. Users building their own programs with GCC 12 and AVX-512 should
# add the same flag (README, "Compilers").
function(gan_check_slp_constants target)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    return()
  endif()
  set(flags "")
  if(GAN_ARCH)
    set(flags "-march=${GAN_ARCH}")
  endif()
  try_run(run_result compile_result
          ${CMAKE_BINARY_DIR}/gan_slp_check ${PROJECT_SOURCE_DIR}/cmake/gan_slp_constant_check.cpp
          COMPILE_DEFINITIONS -O2 ${flags}
          CXX_STANDARD 20)
  if(compile_result AND NOT run_result EQUAL 0)
    message(STATUS "gan: ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION} miscompiles vector "
                   "constants with ${flags}; adding -fno-tree-slp-vectorize")
    target_compile_options(${target} INTERFACE -fno-tree-slp-vectorize)
    set(GAN_SLP_WORKAROUND ON PARENT_SCOPE)
  endif()
endfunction()
