# Installation and the Debian package (`cpack -G DEB` in a build folder; included from the root
# CMakeLists.txt after every subdirectory). The package holds the helper as /usr/bin/sieve, where
# the Zotero extension finds it on PATH when no helper is set in its preferences, and the
# extension itself as /usr/share/sieve/sieve.xpi, to install from Zotero (plugin-js/README.md).
# The ctest `package.deb` builds the package and runs the helper out of it.
include(GNUInstallDirs)

install(TARGETS sieve RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT sieve)
if(TARGET sieve_xpi)
  install(FILES "${PROJECT_BINARY_DIR}/plugin-js/sieve.xpi"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/sieve" COMPONENT sieve)
endif()

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "sieve")
set(CPACK_PACKAGE_VENDOR "Sieve")
set(CPACK_PACKAGE_CONTACT "Sieve developers <sieve@sieve.invalid>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/sieve/sieve")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # sieve_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Triage a Zotero library by topic and relevance
 sieve serve answers the Sieve extension for Zotero 7 to 10 over loopback HTTP: for every
 paper a verdict (relevant, application or irrelevant), topic tags and a note explaining
 the judgment. The extension (/usr/share/sieve/sieve.xpi) starts it when needed.")
# The Depends line from the libraries the helper links (dpkg-shlibdeps, package dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)

include(CPack)

if(SIEVE_BUILD_TESTS)
  add_test(NAME package.deb
    COMMAND "${CMAKE_COMMAND}" "-DBUILD_DIR=${PROJECT_BINARY_DIR}" "-DVERSION=${PROJECT_VERSION}"
            -P "${PROJECT_SOURCE_DIR}/cmake/test_deb.cmake")
  set_tests_properties(package.deb PROPERTIES TIMEOUT 300 LABELS package)
endif()
