# LibTorch comes from the pinned PyPI torch wheel in the project's virtual environment
# (packaging/setup.sh). CMake finds it through torch.utils.cmake_prefix_path of that interpreter.
set(FT_PYTHON "" CACHE FILEPATH "Python interpreter of the virtual environment that holds torch")
if(NOT FT_PYTHON AND DEFINED ENV{FT_VENV})
    set(FT_PYTHON "$ENV{FT_VENV}/bin/python")
endif()
if(NOT FT_PYTHON)
    set(FT_PYTHON "$ENV{HOME}/.cache/finetune-studio/venv/bin/python")
endif()
if(NOT EXISTS "${FT_PYTHON}")
    message(FATAL_ERROR "No Python with torch at ${FT_PYTHON}. Run packaging/setup.sh first, "
                        "or pass -DFT_PYTHON=/path/to/venv/bin/python.")
endif()
execute_process(
    COMMAND "${FT_PYTHON}" -c "import torch, torch.utils; print(torch.utils.cmake_prefix_path); print(torch.__version__)"
    OUTPUT_VARIABLE _ft_torch_out OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE _ft_torch_rc ERROR_QUIET)
if(NOT _ft_torch_rc EQUAL 0)
    message(FATAL_ERROR "${FT_PYTHON} cannot import torch. Run packaging/setup.sh to install the pinned wheel.")
endif()
string(REPLACE "\n" ";" _ft_torch_out "${_ft_torch_out}")
list(GET _ft_torch_out 0 FT_TORCH_PREFIX)
list(GET _ft_torch_out 1 FT_TORCH_VERSION)
message(STATUS "Torch ${FT_TORCH_VERSION} from ${FT_TORCH_PREFIX}")
list(APPEND CMAKE_PREFIX_PATH "${FT_TORCH_PREFIX}")

# The CUDA wheel's CMake config looks for the CUDA toolkit; without one we still build (CPU kernels only).
find_package(CUDAToolkit QUIET)
# Name the GPU architectures (H100/H200: sm_90) so Caffe2's config does not try to run a CUDA probe.
if(NOT DEFINED ENV{TORCH_CUDA_ARCH_LIST})
    set(ENV{TORCH_CUDA_ARCH_LIST} "9.0")
endif()
find_package(Torch REQUIRED)
set(FT_HAVE_CUDA ${CUDAToolkit_FOUND})
