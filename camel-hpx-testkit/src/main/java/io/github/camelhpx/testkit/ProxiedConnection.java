package io.github.camelhpx.testkit;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One client connection of an {@link HpxFaultProxy} and its upstream socket, pumped by two threads (one per
 * direction). It ends when both directions have seen end of stream, or at once when a toxic cuts or resets it,
 * a peer breaks it, or the proxy closes.
 */
final class ProxiedConnection {

    private final int number;
    private final Socket client;
    private final Socket server;
    private final Consumer<ProxiedConnection> onEnd;
    private final AtomicBoolean ending = new AtomicBoolean();
    private final AtomicInteger pumpsRunning = new AtomicInteger(2);
    private volatile Thread upstream;
    private volatile Thread downstream;

    ProxiedConnection(int number, Socket client, Socket server, Consumer<ProxiedConnection> onEnd) {
        this.number = number;
        this.client = client;
        this.server = server;
        this.onEnd = onEnd;
    }

    int number() {
        return number;
    }

    void start(String threadPrefix, List<Toxic> toxics, StallGate gate) throws IOException {
        ToxicStage up = ToxicChain.build(only(toxics, Toxic.Direction.UPSTREAM),
                new SocketSink(server.getOutputStream()), this, gate);
        ToxicStage down = ToxicChain.build(only(toxics, Toxic.Direction.DOWNSTREAM),
                new SocketSink(client.getOutputStream()), this, gate);
        upstream = thread(threadPrefix + "up", new Pump(this, client.getInputStream(), server, up));
        downstream = thread(threadPrefix + "down", new Pump(this, server.getInputStream(), client, down));
        upstream.start();
        downstream.start();
    }

    private static List<Toxic> only(List<Toxic> toxics, Toxic.Direction direction) {
        return toxics.stream().filter(t -> t.direction() == direction).collect(Collectors.toList());
    }

    private static Thread thread(String name, Runnable pump) {
        Thread t = new Thread(pump, name);
        t.setDaemon(true);
        return t;
    }

    /** Whether the connection is being torn down, so that pump errors are expected and not a peer's doing. */
    boolean ending() {
        return ending.get();
    }

    /** Both peers get FIN after what has been written so far. */
    void cut() {
        if (ending.compareAndSet(false, true)) {
            shutdownOutput(client);
            shutdownOutput(server);
            closeSockets();
        }
    }

    /** Both peers get RST. */
    void reset() {
        if (ending.compareAndSet(false, true)) {
            lingerZero(client);
            lingerZero(server);
            closeSockets();
        }
    }

    /** Closes both sockets without a toxic's intent (the proxy is closing). */
    void close() {
        if (ending.compareAndSet(false, true)) {
            closeSockets();
        }
    }

    void pumpEnded() {
        if (pumpsRunning.decrementAndGet() == 0) {
            close();
            onEnd.accept(this);
        }
    }

    /** The pump threads, once started. */
    List<Thread> threads() {
        return List.of(upstream, downstream);
    }

    private void closeSockets() {
        close(client);
        close(server);
        // A pump may be waiting in a latency, bandwidth or stall toxic; it has nothing left to forward.
        for (Thread t : new Thread[] {upstream, downstream}) {
            if (t != null && t != Thread.currentThread()) {
                t.interrupt();
            }
        }
    }

    private static void shutdownOutput(Socket s) {
        try {
            s.shutdownOutput();
        } catch (IOException ignored) {
            // already closed by the peer: nothing to tell it
        }
    }

    private static void lingerZero(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed: the close below is all there is to do
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
