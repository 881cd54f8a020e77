# SPDX-License-Identifier: GPL-3.0-or-later
# `cmake --install build` and `cpack --config build/CPackConfig.cmake -G DEB`.
include(GNUInstallDirs)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/switchyard.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/switchyard.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${PROJECT_SOURCE_DIR}/resources/default-config.json DESTINATION ${CMAKE_INSTALL_DATADIR}/switchyard)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME switchyard)
set(CPACK_PACKAGE_VENDOR "Switchyard developers")
set(CPACK_PACKAGE_CONTACT "Switchyard developers <switchyard@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6")
# The QPSQL driver is loaded only for a log on PostgreSQL (team mode).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libqt6sql6-psql")
set(CPACK_DEBIAN_PACKAGE_LICENSE "GPL-3.0-or-later")
include(CPack)
