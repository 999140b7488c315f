#pragma once
// The UI thread's responsiveness, for the benchmarks that drive widgets: a 1 ms repeating timer on the UI thread is
// the probe; the gap between two ticks is the longest the UI could not repaint or react to input.

#include <QEventLoop>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

// Gaps between the ticks of a 1 ms timer on the UI thread, per phase.
class Probe : public QObject {
public:
    explicit Probe(bool trace) : m_trace(trace) {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const double gap = double(now - m_last) / 1e6;
            m_last = now;
            m_gaps.push_back(gap);
            if (m_trace && gap > 20.0) std::printf("    [trace] %8.1f ms: blocked %.1f ms\n", double(now) / 1e6, gap);
        });
    }

    void begin(const char* phase) {
        m_phase = phase;
        m_gaps.clear();
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }

    // Prints the phase's line; returns its longest block in ms.
    double end() {
        m_timer.stop();
        const double wall = double(m_clock.nsecsElapsed()) / 1e6;
        const double last = wall - double(m_last) / 1e6;  // the time since the last tick counts as a gap too
        m_gaps.push_back(last);
        std::vector<double> sorted = m_gaps;
        std::sort(sorted.begin(), sorted.end());
        const double longest = sorted.back();
        const double p99 = sorted[std::min(sorted.size() - 1, size_t(0.99 * double(sorted.size())))];
        std::printf("%-15s %8.0f ms wall %8zu ticks   longest block %7.1f ms   p99 gap %5.1f ms\n", m_phase, wall,
                    m_gaps.size() - 1, longest, p99);
        std::fflush(stdout);
        return longest;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    std::vector<double> m_gaps;
    const char* m_phase = "";
    bool m_trace;
};

// Runs the event loop until `done` holds or `timeoutMs` passes.
bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    if (done()) return true;
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done()) loop.quit();
    });
    poll.start(5);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return done();
}

} // namespace
