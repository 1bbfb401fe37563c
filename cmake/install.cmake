# SPDX-License-Identifier: Apache-2.0
# `cmake --install build [--prefix P]`: the binaries, the bundled models and samples, the
# docs and man pages made from --help; `cpack -G DEB` (in build/) makes
# cordon_VERSION_amd64.deb with its Debian dependencies found by dpkg-shlibdeps.
include(GNUInstallDirs)

install(TARGETS cordon RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(CORDON_BUILD_VIEWER)
  install(TARGETS cordon-viewer RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
# The models are also built into the binary; the files are what users copy and edit.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/models/ DESTINATION ${CMAKE_INSTALL_DATADIR}/cordon/models)
# Samples without generated data (the demo county is made by `cordon generate`).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/samples/ DESTINATION ${CMAKE_INSTALL_DATADIR}/cordon/samples
        PATTERN "*.gpkg" EXCLUDE)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Man pages from --help, so they never disagree with the program.
set(cordon_man ${PROJECT_BINARY_DIR}/man/cordon.1)
add_custom_command(
  OUTPUT ${cordon_man}
  COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:cordon> -DNAME=cordon -DVERSION=${PROJECT_VERSION}
          -DOUT=${cordon_man}
          -DSUBCOMMANDS=run,generate,derive,sweep,merge,compare,optimize,render,calibrate
          -P ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
  DEPENDS cordon ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
  COMMENT "man page cordon.1 from --help"
  VERBATIM)
set(cordon_pages ${cordon_man})
if(CORDON_BUILD_VIEWER)
  set(viewer_man ${PROJECT_BINARY_DIR}/man/cordon-viewer.1)
  add_custom_command(
    OUTPUT ${viewer_man}
    COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:cordon-viewer> -DNAME=cordon-viewer
            -DVERSION=${PROJECT_VERSION} -DOUT=${viewer_man}
            -P ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
    DEPENDS cordon-viewer ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
    COMMENT "man page cordon-viewer.1 from --help"
    VERBATIM)
  list(APPEND cordon_pages ${viewer_man})
endif()
add_custom_target(man_pages ALL DEPENDS ${cordon_pages})
install(FILES ${cordon_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cordon)
set(CPACK_PACKAGE_VENDOR "cordon")
set(CPACK_PACKAGE_CONTACT "cordon developers <cordon@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Geographic simulation of epidemic checkpoints and isolation at county scale")
set(CPACK_PACKAGE_INSTALL_DIRECTORY cordon)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # cordon_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # the libraries the binaries link, as Debian names them
# Programs cordon runs: ffmpeg (render's video), ogrinfo/ogr2ogr users reach for; a CJK font,
# without which a clean Debian draws Chinese place names as boxes (DejaVu, which Pango pulls
# in, covers Latin and Vietnamese).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "ffmpeg, gdal-bin, fonts-wqy-microhei | fonts-noto-cjk")
# The Python package (`import cordon`, when built) loads in the Python it was built for and
# reads tables with pandas; daily.nc with xarray, imported when used.
if(TARGET _cordon)
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "${CORDON_DEB_PYTHON}")
endif()
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3-xarray, python3-matplotlib")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
