package org.opencodemcp.connector.link;

import java.time.Duration;

/**
 * A sleep that {@link #wake()} cuts short: links wait between heartbeats and wake at once on close.
 * Only {@link #wake()} means "stop". A thread interrupt is not a stop request here (JSch interrupts
 * threads of its own accord, see {@code RelaySession.reverseForward}): the sleep ends early, the
 * interrupt flag stays set and the caller decides what it means.
 */
final class Pause {

    private boolean woken;

    /** @return true if woken before the time was up; false when the time is up or the thread was interrupted */
    synchronized boolean sleep(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        try {
            while (!woken) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return woken;
        }
        return true;
    }

    synchronized void wake() {
        woken = true;
        notifyAll();
    }

    synchronized boolean woken() {
        return woken;
    }
}
