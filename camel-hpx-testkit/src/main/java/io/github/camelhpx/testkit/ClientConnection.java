package io.github.camelhpx.testkit;

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
}
