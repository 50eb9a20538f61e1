package io.github.camelhpx.testkit;

import java.io.IOException;

/** Passes every byte on its own, so the receiver has to reassemble frames from 1-byte reads. */
final class ByteByByteStage extends ToxicStage {

    ByteByByteStage(ToxicStage next) {
        super(next);
    }

    @Override
    void write(byte[] b, int off, int len) throws IOException, InterruptedException {
        for (int i = off; i < off + len; i++) {
            pass(b, i, 1);
        }
    }
}
