package io.github.camelhpx.testkit;

import java.io.IOException;
import java.io.OutputStream;

/** The end of a chain: the destination socket's stream (unbuffered, so every write is sent at once). */
final class SocketSink extends ToxicStage {

    private final OutputStream out;

    SocketSink(OutputStream out) {
        super(null);
        this.out = out;
    }

    @Override
    void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        out.flush();
    }
}
