package io.github.camelhpx.testkit;

import java.io.IOException;

/**
 * Passes bytes on and acts once, exactly when the stream has passed {@code position} bytes: a chunk that
 * straddles the position is split around the action.
 */
final class AtPositionStage extends ToxicStage {

    /** What happens at the position; it may pass bytes of its own through {@code stage}. */
    @FunctionalInterface
    interface Action {
        void fire(AtPositionStage stage) throws IOException, InterruptedException;
    }

    private final long position;
    private final Action action;
    private long passed;
    private boolean fired;

    AtPositionStage(long position, Action action, ToxicStage next) {
        super(next);
        this.position = position;
        this.action = action;
    }

    @Override
    void start() throws IOException, InterruptedException {
        super.start();
        if (position == 0) {
            fire();
        }
    }

    @Override
    void write(byte[] b, int off, int len) throws IOException, InterruptedException {
        if (!fired && passed + len >= position) {
            int before = (int) (position - passed);
            pass(b, off, before);
            passed += before;
            fire();
            off += before;
            len -= before;
        }
        pass(b, off, len);
        passed += len;
    }

    private void fire() throws IOException, InterruptedException {
        fired = true;
        action.fire(this);
    }
}
