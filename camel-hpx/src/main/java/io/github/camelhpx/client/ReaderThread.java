package io.github.camelhpx.client;

/** The thread that reads one G2 connection's replies; code that may run on it must never block. */
final class ReaderThread extends Thread {

    ReaderThread(Runnable loop, String name) {
        super(loop, name);
        setDaemon(true);
    }
}
