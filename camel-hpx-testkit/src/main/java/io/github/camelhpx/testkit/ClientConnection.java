package io.github.camelhpx.testkit;

import java.io.IOException;
import java.net.Socket;

/**
 * What the server needs of an accepted socket, whichever generation it speaks: {@link Connection} (G1) or
 * {@link G2Connection} (G2).
 */
interface ClientConnection {

    /** Starts the connection's own thread: welcome, then read and answer until closed. */
    void start(String threadName);

    /** Sends an unsolicited {@code {"session", "name", "data": data}} frame; the connection stays open. */
    void broadcast(Object data);

    /** Closes the socket; idempotent, callable from any thread. */
    void close();

    /** The accepted socket. */
    Socket socket();

    /**
     * Closes the socket with a TCP reset instead of an orderly close, as a crashed host or a NAT that dropped the
     * connection does: the peer's next read or write fails with "connection reset".
     */
    default void reset() {
        try {
            // A zero linger time makes the close send RST and drop what is unsent.
            socket().setSoLinger(true, 0);
        } catch (IOException e) {
            // Closed already: nothing left to reset.
        }
        close();
    }
}
