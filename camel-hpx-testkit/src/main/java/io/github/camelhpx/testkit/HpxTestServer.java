package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An embedded HappyPanda X server for tests of HPX clients. By default it speaks the G1 protocol (gzip JSON +
 * {@code <EOF>}) exactly as the real 0.3.0 server did, quirks included; built with
 * {@code .protocol(Protocol.G2)} it speaks HPX 1.0's MessagePack protocol (§9) instead.
 *
 * <pre>{@code
 * try (HpxTestServer server = HpxTestServer.builder().user("bob", "secret").build().start()) {
 *     connect to server.host():server.port() ...
 * }
 * }</pre>
 */
public final class HpxTestServer implements AutoCloseable {

    private static final String[] NAME_WORDS = {"rias", "momo", "albedo", "asuna", "rem", "kurisu", "mikasa",
        "nami", "holo", "yoko", "saber", "taiga", "misaka", "hinata", "erza", "akame", "chika", "megumin"};
    private static final long JOIN_MILLIS = 5_000;

    private final Protocol protocol;
    private final boolean splitAtFirstEof;
    private final int concurrentReplies;
    private final String host;
    private final int requestedPort;
    private final String serverName;
    private final SSLContext sslContext;
    private final EnumSet<Quirk> quirks;
    private final SampleLibrary library;
    private final int maxFrameBytes;
    private final long maxDecompressedBytes;
    private final int receivedLimit;

    private final ConfigStore config;
    private final SessionRegistry sessions;
    private final CommandService commands;
    private final Faults faults;
    private final MessageHandler handler;
    private final G2MessageHandler g2Handler;
    private final AtomicInteger notificationIds = new AtomicInteger(200);
    private final List<JsonNode> notificationReplies = Collections.synchronizedList(new ArrayList<>());
    private final ArrayDeque<ReceivedMessage> received = new ArrayDeque<>();
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> connectionThreads = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private final Object lifecycle = new Object();

    private volatile ServerSocket serverSocket;
    private volatile Thread acceptor;
    private volatile int boundPort;

    private HpxTestServer(Builder b) {
        this.protocol = b.protocol;
        this.splitAtFirstEof = b.splitAtFirstEof;
        this.concurrentReplies = b.concurrentReplies;
        this.faults = new Faults(b.protocol);
        this.host = b.host;
        this.requestedPort = b.port;
        this.serverName = b.serverName != null ? b.serverName : randomName();
        this.sslContext = b.sslContext;
        this.quirks = EnumSet.copyOf(b.quirks);
        this.library = b.library;
        this.maxFrameBytes = b.maxFrameBytes;
        this.maxDecompressedBytes = b.maxDecompressedBytes;
        this.receivedLimit = b.receivedLimit;
        this.config = new ConfigStore(b.port, b.host, serverName, b.guestsAllowed, b.defaultUserDisabled,
                b.sessionSpan.toMinutes(), b.sslContext != null);
        this.sessions = new SessionRegistry(b.sessionSpan.toNanos(), () -> quirk(Quirk.SESSION_DIES_WITH_LAST_CONNECTION));
        this.commands = new CommandService(b.commandDuration);
        Handshake handshake = new Handshake(this, Map.copyOf(b.users));
        this.handler = new MessageHandler(this, handshake, new FunctionDispatcher(this,
                functionTable(MetaFunctions.all(), LibraryFunctions.all(), CommandFunctions.all(), b.functions)));
        this.g2Handler = new G2MessageHandler(this, handshake,
                new FunctionDispatcher(this, functionTable(G2Functions.all(), b.functions)));
    }

    /** The functions of a generation by name; a later group replaces an earlier one's function of the same name. */
    @SafeVarargs
    private static Map<String, FunctionSpec> functionTable(List<FunctionSpec>... groups) {
        Map<String, FunctionSpec> functions = new LinkedHashMap<>();
        for (List<FunctionSpec> group : groups) {
            for (FunctionSpec f : group) {
                functions.put(f.name(), f);
            }
        }
        return Collections.unmodifiableMap(functions);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static String randomName() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return NAME_WORDS[r.nextInt(NAME_WORDS.length)] + "_" + NAME_WORDS[r.nextInt(NAME_WORDS.length)] + "_"
                + NAME_WORDS[r.nextInt(NAME_WORDS.length)];
    }

