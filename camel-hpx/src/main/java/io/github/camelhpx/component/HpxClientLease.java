package io.github.camelhpx.component;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.camelhpx.client.HpxClient;

/** One user's lease on a shared client. Closing it more than once releases it once. */
final class HpxClientLease implements AutoCloseable {

    private final HpxClient client;
    private final HpxClientProbe probe;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    HpxClientLease(HpxClient client, HpxClientProbe probe, Runnable release) {
        this.client = client;
        this.probe = probe;
        this.release = release;
    }

    HpxClient client() {
        return client;
    }

    /** The health checks' probes of the client's server, shared by every lease on the client. */
    HpxClientProbe probe() {
        return probe;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }
}
