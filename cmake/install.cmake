# What `cmake --install` puts where (GNUInstallDirs), and the Debian package built from the
# same rules by CPack (scripts/package). At run time the executable finds its data as
# ../share/gradscope relative to itself (src/train/asset_paths.h), so an installed tree can
# be moved anywhere.
include(GNUInstallDirs)
set(GRADSCOPE_APP_ID io.github.gradscope.Gradscope)
set(GRADSCOPE_DESKTOP_DIR ${PROJECT_SOURCE_DIR}/assets/desktop)

install(TARGETS gradscope RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Everything read at run time: lesson presets, lesson texts, translations. (Shaders are
# compiled in; fonts come from the system's fonts-dejavu-core and fonts-nanum.)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/presets ${PROJECT_SOURCE_DIR}/assets/lessons
                  ${PROJECT_SOURCE_DIR}/assets/i18n
        DESTINATION ${CMAKE_INSTALL_DATADIR}/gradscope)

# The Python package (gradscope.watch): pure Python, where Debian's python3 finds it under /usr.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/python/gradscope DESTINATION ${GRADSCOPE_PYTHON_INSTALL_DIR}
        FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)

# Desktop integration: menu entry, icon (SVG and the PNG sizes rendered by scripts/icons),
# AppStream metadata, manual page. The version comes from project().
install(FILES ${GRADSCOPE_DESKTOP_DIR}/${GRADSCOPE_APP_ID}.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${GRADSCOPE_DESKTOP_DIR}/${GRADSCOPE_APP_ID}.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
foreach(size 16 22 24 32 48 64 128 256)
  install(FILES ${GRADSCOPE_DESKTOP_DIR}/icons/${size}.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
          RENAME ${GRADSCOPE_APP_ID}.png)
endforeach()
configure_file(${GRADSCOPE_DESKTOP_DIR}/${GRADSCOPE_APP_ID}.metainfo.xml.in
               ${PROJECT_BINARY_DIR}/generated/${GRADSCOPE_APP_ID}.metainfo.xml @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/generated/${GRADSCOPE_APP_ID}.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
configure_file(${PROJECT_SOURCE_DIR}/docs/gradscope.1.in ${PROJECT_BINARY_DIR}/generated/gradscope.1 @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/generated/gradscope.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# The Debian package. Library dependencies come from dpkg-shlibdeps; GLFW loads libGL at run
# time and the fonts are read by path, so those are named here.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gradscope)
set(CPACK_PACKAGE_VENDOR "The gradscope developers")
set(CPACK_PACKAGE_CONTACT "The gradscope developers <gradscope@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "watch gradients vanish while a neural network trains")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "gradscope trains small neural networks live and shows per-layer gradient norms,\n\
dead ReLU units, decision boundaries and activation histograms, with lessons in\n\
English and Korean on vanishing gradients, the dying ReLU, sparsity,\n\
initialization and optimizers. `gradscope train` runs the same training headless.")
set(CPACK_PACKAGE_HOMEPAGE_URL https://github.com/gradscope/gradscope)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libgl1, fonts-dejavu-core, fonts-nanum")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
include(CPack)
