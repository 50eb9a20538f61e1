package io.github.camelhpx.testkit;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Passes bytes in slices of about 1/50 s worth, each at its scheduled time. Idle time earns no credit, so a
 * burst after a pause is limited too.
 */
final class BandwidthStage extends ToxicStage {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final long bytesPerSecond;
    private final int slice;
    private long nextSliceAt = Long.MIN_VALUE;

    BandwidthStage(long bytesPerSecond, ToxicStage next) {
        super(next);
        this.bytesPerSecond = bytesPerSecond;
        this.slice = (int) Math.max(1, Math.min(64 * 1024, bytesPerSecond / 50));
    }

    @Override
    void write(byte[] b, int off, int len) throws IOException, InterruptedException {
        int end = off + len;
        for (int at = off; at < end; at += slice) {
            int n = Math.min(slice, end - at);
            long now = System.nanoTime();
            if (nextSliceAt == Long.MIN_VALUE || nextSliceAt - now < 0) {
                nextSliceAt = now;
            }
            TimeUnit.NANOSECONDS.sleep(nextSliceAt - now);
            pass(b, at, n);
            nextSliceAt += n * SECOND / bytesPerSecond;
        }
    }
}
