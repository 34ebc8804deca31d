# Builds and runs the consumer project, either against the installed package
# (MODE=find_package: installs GAN_BUILD into PREFIX first) or against the source tree
# (MODE=add_subdirectory).
file(REMOVE_RECURSE ${WORK})
if(MODE STREQUAL "find_package")
  file(REMOVE_RECURSE ${PREFIX})
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${GAN_BUILD} --prefix ${PREFIX}
                  RESULT_VARIABLE rc OUTPUT_QUIET)
  if(rc)
    message(FATAL_ERROR "installing gan into ${PREFIX} failed")
  endif()
  set(configure_args -DCMAKE_PREFIX_PATH=${PREFIX})
else()
  set(configure_args -DGAN_SOURCE=${GAN_SOURCE})
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR}/${MODE} -B ${WORK}
                        -DCMAKE_BUILD_TYPE=Release ${configure_args}
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the ${MODE} consumer failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK} -j 2 RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the ${MODE} consumer failed")
endif()
execute_process(COMMAND ${WORK}/consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "${out}")
if(rc OR NOT out MATCHES "consumer ok")
  message(FATAL_ERROR "the ${MODE} consumer did not run: ${rc} ${out}")
endif()
