# ccache for every compile when present; the settings let it reuse precompiled headers.
find_program(FT_CCACHE ccache)
if(FT_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env
        CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
        ${FT_CCACHE})
    set(CMAKE_CUDA_COMPILER_LAUNCHER ${FT_CCACHE})
endif()
