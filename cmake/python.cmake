# The Python module `cqtcnn` (src/python, docs/python.md): pybind11, for Debian's /usr/bin/python3.
# On by default where pybind11 and that interpreter's headers are found; a build without them skips
# the module with a message. Off under the sanitizers and the fuzzers: a plain python cannot load
# an instrumented module.
if(CQTCNN_SANITIZE OR CQTCNN_FUZZ)
  set(CQTCNN_PYTHON_DEFAULT OFF)
else()
  set(CQTCNN_PYTHON_DEFAULT ON)
endif()
option(CQTCNN_PYTHON "Build the Python module cqtcnn (pybind11-dev, python3-dev)" ${CQTCNN_PYTHON_DEFAULT})
if(NOT CQTCNN_PYTHON)
  return()
endif()

set(Python3_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "The Python the module is built for")
find_package(Python3 COMPONENTS Interpreter Development.Module QUIET)
if(Python3_FOUND)
  find_package(pybind11 2.6 CONFIG QUIET)  # after Python3: pybind11 then uses FindPython's result
endif()
if(NOT Python3_FOUND OR NOT pybind11_FOUND)
  message(STATUS "cqtcnn: skipping the Python module: pybind11 or ${Python3_EXECUTABLE}'s headers not found "
                 "(tools/install-deps.sh installs pybind11-dev and python3-dev)")
  return()
endif()

# A shared module cannot take the library's position-dependent (PIE) code. Without semantic
# interposition the library's functions still inline into each other as in a PIE build.
foreach(target cqtcnn_core cqtcnn_lib cqtcnn_kernels_scalar cqtcnn_kernels_avx2 cqtcnn_kernels_avx512)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_compile_options(${target} PRIVATE -fno-semantic-interposition)
endforeach()

file(GLOB CQTCNN_PYTHON_SOURCES CONFIGURE_DEPENDS src/python/*.cpp)
pybind11_add_module(cqtcnn_python MODULE NO_EXTRAS ${CQTCNN_PYTHON_SOURCES})
set_target_properties(cqtcnn_python PROPERTIES OUTPUT_NAME cqtcnn
                      LIBRARY_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/python)
target_include_directories(cqtcnn_python PRIVATE src)
target_link_libraries(cqtcnn_python PRIVATE cqtcnn_lib nlohmann_json::nlohmann_json)
target_link_options(cqtcnn_python PRIVATE -Wl,--exclude-libs,ALL)  # the library stays private to it

# Under the install prefix, where Debian's python3 looks for it when the prefix is /usr/local
# (/usr/local/lib/python3.11/dist-packages); elsewhere, add the folder to PYTHONPATH.
set(CQTCNN_PYTHON_INSTALL_DIR "lib/python${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}/dist-packages"
    CACHE STRING "Where cmake --install puts the Python module, relative to the prefix")
install(TARGETS cqtcnn_python LIBRARY DESTINATION ${CQTCNN_PYTHON_INSTALL_DIR})

# The module's tests: pytest, one ctest test per file, against the module in the build tree and the
# built cqtcnn. pytest's exit 5 (no tests collected) counts as skipped, not failed. librosa's numba
# code, compiled on its first call (seconds), is cached in the build tree.
if(CQTCNN_BUILD_TESTS)
  execute_process(COMMAND ${Python3_EXECUTABLE} -c "import pytest" RESULT_VARIABLE CQTCNN_NO_PYTEST
                  OUTPUT_QUIET ERROR_QUIET)
  if(CQTCNN_NO_PYTEST)
    message(STATUS "cqtcnn: the Python module's tests need python3-pytest (tools/install-deps.sh)")
  else()
    file(GLOB python_tests CONFIGURE_DEPENDS tests/python/test_*.py)
    foreach(script ${python_tests})
      get_filename_component(name ${script} NAME_WE)
      add_test(NAME python.${name}
               COMMAND ${Python3_EXECUTABLE} -m pytest -q -p no:cacheprovider ${script}
               WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
      set_tests_properties(python.${name} PROPERTIES LABELS python TIMEOUT 300 SKIP_RETURN_CODE 5
        ENVIRONMENT "PYTHONPATH=${CMAKE_CURRENT_BINARY_DIR}/python:${CMAKE_CURRENT_SOURCE_DIR}/tools;CQTCNN=$<TARGET_FILE:cqtcnn>;NUMBA_CACHE_DIR=${CMAKE_CURRENT_BINARY_DIR}/numba-cache")
    endforeach()
  endif()
endif()