    /**
     * Binds and starts accepting. After {@link #quit()} it may be started again and binds the port it had,
     * so a client can watch a server go away and come back.
     */
    public HpxTestServer start() {
        synchronized (lifecycle) {
            if (serverSocket != null) {
                return this;
            }
            int port = boundPort != 0 ? boundPort : requestedPort;
            try {
                ServerSocket ss = sslContext != null
                        ? sslContext.getServerSocketFactory().createServerSocket()
                        : new ServerSocket();
                ss.setReuseAddress(true);
                ss.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
                serverSocket = ss;
                boundPort = ss.getLocalPort();
                config.put("server", "port", Json.NODES.numberNode(boundPort));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
            }
            Thread t = new Thread(this::acceptLoop, threadPrefix() + "accept");
            t.setDaemon(true);
            acceptor = t;
            t.start();
            return this;
        }
    }

    private void acceptLoop() {
        ServerSocket ss = serverSocket;
        while (ss != null && !ss.isClosed()) {
            Socket socket;
            try {
                socket = ss.accept();
            } catch (IOException e) {
                return;
            }
            long id = connectionIds.incrementAndGet();
            ClientConnection c = protocol == Protocol.G1
                    ? new Connection(id, socket, this, handler, maxFrameBytes, maxDecompressedBytes)
                    : new G2Connection(id, socket, this, g2Handler, maxFrameBytes, splitAtFirstEof, concurrentReplies);
            connections.add(c);
            if (ss.isClosed()) {
                c.close();
                connections.remove(c);
                return;
            }
            c.start(threadPrefix() + "conn-" + id);
        }
    }

    /** Thread names carry the port, so a test can tell this server's threads from another's. */
    String threadPrefix() {
        return "hpx-test-server-" + boundPort + "-";
    }

    void connectionStarting(Thread t) {
        connectionThreads.add(t);
    }

    void connectionEnded(ClientConnection c) {
        connections.remove(c);
        connectionThreads.remove(Thread.currentThread());
    }

    /** The port it listens on (the ephemeral one when built with port 0). */
    public int port() {
        int p = boundPort;
        if (p == 0) {
            throw new IllegalStateException("server not started");
        }
        return p;
    }

    /** The address it binds, as configured (default 127.0.0.1). */
    public String host() {
        return host;
    }

    public String serverName() {
        return serverName;
    }

    /** The generation this server speaks. */
    public Protocol protocol() {
        return protocol;
    }

    public boolean isRunning() {
        ServerSocket ss = serverSocket;
        return ss != null && !ss.isClosed();
    }

    /**
     * What {@code serverrestart} does: broadcast integer 2 to every open connection, close them all, forget
     * every session (and command); keep listening on the same port. Settings survive.
     */
    public void restart() {
        synchronized (lifecycle) {
            broadcastAndCloseAll(2);
        }
    }

    /** What {@code serverquit} does: broadcast integer 1, close every connection, stop listening. */
    public void quit() {
        synchronized (lifecycle) {
            closeListener();
            broadcastAndCloseAll(1);
        }
        joinThreads();
    }

    /** Stops silently (no broadcast): closes every connection and the listener and waits for the threads. */
    public void stop() {
        synchronized (lifecycle) {
            closeListener();
            for (ClientConnection c : List.copyOf(connections)) {
                c.close();
            }
            sessions.clear();
        }
        joinThreads();
    }

    @Override
    public void close() {
        stop();
    }

