package io.github.camelhpx.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Holds every chunk back before passing it on. The pump does not read while it waits, so on a streaming
 * connection the delays add up (a request/reply exchange sees each delay once).
 */
final class LatencyStage extends ToxicStage {

    private final long delayNanos;
    private final long jitterNanos;

    LatencyStage(Duration delay, Duration jitter, ToxicStage next) {
        super(next);
        this.delayNanos = delay.toNanos();
        this.jitterNanos = jitter.toNanos();
    }

    @Override
    void write(byte[] b, int off, int len) throws IOException, InterruptedException {
        long jitter = jitterNanos == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitterNanos + 1);
        TimeUnit.NANOSECONDS.sleep(delayNanos + jitter);
        pass(b, off, len);
    }
}
