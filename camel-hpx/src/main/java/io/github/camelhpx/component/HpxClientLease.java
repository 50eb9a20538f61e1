package io.github.camelhpx.component;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.camelhpx.client.HpxClient;

/** One user's lease on a shared client. Closing it more than once releases it once. */
final class HpxClientLease implements AutoCloseable {

    private final HpxClient client;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    HpxClientLease(HpxClient client, Runnable release) {
        this.client = client;
        this.release = release;
    }

    HpxClient client() {
        return client;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }
}
