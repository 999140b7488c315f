#pragma once
// Workers of the UI (the dataset editor's loads, checks, searches and saves) run at a lower priority than the UI
// thread: on a machine with two cores, two busy workers otherwise take the UI thread's turn for tens of milliseconds
// at a time, and the window stutters although it has nothing heavy to do.

// Lowers the calling thread's priority (Linux: nice 10 for this thread only); once per thread, cheap afterwards.
void lowerThisThreadsPriority();
