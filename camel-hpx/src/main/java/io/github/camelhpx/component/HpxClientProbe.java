package io.github.camelhpx.component;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.github.camelhpx.client.HpxClient;

/**
 * The requests the producers' health checks send to one shared client's server, shared by all its producers. Camel
 * runs a round of checks one after another, so each idle producer sending its own would make a readiness probe cost
 * a round trip per producer, or a request timeout per producer while the server does not answer. A probe under way,
 * or one that ended within the last second, answers for them all.
 */
final class HpxClientProbe {

    private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Latest inSession;
    private final Latest welcome;

    HpxClientProbe(HpxClient client) {
        this.inSession = new Latest(() -> client.call("get_version"));
        this.welcome = new Latest(client::reach);
    }

    /**
     * A {@code get_version} (no database work on the server) in the client's session, which it establishes or
     * renews if need be; throws what the call failed with.
     */
    void call() {
        inSession.run();
    }

    /** The server's welcome ({@link HpxClient#reach()}); throws what that failed with. */
    void reach() {
        welcome.run();
    }

    /** One kind of probe: the latest run, shared while it runs and for a second after. */
    private static final class Latest {

        private final Runnable request;
        private CompletableFuture<Void> last;
        private long endedAt;

        Latest(Runnable request) {
            this.request = request;
        }

        void run() {
            CompletableFuture<Void> probe;
            boolean mine = false;
            synchronized (this) {
                if (last == null || last.isDone() && System.nanoTime() - endedAt > FRESH_NANOS) {
                    last = new CompletableFuture<>();
                    mine = true;
                }
                probe = last;
            }
            if (mine) {
                Throwable failure = null;
                try {
                    request.run();
                } catch (Throwable t) {
                    // Any throwable: a probe left incomplete would hold every later check.
                    failure = t;
                }
                synchronized (this) {
                    endedAt = System.nanoTime();
                }
                if (failure == null) {
                    probe.complete(null);
                } else {
                    probe.completeExceptionally(failure);
                }
            }
            try {
                probe.join();
            } catch (CompletionException e) {
                // What the probe threw, to each check: a Runnable throws nothing else.
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) e.getCause();
            }
        }
    }
}