    private void closeListener() {
        ServerSocket ss = serverSocket;
        serverSocket = null;
        if (ss != null) {
            try {
                ss.close();
            } catch (IOException ignored) {
                // already closed
            }
            // the JDK defers the real close of a listener until its blocked accept() returns: wait for it, so
            // that the port refuses connections once quit() or stop() has returned
            Thread a = acceptor;
            if (a != null && a != Thread.currentThread()) {
                try {
                    a.join(JOIN_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void broadcastAndCloseAll(int command) {
        List<ClientConnection> open = List.copyOf(connections);
        // forgotten before anyone hears of it, so a client re-authenticating at once keeps its new session
        sessions.clear();
        commands.clear();
        for (ClientConnection c : open) {
            c.broadcast(command);
        }
        for (ClientConnection c : open) {
            c.close();
        }
    }

    /** Waits for the accept and connection threads, except the calling one (a client may quit the server). */
    private void joinThreads() {
        List<Thread> threads = new ArrayList<>(connectionThreads);
        Thread a = acceptor;
        if (a != null && serverSocket == null) {
            threads.add(a);
        }
        long deadline = System.currentTimeMillis() + JOIN_MILLIS;
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Sends {@code {"session": <the connection's session or "">, "name": .., "data": data}} to every open
     * connection without closing any (e.g. the string {@code "serverquit"} of the HPX docs). In G2 the frame has
     * no {@code __id__}: an unsolicited frame, which a client must never hand to a caller.
     */
    public void broadcast(Object data) {
        for (ClientConnection c : List.copyOf(connections)) {
            c.broadcast(data);
        }
    }

    /** Queues a notification for one session; returns its id (a counter from 200). */
    public int pushNotification(String sessionId, String title, String body) {
        Session s = sessions.lookup(sessionId);
        if (s == null || !s.contextAlive()) {
            throw new IllegalArgumentException("no live session " + sessionId);
        }
        ObjectNode n = notification(title, body);
        s.queueNotification(n);
        return n.get("id").intValue();
    }

    /** Queues one notification (one id) for every live session; returns its id. */
    public int pushNotificationToAll(String title, String body) {
        ObjectNode n = notification(title, body);
        for (Session s : sessions.all()) {
            if (s.contextAlive() && !s.expired()) {
                s.queueNotification(n);
            }
        }
        return n.get("id").intValue();
    }

    private ObjectNode notification(String title, String body) {
        ObjectNode n = Json.object();
        n.put("id", notificationIds.getAndIncrement());
        n.put("title", title);
        n.put("body", body);
        n.put("expired", false);
        return n;
    }

    /** The {@code reply_notification} calls received, each as {@code {"msg_id": .., "action_values": ..}}. */
    public List<JsonNode> notificationReplies() {
        synchronized (notificationReplies) {
            return List.copyOf(notificationReplies);
        }
    }

    void recordNotificationReply(JsonNode msgId, JsonNode actionValues) {
        ObjectNode r = Json.object();
        r.set("msg_id", msgId);
        r.set("action_values", actionValues);
        notificationReplies.add(r);
    }

    /** Every message decoded since start or the last clear, oldest first (capped, oldest dropped). */
    public List<ReceivedMessage> receivedMessages() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public void clearReceivedMessages() {
        synchronized (received) {
            received.clear();
        }
    }

    void record(long connectionId, JsonNode root) {
        if (receivedLimit == 0) {
            return;
        }
        ReceivedMessage m = ReceivedMessage.of(connectionId, root);
        synchronized (received) {
            if (received.size() >= receivedLimit) {
                received.removeFirst();
            }
            received.addLast(m);
        }
    }

    /** Ids of the sessions a client can use now (not expired, not forgotten). */
    public Set<String> sessionIds() {
        return sessions.liveIds();
    }

    /** Expires a session now: it answers 408 from the next message on. */
    public void expireSession(String id) {
        Session s = sessions.lookup(id);
        if (s == null) {
            throw new IllegalArgumentException("unknown session " + id);
        }
        s.expireNow();
    }

    /**
     * Resets every open connection (a TCP reset, no broadcast), as a network that lost them would, so that a client
     * can test its handling of a connection reset while it sat idle. The server goes on listening, and forgets only
     * what a closed connection makes it forget (in G1, a session whose last connection it was).
     */
    public void resetConnections() {
        for (ClientConnection c : List.copyOf(connections)) {
            c.reset();
        }
    }

    public int openConnections() {
        return connections.size();
    }

    public Faults faults() {
        return faults;
    }

    /** Whether a quirk of §10 is switched on. */
    public boolean quirk(Quirk quirk) {
        return quirks.contains(quirk);
    }

    /** The in-memory library the item functions serve. */
    public SampleLibrary library() {
        return library;
    }

    ConfigStore config() {
        return config;
    }

    SessionRegistry sessions() {
        return sessions;
    }

    CommandService commands() {
        return commands;
    }

    @Override
    public String toString() {
        return "HpxTestServer[" + protocol + " " + serverName + " " + host + ":" + boundPort + (sslContext != null ? " tls" : "") + "]";
    }

    /** Configures an {@link HpxTestServer}; every option has the default of the real server where there is one. */
    public static final class Builder {

        private Protocol protocol = Protocol.G1;
        private boolean splitAtFirstEof;
        private int concurrentReplies = 1;
        private int port;
        private String host = "127.0.0.1";
        private String serverName;
        private boolean guestsAllowed = true;
        private boolean defaultUserDisabled;
        private final Map<String, String> users = new LinkedHashMap<>();
        private Duration sessionSpan = Duration.ZERO;
        private SSLContext sslContext;
        private final EnumSet<Quirk> quirks = EnumSet.allOf(Quirk.class);
        private final List<FunctionSpec> functions = new ArrayList<>();
        private SampleLibrary library = SampleLibrary.defaultLibrary();
        private Duration commandDuration = Duration.ofMillis(200);
        private int maxFrameBytes = 256 * 1024 * 1024;
        private long maxDecompressedBytes = 256L * 1024 * 1024;
        private int receivedLimit = 10_000;

        private Builder() {
        }

        /** The generation to speak; default {@link Protocol#G1}. */
        public Builder protocol(Protocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /**
         * G2: cut inbound frames at the first {@code <EOF>}, as the JS client does, instead of decoding one
         * MessagePack value and then requiring the marker; a string holding {@code <EOF>} then breaks the frame.
         * Default false. G1 always cuts at the first marker.
         */
        public Builder splitAtFirstEof(boolean split) {
            this.splitAtFirstEof = split;
            return this;
        }

        /**
         * G2: how many requests of one connection are handled at once. 1 (the default) handles them one at a
         * time, in order; more lets replies overtake each other, so clients must match them by {@code __id__}.
         */
        public Builder concurrentReplies(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("concurrentReplies must be at least 1");
            }
            this.concurrentReplies = n;
            return this;
        }

        /** 0 (the default) picks an ephemeral port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
            this.port = port;
            return this;
        }

        /** The bind address, default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Default: three random words joined by '_', like the real server. */
        public Builder serverName(String name) {
            this.serverName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Sent as {@code guest_allowed} in the welcome; default true. */
        public Builder guestsAllowed(boolean allowed) {
            this.guestsAllowed = allowed;
            return this;
        }

        public Builder user(String name, String password) {
            users.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(password, "password"));
            return this;
        }

        /** When false (the default), user {@code default} logs in with any password. */
        public Builder defaultUserDisabled(boolean disabled) {
            this.defaultUserDisabled = disabled;
            return this;
        }

        /** Sliding session expiry; {@link Duration#ZERO} (the default) never expires. */
        public Builder sessionSpan(Duration span) {
            if (span.isNegative()) {
                throw new IllegalArgumentException("negative session span");
            }
            this.sessionSpan = span;
            return this;
        }

        /** Serve TLS on the same port. */
        public Builder tls(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /** Every quirk is on by default. */
        public Builder quirk(Quirk quirk, boolean enabled) {
            if (enabled) {
                quirks.add(quirk);
            } else {
                quirks.remove(quirk);
            }
            return this;
        }

        /** Switches every quirk off: a well-behaved server. */
        public Builder withoutQuirks() {
            quirks.clear();
            return this;
        }

        /** Registers an extra function (replacing a built-in one of the same name). */
        public Builder function(FunctionSpec spec) {
            functions.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        public Builder library(SampleLibrary library) {
            this.library = Objects.requireNonNull(library, "library");
            return this;
        }

        /** How long asynchronous commands (check_update etc.) run before they are finished; default 200 ms. */
        public Builder commandDuration(Duration duration) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("negative command duration");
            }
            this.commandDuration = duration;
            return this;
        }

        /**
         * Inbound frames larger than this end the connection (G1: the compressed bytes; G2: the MessagePack
         * bytes, also when the frame arrived whole); default 256 MiB.
         */
        public Builder maxFrameBytes(int max) {
            if (max < 16) {
                throw new IllegalArgumentException("maxFrameBytes too small");
            }
            this.maxFrameBytes = max;
            return this;
        }

        /** G1: inbound messages that decompress to more than this get a 100 MemoryError; default 256 MiB. */
        public Builder maxDecompressedBytes(long max) {
            if (max < 16) {
                throw new IllegalArgumentException("maxDecompressedBytes too small");
            }
            this.maxDecompressedBytes = max;
            return this;
        }

        /** How many decoded messages {@link HpxTestServer#receivedMessages()} keeps; 0 keeps none. Default 10,000. */
        public Builder receivedMessagesLimit(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("negative limit");
            }
            this.receivedLimit = limit;
            return this;
        }

        public HpxTestServer build() {
            return new HpxTestServer(this);
        }
    }
}
