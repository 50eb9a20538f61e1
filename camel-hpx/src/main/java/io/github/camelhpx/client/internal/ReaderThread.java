package io.github.camelhpx.client.internal;

/** The thread that reads one G2 connection's replies; code that may run on it must never block. */
public final class ReaderThread extends Thread {

    ReaderThread(Runnable loop, String name) {
        super(loop, name);
        setDaemon(true);
    }
}
