# Install rules and the Debian package (CPack DEB): `cmake --build build --target package`, or `cpack -G DEB` in the
# build folder. docs/packaging.md describes the layout, how the launchers find LibTorch, and the CUDA build.
#   bin/ftstudio, bin/ftstudio-cli        launchers: find torch, set LD_LIBRARY_PATH, exec the real binary
#   bin/finetune-studio-setup-torch       installs the pinned torch wheel into ~/.cache/finetune-studio/venv
#   lib/finetune-studio/                  the real binaries and the project's own libraries (RUNPATH $ORIGIN only;
#                                         LibTorch is not bundled)
#   share/applications, share/metainfo, share/icons/hicolor, share/doc/finetune-studio (README.md + docs/)
# packaging/test-deb.sh builds the .deb, checks its contents and runs it from an unpacked root (ctest -L package).
include_guard(GLOBAL)

set(FT_APP_ID io.github.finetunestudio.FinetuneStudio)
set(FT_INSTALL_PRIVATE_DIR lib/finetune-studio)
set(FT_INSTALL_DOC_DIR share/doc/finetune-studio)
set(FT_PACKAGE_MAINTAINER "Finetune Studio maintainers <maintainers@finetunestudio.invalid>"
    CACHE STRING "Maintainer field of the .deb")
set(FT_PACKAGE_HOMEPAGE "https://github.com/finetunestudio/finetune-studio" CACHE STRING "Homepage field of the .deb")
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# The torch these binaries were linked against (cmake/FtTorch.cmake): its release is what the setup script pins, and
# its major.minor series is what the launchers accept (LibTorch's C++ ABI changes between minor releases).
string(REGEX MATCH "^[0-9]+\\.[0-9]+\\.[0-9]+" FT_TORCH_PIN "${FT_TORCH_VERSION}")
string(REGEX MATCH "^[0-9]+\\.[0-9]+" FT_TORCH_SERIES "${FT_TORCH_VERSION}")
if("${TORCH_LIBRARIES}" MATCHES "c10_cuda")
    set(FT_TORCH_NEEDS_CUDA 1)  # linked against libtorch_cuda: a CPU-only torch will not load
else()
    set(FT_TORCH_NEEDS_CUDA 0)
endif()

# --- the binaries -------------------------------------------------------------------------------------------------
# Installed binaries and libraries carry one RUNPATH, $ORIGIN, for the project's own shared libraries beside them
# (CMake drops the build tree's on install): the launcher supplies LibTorch and CUDA through LD_LIBRARY_PATH,
# everything else is a Debian package on the default search path.
set(_ft_apps ftstudio-cli)
set(_ft_libs ftcommon ftjinja fthub ftcore)
if(TARGET ftcore_cuda)
    list(APPEND _ft_libs ftcore_cuda)  # loaded by ftcore at run time from its own folder (core/device/cuda_support.h)
endif()
if(TARGET ftstudio)
    list(PREPEND _ft_apps ftstudio)
    list(APPEND _ft_libs ftui)
endif()
set_target_properties(${_ft_apps} ${_ft_libs} PROPERTIES INSTALL_RPATH "$ORIGIN" INSTALL_RPATH_USE_LINK_PATH OFF)
install(TARGETS ${_ft_apps} RUNTIME DESTINATION ${FT_INSTALL_PRIVATE_DIR})
# Private libraries, not for other programs to link: no headers, no development symlinks, mode 644 as Debian wants.
install(TARGETS ${_ft_libs} LIBRARY DESTINATION ${FT_INSTALL_PRIVATE_DIR}
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

foreach(_app IN LISTS _ft_apps)
    set(FT_LAUNCHER_NAME ${_app})
    file(RELATIVE_PATH FT_REAL_BINARY "/usr/bin" "/usr/${FT_INSTALL_PRIVATE_DIR}/${_app}")
    if(_app STREQUAL "ftstudio")
        set(FT_LAUNCHER_GUI 1)
    else()
        set(FT_LAUNCHER_GUI 0)
    endif()
    configure_file(${PROJECT_SOURCE_DIR}/packaging/launcher.sh.in ${PROJECT_BINARY_DIR}/packaging/bin/${_app} @ONLY)
    install(PROGRAMS ${PROJECT_BINARY_DIR}/packaging/bin/${_app} DESTINATION bin)
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/packaging/finetune-studio-setup-torch.in
               ${PROJECT_BINARY_DIR}/packaging/bin/finetune-studio-setup-torch @ONLY)
install(PROGRAMS ${PROJECT_BINARY_DIR}/packaging/bin/finetune-studio-setup-torch DESTINATION bin)

