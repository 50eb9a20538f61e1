package io.github.camelhpx.testkit;

import java.io.IOException;

/**
 * One link of the chain a proxied direction's bytes go through: the toxics in the order they were given, and
 * the destination socket at the end. A chain is used by one pump thread only, so stages keep plain state.
 */
abstract class ToxicStage {

    private final ToxicStage next;

    ToxicStage(ToxicStage next) {
        this.next = next;
    }

    /** Called once before the first byte is read, so that a toxic at position 0 acts as the connection opens. */
    void start() throws IOException, InterruptedException {
        if (next != null) {
            next.start();
        }
    }

    abstract void write(byte[] b, int off, int len) throws IOException, InterruptedException;

    final void pass(byte[] b, int off, int len) throws IOException, InterruptedException {
        if (len > 0) {
            next.write(b, off, len);
        }
    }
}
