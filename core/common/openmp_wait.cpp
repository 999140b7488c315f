#include "core/common/openmp_wait.h"

#include <cstdlib>
#include <unistd.h>

namespace ft {

void restartWithPassiveOpenMpWait(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY")) return;
    setenv("OMP_WAIT_POLICY", "passive", 1);
    execv("/proc/self/exe", argv);  // only returns on failure
}

} // namespace ft
