#pragma once
// LibTorch's intra-op threads (OpenMP) spin while they wait for work. In the desktop app two pools can be busy at
// once (a tool's worker beside the trainer) on few cores, and spinning threads then starve the UI thread for up to
// a second. libgomp reads OMP_WAIT_POLICY once, when it is loaded (before main), so the app restarts itself once
// with "passive" set, unless the user chose a policy. The CLI keeps the default: alone, spinning is faster.

namespace ft {

// Call first thing in main. Returns only if no restart was needed (or execv failed: then it goes on as it is).
void restartWithPassiveOpenMpWait(char** argv);

} // namespace ft