# --- desktop integration ------------------------------------------------------------------------------------------
if(TARGET ftstudio)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/linux/${FT_APP_ID}.desktop DESTINATION share/applications)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/linux/${FT_APP_ID}.metainfo.xml DESTINATION share/metainfo)
    # PNGs rendered from the SVG by packaging/render-icons.sh and committed, so the build needs no SVG renderer.
    foreach(_size 16 22 24 32 48 64 128 256)
        install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/hicolor/${_size}x${_size}/apps/${FT_APP_ID}.png
                DESTINATION share/icons/hicolor/${_size}x${_size}/apps)
    endforeach()
    install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/ftstudio.svg
            DESTINATION share/icons/hicolor/scalable/apps RENAME ${FT_APP_ID}.svg)
endif()

# --- documentation ------------------------------------------------------------------------------------------------
# README.md and docs/ keep their relative layout, so the README's links (docs/screenshots/...) work where installed.
# install(DIRECTORY) looks at docs/ when installing, so guides added after configuring are picked up too.
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${FT_INSTALL_DOC_DIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${FT_INSTALL_DOC_DIR}/docs
        FILES_MATCHING PATTERN "*.md" PATTERN "*.png")

# --- the Debian package -------------------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME finetune-studio)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Finetune Studio")
set(CPACK_PACKAGE_CONTACT "${FT_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "fine-tune language models on your own machine")
set(CPACK_PACKAGE_DESCRIPTION
    "Finetune Studio is a desktop application for fine-tuning large language models
(Llama, Mistral, Qwen, Gemma) on your own computer through a wizard: LoRA,
QLoRA and other methods, a live loss plot, a dataset editor, chat-template,
token and quantization inspectors, and export to PEFT adapters, merged models
and GGUF. ftstudio-cli does the same without a window.

LibTorch is not included: run finetune-studio-setup-torch once to install
the pinned torch==${FT_TORCH_PIN} wheel into ~/.cache/finetune-studio/venv.")
set(CPACK_STRIP_FILES ON)
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # finetune-studio_<version>_<arch>.deb; the DEB generator installs under /usr
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${FT_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${FT_PACKAGE_HOMEPAGE}")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# Declared by hand (dpkg-shlibdeps would stop at LibTorch, which no Debian package provides), as Debian 12 names them:
# what `ldd lib/finetune-studio/ftstudio` resolves outside torch's folder, the xcb platform plugin a window needs, and
# python3 + venv for finetune-studio-setup-torch. The OpenMP runtime (libgomp.so.1) comes with the torch wheel.
# The versions: GLIBC_2.34, GLIBCXX_3.4.30 (GCC 12) and GCC_3.0 are the newest symbol versions the binaries use.
set(_ft_depends "libc6 (>= 2.34)" "libstdc++6 (>= 12)" "libgcc-s1 (>= 3.0)")
if(TARGET ftstudio)
    set(_ft_qt "(>= ${Qt6_VERSION_MAJOR}.${Qt6_VERSION_MINOR})")
    list(APPEND _ft_depends "libqt6core6 ${_ft_qt}" "libqt6gui6 ${_ft_qt}" "libqt6widgets6 ${_ft_qt}"
         "libqt6printsupport6 ${_ft_qt}" "libqt6concurrent6 ${_ft_qt}" qt6-qpa-plugins libqcustomplot2.1-qt6)
    # Qt's own translated strings (Korean UI), the SVG icon engine for the window icon, a dialog for the launcher.
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n, libqt6svg6")
    set(CPACK_DEBIAN_PACKAGE_SUGGESTS "zenity")
endif()
# libcurl4 and libssl3 (libcrypto): Hub downloads (core/hub).
list(APPEND _ft_depends libsentencepiece0 libcurl4 libssl3 "python3 (>= 3.10)" python3-venv)
list(JOIN _ft_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
# No maintainer scripts: dpkg triggers of hicolor-icon-theme and desktop-file-utils refresh the icon and menu caches.

set(CPACK_SOURCE_GENERATOR TXZ)  # the package_source target
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/build[^/]*/" "/\\.cache/" "__pycache__")
set(CPACK_VERBATIM_VARIABLES ON)  # write the values above into CPackConfig.cmake as they are
include(CPack)

# --- the install test ---------------------------------------------------------------------------------------------
if(FT_BUILD_TESTS AND TARGET ftstudio)
    add_test(NAME package_install COMMAND bash ${PROJECT_SOURCE_DIR}/packaging/test-deb.sh ${PROJECT_BINARY_DIR})
    # About 10 s on 2 cores (packing and xz take most); 77: cpack, dpkg-deb or xvfb-run missing (it says which).
    set_tests_properties(package_install PROPERTIES LABELS package TIMEOUT 300 SKIP_RETURN_CODE 77)
endif()
