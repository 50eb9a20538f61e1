package io.github.camelhpx.client.internal;

/**
 * G1 framing: splits a byte stream into frames at the first {@code <EOF>} after each frame's start.
 * <p>
 * Every byte is examined once: the scan position and the length of a partly matched delimiter survive between
 * reads, so a delimiter split across reads is still found and a large frame costs time linear in its size.
 */
public final class FrameDecoder extends FrameBuffer {

    private int scanned;
    private int matched;

    FrameDecoder(long maxFrameSize) {
        super(maxFrameSize);
    }

    @Override
    protected int scan() {
        byte[] buf = buffer;
        int m = matched;
        for (int i = scanned; i < limit; i++) {
            byte b = buf[i];
            if (b == DELIMITER[m]) {
                if (++m == DELIMITER.length) {
                    if ((long) i + 1 - DELIMITER.length - frameStart > maxFrameSize) {
                        // The whole frame came in the read that ended it: checked here as a frame still coming is.
                        throw tooBig();
                    }
                    matched = 0;
                    scanned = i + 1;
                    return i + 1;
                }
            } else {
                // '<' occurs only at the delimiter's start, so a mismatch restarts at 0 or 1.
                m = b == '<' ? 1 : 0;
            }
        }
        matched = m;
        scanned = limit;
        long payloadSoFar = (long) scanned - frameStart - matched;
        if (payloadSoFar > maxFrameSize) {
            throw tooBig();
        }
        return -1;
    }

    @Override
    protected void frameTaken() {
        // scanned already sits at the next frame's start.
    }

    @Override
    protected void shifted(int shift) {
        scanned -= shift;
    }
}
