package org.opencodemcp.connector.link;

import java.time.Duration;

/** A sleep that {@link #wake()} cuts short: links wait between heartbeats and wake at once on close. */
final class Pause {

    private boolean woken;

    /** @return true if woken before the time was up */
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
            woken = true;
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
