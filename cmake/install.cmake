# The installed C++ library (docs/building.md, "The installed library"): libcqtcnn.a, the public
# headers of include/cqtcnn/, a CMake package (find_package(cqtcnn) -> cqtcnn::cqtcnn) and a
# pkg-config file (cqtcnn.pc). FFTW, libsndfile and libsoxr are opened at run time
# (src/io/shared_library.hpp), so a program that links the library needs only libdl and threads.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS cqtcnn_lib EXPORT cqtcnnTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/cqtcnn DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(CQTCNN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/cqtcnn)
install(EXPORT cqtcnnTargets NAMESPACE cqtcnn:: DESTINATION ${CQTCNN_CMAKE_DIR})
configure_package_config_file(cmake/cqtcnnConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/cqtcnnConfig.cmake
                              INSTALL_DESTINATION ${CQTCNN_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/cqtcnnConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cqtcnnConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/cqtcnnConfigVersion.cmake
        DESTINATION ${CQTCNN_CMAKE_DIR})

# The .pc file finds the prefix from where it lies, so that `cmake --install --prefix P` works
# for any P chosen after configuring.
file(RELATIVE_PATH CQTCNN_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(cmake/cqtcnn.pc.in ${CMAKE_CURRENT_BINARY_DIR}/cqtcnn.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cqtcnn.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
