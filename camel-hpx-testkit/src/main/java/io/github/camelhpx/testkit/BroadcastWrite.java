package io.github.camelhpx.testkit;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/** How a connection of either generation writes a broadcast frame between its replies. */
final class BroadcastWrite {

    /** Writes one frame; the generations encode it differently. */
    @FunctionalInterface
    interface FrameWrite {
        void write() throws IOException;
    }

    private BroadcastWrite() {
    }

    /**
     * Runs {@code write} under the connection's write lock, so that it never interleaves with a reply; skips it if
     * the lock is not had within 500 ms, and closes the connection if the write fails.
     */
    static void underLock(ReentrantLock writeLock, FrameWrite write, ClientConnection connection) {
        try {
            // a client that stopped reading must not block a restart for ever
            if (!writeLock.tryLock(500, TimeUnit.MILLISECONDS)) {
                return;
            }
            try {
                write.write();
            } finally {
                writeLock.unlock();
            }
        } catch (IOException e) {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
