package io.github.camelhpx.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Passes bytes on unchanged and copies those at positions {@code [from, from + length)} into {@code copy}. */
final class RecorderStage extends ToxicStage {

    private final long from;
    private final long to;
    private final ByteArrayOutputStream copy;
    private long passed;

    RecorderStage(long from, long length, ByteArrayOutputStream copy, ToxicStage next) {
        super(next);
        this.copy = copy;
        this.from = from;
        this.to = from + length;
    }

    @Override
    void write(byte[] b, int off, int len) throws IOException, InterruptedException {
        long start = Math.max(from, passed);
        long end = Math.min(to, passed + len);
        if (start < end) {
            copy.write(b, off + (int) (start - passed), (int) (end - start));
        }
        passed += len;
        pass(b, off, len);
    }
}
