package io.github.camelhpx.testkit;

/** Where stalls without a duration wait; a release lets go of every stall waiting at that moment. */
final class StallGate {

    private long releases;

    synchronized void await() throws InterruptedException {
        long seen = releases;
        while (releases == seen) {
            wait();
        }
    }

    synchronized void release() {
        releases++;
        notifyAll();
    }
}
