package io.github.camelhpx.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy that misbehaves on purpose (in the manner of Toxiproxy), to put between an HPX client and any
 * HPX server, real or {@link HpxTestServer embedded}. Each accepted connection gets its own upstream
 * connection and two pump threads, and the {@link Toxic toxics} the rules give it when it is accepted: those
 * for every connection, for the next one, for its number, and at most one random fault.
 *
 * <pre>{@code
 * try (HpxFaultProxy proxy = HpxFaultProxy.builder().upstream(server.host(), server.port()).build().start()) {
 *     proxy.nextConnection(Toxic.cutAfter(Toxic.Direction.DOWNSTREAM, 100));
 *     // connect to proxy.host():proxy.port()
 * }
 * }</pre>
 */
public final class HpxFaultProxy implements AutoCloseable {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final String listenHost;
    private final int requestedPort;
    private final String upstreamHost;
    private final int upstreamPort;
    private final int connectTimeoutMillis;
    private final ToxicRules rules = new ToxicRules();
    private final StallGate stallGate = new StallGate();
    private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
    /** Kept apart from the connections: a connection is gone before its threads have quite ended. */
    private final Set<Thread> pumpThreads = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Object lifecycle = new Object();
    private volatile ServerSocket serverSocket;
    private volatile Thread acceptor;
    private volatile Socket connecting;
    private volatile boolean closed;

    private HpxFaultProxy(Builder b) {
        this.listenHost = b.listenHost;
        this.requestedPort = b.listenPort;
        this.upstreamHost = b.upstreamHost;
        this.upstreamPort = b.upstreamPort;
        this.connectTimeoutMillis = Math.toIntExact(b.connectTimeout.toMillis());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts accepting. A proxy starts once; after {@link #close()} build a new one. */
    public HpxFaultProxy start() {
        synchronized (lifecycle) {
            if (closed || serverSocket != null) {
                throw new IllegalStateException(closed ? "proxy closed" : "proxy already started");
            }
            try {
                ServerSocket ss = new ServerSocket();
                ss.setReuseAddress(true);
                ss.bind(new InetSocketAddress(InetAddress.getByName(listenHost), requestedPort), 128);
                serverSocket = ss;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + listenHost + ":" + requestedPort, e);
            }
            Thread t = new Thread(this::acceptLoop, threadPrefix() + "accept");
            t.setDaemon(true);
            acceptor = t;
            t.start();
            return this;
        }
    }

    /** The host clients connect to. */
    public String host() {
        return listenHost;
    }

    /** The port clients connect to (the ephemeral one when built with port 0). */
    public int port() {
        ServerSocket ss = serverSocket;
        if (ss == null) {
            throw new IllegalStateException("proxy not started");
        }
        return ss.getLocalPort();
    }

    /** Proxied connections open now. */
    public int connections() {
        return connections.size();
    }

    /** Connections accepted since start; the next one gets number {@code connectionsAccepted() + 1}. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** Toxics for every connection accepted from now on (connections already open keep theirs). */
    public HpxFaultProxy everyConnection(Toxic... toxics) {
        rules.everyConnection(toxics);
        return this;
    }

    /** Toxics for the next connection accepted only. */
    public HpxFaultProxy nextConnection(Toxic... toxics) {
        rules.nextConnection(toxics);
        return this;
    }

    /** Toxics for the connection with this number (the first accepted is 1). */
    public HpxFaultProxy connection(int number, Toxic... toxics) {
        rules.connection(number, toxics);
        return this;
    }

    /**
     * Gives each new connection, with the given probability, one random toxic of the given kinds (all kinds
     * when none is given), with random direction and parameters. The choice for connection k depends only on
     * the seed and k, so a run can be repeated from the seed it printed. Replaces an earlier random mode.
     */
    public HpxFaultProxy randomFaults(long seed, double probability, Toxic.Kind... kinds) {
        rules.random(new RandomFaults(seed, probability, kinds));
        return this;
    }

    /** Every toxic given to a connection so far, in accept order; {@link #reset()} keeps it. */
    public List<FaultRecord> faultLog() {
        return rules.log();
    }

    /** Lets every stall that waits for a release go on. */
    public void releaseStalls() {
        stallGate.release();
    }

    /** Forgets every rule and random mode (new connections pass clean) and releases stalls. */
    public void reset() {
        rules.clear();
        stallGate.release();
    }

    private void acceptLoop() {
        ServerSocket ss = serverSocket;
        while (!closed) {
            Socket client;
            try {
                client = ss.accept();
            } catch (IOException e) {
                return;
            }
            int number = accepted.incrementAndGet();
            Socket server = connectUpstream(client);
            if (server != null) {
                // Assigned only now: a connection that never reached the upstream takes no toxic and logs none
                List<Toxic> toxics = rules.assign(number);
                ProxiedConnection c = new ProxiedConnection(number, client, server, connections::remove);
                connections.add(c);
                startOrClose(c, toxics);
            }
        }
    }

    /** The upstream socket, or null (and the client closed) when the upstream cannot be reached. */
    private Socket connectUpstream(Socket client) {
        Socket server = new Socket();
        connecting = server;
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(new InetSocketAddress(upstreamHost, upstreamPort), connectTimeoutMillis);
            return server;
        } catch (IOException e) {
            closeQuietly(server);
            closeQuietly(client);
            return null;
        } finally {
            connecting = null;
        }
    }

    private void startOrClose(ProxiedConnection c, List<Toxic> toxics) {
        try {
            pumpThreads.removeIf(t -> !t.isAlive());
            c.start(threadPrefix() + c.number() + "-", toxics, stallGate);
            pumpThreads.addAll(c.threads());
        } catch (IOException e) {
            c.close();
            connections.remove(c);
        }
    }

    /** Thread names carry the listening port, so a test can tell this proxy's threads from another's. */
    private String threadPrefix() {
        return "hpx-fault-proxy-" + port() + "-";
    }

    /**
     * Stops listening, closes every proxied connection (both peers see the close) and waits until every thread
     * of this proxy has ended.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        closeQuietly(serverSocket);
        closeQuietly(connecting);
        try {
            // After the acceptor has ended no connection can be added, so the set below is complete.
            Thread a = acceptor;
            if (a != null) {
                TimeUnit.NANOSECONDS.timedJoin(a, Math.max(1, deadline - System.nanoTime()));
            }
            connections.forEach(ProxiedConnection::close);
            for (Thread t : pumpThreads) {
                TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, deadline - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    public static final class Builder {

        private String listenHost = "127.0.0.1";
        private int listenPort;
        private String upstreamHost;
        private int upstreamPort;
        private Duration connectTimeout = Duration.ofSeconds(2);

        private Builder() {
        }

        /** The server the proxy connects each client to. */
        public Builder upstream(String host, int port) {
            this.upstreamHost = Objects.requireNonNull(host, "host");
            this.upstreamPort = checkPort(port);
            return this;
        }

        /** The address to listen on (127.0.0.1). */
        public Builder listenHost(String host) {
            this.listenHost = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder listenPort(int port) {
            this.listenPort = checkPort(port);
            return this;
        }

        /** How long to wait for the upstream per connection (2 s); a client whose upstream fails is closed. */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connect timeout must be positive: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        public HpxFaultProxy build() {
            if (upstreamHost == null) {
                throw new IllegalStateException("upstream not set");
            }
            return new HpxFaultProxy(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }
    }
}
