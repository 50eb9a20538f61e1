package io.github.camelhpx.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/** Copies one direction of a proxied connection through its toxic chain, and passes a half-close on. */
final class Pump implements Runnable {

    private static final int CHUNK = 16 * 1024;

    private final ProxiedConnection connection;
    private final InputStream from;
    private final Socket to;
    private final ToxicStage chain;

    Pump(ProxiedConnection connection, InputStream from, Socket to, ToxicStage chain) {
        this.connection = connection;
        this.from = from;
        this.to = to;
        this.chain = chain;
    }

    @Override
    public void run() {
        try {
            chain.start();
            byte[] buf = new byte[CHUNK];
            int n;
            while ((n = from.read(buf)) >= 0) {
                chain.write(buf, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // A peer broke its side (reset, or closed while bytes were still coming): break the other side too,
            // as a real network path would, rather than leave it waiting.
            if (!connection.ending()) {
                connection.reset();
            }
        } catch (InterruptedException e) {
            // Only the connection's own teardown interrupts a pump; the thread ends here.
        } finally {
            connection.pumpEnded();
        }
    }
}
