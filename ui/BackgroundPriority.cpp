#include "BackgroundPriority.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

void lowerThisThreadsPriority() {
#ifdef __linux__
    thread_local bool lowered = false;
    if (lowered) return;
    lowered = true;
    // On Linux a thread is a task of its own: PRIO_PROCESS with its id changes this thread's nice value only.
    const int nice = getpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)));
    if (nice < 10) setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 10);
#endif
}
