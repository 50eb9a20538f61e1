package io.github.camelhpx.client;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;

import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * A thread-safe client for one HPX server and one session.
 * <p>
 * Calls go over a pool of connections that share the session; each connection is used in lock-step. The
 * session is established on first use. When the server has lost it (expiry, restart, or the last connection
 * closed) the client authenticates again and retries the call once. A call on a pooled connection that the
 * server closed without sending a byte of reply (typically while the connection sat idle) is retried once on a
 * new connection; a call is never retried once part of its reply has arrived.
 *
 * <pre>{@code
 * try (HpxClient hpx = HpxClient.builder().host("localhost").port(7007).credentials("bob", "secret").build()) {
 *     JsonNode version = hpx.call("get_version");
 * }
 * }</pre>
 */
public final class HpxClient implements AutoCloseable {

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // get_version touches no database: the cheapest call that proves a session works.
    private static final ArrayNode PING = NODES.arrayNode().add(NODES.objectNode().put("fname", "get_version"));

    private final ClientSettings settings;
    private final Credentials credentials;
    private final BroadcastDispatcher broadcasts = new BroadcastDispatcher();
    private final ConnectionFactory connections;
    private final GenericObjectPool<HpxConnection> pool;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final Set<BroadcastWatch> watches = ConcurrentHashMap.newKeySet();
    private final Object sessionLock = new Object();
    private volatile String sessionId;

    private HpxClient(Builder builder) {
        ObjectMapper mapper = builder.objectMapper != null ? builder.objectMapper : new ObjectMapper();
        this.settings = new ClientSettings(builder.host, builder.port, builder.clientName, builder.connectTimeout,
                builder.requestTimeout, builder.sslContext, builder.maxMessageSize, builder.compressionLevel, mapper);
        this.credentials = builder.credentials;
        this.sessionId = builder.sessionId;
        this.connections = new ConnectionFactory(settings, broadcasts);
        this.pool = new GenericObjectPool<>(connections, poolConfig(builder.poolSize, builder.requestTimeout));
        if (builder.executor != null) {
            this.executor = builder.executor;
            this.ownedExecutor = null;
        } else {
            this.ownedExecutor = newExecutor(builder.poolSize);
            this.executor = ownedExecutor;
        }
        // The server closes every connection after a broadcast: idle ones are dead, and reading their copies is pointless.
        broadcasts.add(broadcast -> pool.clear());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Calls a function without arguments and returns its {@code data}. */
    public JsonNode call(String fname) {
        return call(fname, Map.of());
    }

    /**
     * Calls a function and returns its {@code data}.
     *
     * @throws HpxFunctionException when the function failed on the server
     */
    public JsonNode call(String fname, Map<String, ?> args) {
        return callAll(List.of(FunctionCall.of(fname, args))).get(0).dataOrThrow();
    }

    /**
     * Calls a function and binds its {@code data} to {@code type} with the client's {@link ObjectMapper}, straight
     * from the reply as it is decompressed: a big result is never also held as a JSON tree. JSON {@code null}
     * gives {@code null}.
     *
     * @throws HpxFunctionException when the function failed on the server
     * @throws HpxProtocolException when the data does not fit {@code type}
     */
    public <T> T call(String fname, Map<String, ?> args, Class<T> type) {
        return callBound(fname, args, settings.mapper().constructType(type));
    }

    /** {@link #call(String, Map, Class)} for a generic type, e.g. {@code new TypeReference<List<Gallery>>() {}}. */
    public <T> T call(String fname, Map<String, ?> args, TypeReference<T> type) {
        return callBound(fname, args, settings.mapper().constructType(type));
    }

    /**
     * Sends the calls as one message and returns one result per call, in the order of {@code calls}, whatever
     * order the server used. A call that failed has {@link FunctionResult#error()} set; the others succeed.
     */
    public List<FunctionResult> callAll(List<FunctionCall> calls) {
        if (calls.isEmpty()) {
            return List.of();
        }
        Envelope reply = execute(toData(calls), ReplyReading.TREE);
        return ResultMatcher.inRequestOrder(calls, reply.data());
    }

    /**
     * Sends the calls as one message and returns the server's reply message unparsed: the UTF-8 JSON
     * {@code {"session": .., "name": .., "data": [{"fname": .., "data": ..}, ..]}} as the server sent it, the
     * cheapest way to pass a big reply on. Failures of the whole message throw as in {@link #callAll} (and a lost
     * session is renewed), but a function's own failure stays in its result's {@code error}, and the results are
     * in the server's order: request order, except that calls failing validation come last. Only the message's
     * first members are parsed: the JSON of the results is the server's, not checked. An empty list is sent as
     * such (the server answers with an empty list).
     */
    public byte[] callAllRaw(List<FunctionCall> calls) {
        JsonNode data = execute(toData(calls), ReplyReading.RAW).data();
        if (!data.isBinary()) {
            throw Envelope.anomaly("to a function call is not a list of function results", data);
        }
        return ((BinaryNode) data).binaryValue();
    }

    /** {@link #call(String, Map)} on the client's executor. */
    public CompletableFuture<JsonNode> callAsync(String fname, Map<String, ?> args) {
        return async(() -> call(fname, args));
    }

    /** {@link #call(String, Map, Class)} on the client's executor. */
    public <T> CompletableFuture<T> callAsync(String fname, Map<String, ?> args, Class<T> type) {
        return async(() -> call(fname, args, type));
    }

    /** {@link #call(String, Map, TypeReference)} on the client's executor. */
    public <T> CompletableFuture<T> callAsync(String fname, Map<String, ?> args, TypeReference<T> type) {
        return async(() -> call(fname, args, type));
    }

    /** {@link #callAll(List)} on the client's executor. */
    public CompletableFuture<List<FunctionResult>> callAllAsync(List<FunctionCall> calls) {
        return async(() -> callAll(calls));
    }

    /** {@link #callAllRaw(List)} on the client's executor. */
    public CompletableFuture<byte[]> callAllRawAsync(List<FunctionCall> calls) {
        return async(() -> callAllRaw(calls));
    }

    /** {@link #sendCommand(ServerCommand)} on the client's executor. */
    public CompletableFuture<JsonNode> sendCommandAsync(ServerCommand command) {
        return async(() -> sendCommand(command));
    }

    /**
     * Sends a server command. {@code REQUEST_AUTH} logs in again (a new session) and returns the welcome's
     * {@code data}; {@code SERVER_QUIT} and {@code SERVER_RESTART} return {@code null} once the server has
     * broadcast the command and closed the connection.
     */
    public JsonNode sendCommand(ServerCommand command) {
        HpxConnection connection = borrow();
        try {
            String current = sessionId;
            TextNode data = TextNode.valueOf(command.wireName());
            if (command != ServerCommand.REQUEST_AUTH) {
                connection.sendAndAwaitClose(current == null ? "" : current, data, settings.requestTimeout());
                return null;
            }
            JsonNode welcome = NODES.nullNode();
            if (current != null) {
                Envelope reply = connection.exchange(current, data, settings.requestTimeout());
                if (reply.welcome().isPresent()) {
                    welcome = reply.data();
                } else if (!isSessionLost(reply)) {
                    throw failure(reply);
                }
            }
            synchronized (sessionLock) {
                sessionId = handshake(connection);
            }
            return welcome;
        } finally {
            release(connection);
        }
    }

    /**
     * Establishes the session now, if it is not yet, and returns its id: a way to fail fast on a wrong
     * password or an unreachable server.
     */
    public String authenticate() {
        HpxConnection connection = borrow();
        try {
            return session(connection);
        } finally {
            release(connection);
        }
    }

    /** Registers a listener for server broadcasts; closing the returned handle removes it. */
    public AutoCloseable onBroadcast(BroadcastListener listener) {
        return broadcasts.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Starts listening for broadcasts on a connection of its own, so they arrive even while no call is made.
     * The watch runs on {@code executor} (one long task), reconnects after {@code initialDelay}, doubling up to
     * {@code maxDelay}, and reports its state to {@code states}. Broadcasts reach the {@link #onBroadcast}
     * listeners.
     */
    public BroadcastWatch watchBroadcasts(Executor executor, Duration initialDelay, Duration maxDelay,
            BroadcastWatch.StateListener states) {
        BroadcastWatch watch = new BroadcastWatch(this, initialDelay, maxDelay, states, watches::remove);
        watches.add(watch);
        watch.start(executor);
        return watch;
    }

    /** The current session id, or {@code null} before the first handshake. */
    public String sessionId() {
        return sessionId;
    }

    /** The welcome of the newest connection (server name, version, whether guests are allowed), or {@code null}. */
    public Welcome welcome() {
        return connections.lastWelcome();
    }

    /** Number of open connections, borrowed or idle. */
    public int openConnections() {
        return pool.getNumActive() + pool.getNumIdle();
    }

    @Override
    public void close() {
        watches.forEach(BroadcastWatch::close);
        pool.close();
        connections.closeAll();
        if (ownedExecutor != null) {
            // Queued calls still run, and fail at once on the closed pool: none is left incomplete.
            ownedExecutor.shutdown();
        }
    }

    @Override
    public String toString() {
        return "HpxClient[" + settings.host() + ":" + settings.port()
                + (credentials == null ? ", guest" : ", user=" + credentials.user()) + "]";
    }

    @SuppressWarnings("unchecked")
    private <T> T callBound(String fname, Map<String, ?> args, JavaType type) {
        List<FunctionCall> calls = List.of(FunctionCall.of(fname, args));
        Envelope reply = execute(toData(calls), ReplyReading.bound(type));
        JsonNode data = ResultMatcher.inRequestOrder(calls, reply.data()).get(0).dataOrThrow();
        return data instanceof POJONode bound ? (T) bound.getPojo() : null;
    }

    private Envelope execute(JsonNode data, ReplyReading reading) {
        boolean reconnected = false;
        while (true) {
            HpxConnection connection = borrow();
            boolean reused = connection.hasExchanged();
            try {
                return exchangeInSession(connection, data, reading);
            } catch (HpxServerDisconnectedException e) {
                // A pooled connection the server closed while it sat idle: the request never reached a live peer.
                if (reconnected || !reused || e.isMidMessage()) {
                    throw e;
                }
                reconnected = true;
            } finally {
                release(connection);
            }
        }
    }

    /** One request in the session, establishing the session first and renewing it once if the server lost it. */
    private Envelope exchangeInSession(HpxConnection connection, JsonNode data, ReplyReading reading) {
        for (boolean renewed = false; ; renewed = true) {
            String session = session(connection);
            Envelope reply = connection.exchange(session, data, settings.requestTimeout(), reading);
            if (isSessionLost(reply) && !renewed) {
                forgetSession(session);
                continue;
            }
            if (reply.hasError()) {
                // The server may append this batch's validation errors to the next reply on this connection.
                connection.close();
            }
            if (reply.hasError() || reply.isAuthenticated()) {
                throw failure(reply);
            }
            return reply;
        }
    }

    /**
     * Opens a connection outside the pool that belongs to the session (the server ties a connection to a
     * session when it first carries it), for a watch that only listens for broadcasts. Its socket goes to
     * {@code attempt} first, so that closing it aborts the whole attempt.
     */
    HpxConnection openSessionConnection(Consumer<Socket> attempt) {
        HpxConnection connection = HpxConnection.open(settings, broadcasts, attempt);
        try {
            exchangeInSession(connection, PING, ReplyReading.TREE);
            return connection;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private String session(HpxConnection connection) {
        String current = sessionId;
        if (current != null) {
            return current;
        }
        synchronized (sessionLock) {
            if (sessionId == null) {
                sessionId = handshake(connection);
            }
            return sessionId;
        }
    }

    private void forgetSession(String stale) {
        synchronized (sessionLock) {
            if (Objects.equals(sessionId, stale)) {
                sessionId = null;
            }
        }
    }

    private String handshake(HpxConnection connection) {
        ObjectNode data = NODES.objectNode();
        if (credentials != null) {
            data.put("user", credentials.user());
            data.put("password", credentials.password());
        }
        Envelope reply = connection.exchange("", data, settings.requestTimeout());
        if (!reply.isAuthenticated() || reply.session().isEmpty()) {
            throw failure(reply);
        }
        return reply.session();
    }

    private static boolean isSessionLost(Envelope reply) {
        return reply.isAuthenticated() || reply.hasError() && HpxAuthException.isAuthCode(reply.error().code());
    }

    private static HpxException failure(Envelope reply) {
        if (!reply.hasError()) {
            return Envelope.anomaly("is not what the request asks for", reply.data());
        }
        int code = reply.error().code();
        String msg = reply.error().msg();
        return HpxAuthException.isAuthCode(code) ? HpxAuthException.of(code, msg) : new HpxServerException(code, msg);
    }

    private ArrayNode toData(List<FunctionCall> calls) {
        ArrayNode data = NODES.arrayNode(calls.size());
        for (FunctionCall call : calls) {
            ObjectNode element = data.addObject();
            element.put("fname", call.fname());
            call.args().forEach((name, value) -> element.set(name, settings.mapper().valueToTree(value)));
        }
        return data;
    }

    private HpxConnection borrow() {
        try {
            return pool.borrowObject();
        } catch (HpxException e) {
            throw e;
        } catch (NoSuchElementException e) {
            throw new HpxTimeoutException("no HPX connection became free within " + settings.requestTimeout(),
                    settings.requestTimeout(), e);
        } catch (IllegalStateException e) {
            throw new HpxConnectionException("HPX client is closed", e);
        } catch (Exception e) {
            throw new HpxConnectionException("cannot open an HPX connection: " + e.getMessage(), e);
        }
    }

    private void release(HpxConnection connection) {
        try {
            if (connection.isClosed()) {
                pool.invalidateObject(connection);
            } else {
                pool.returnObject(connection);
            }
        } catch (Exception e) {
            connection.close();
        }
    }

    private <T> CompletableFuture<T> async(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new HpxConnectionException("HPX client is closed", e));
        }
    }

    private static GenericObjectPoolConfig<HpxConnection> poolConfig(int size, Duration maxWait) {
        GenericObjectPoolConfig<HpxConnection> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(size);
        config.setMaxIdle(size);
        config.setTestOnBorrow(true);
        config.setBlockWhenExhausted(true);
        config.setMaxWait(maxWait);
        config.setJmxEnabled(false);
        return config;
    }

    private static ExecutorService newExecutor(int threads) {
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "hpx-client-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Builds an {@link HpxClient}; every setting has a default, so {@code builder().build()} is a guest on localhost:7007. */
    public static final class Builder {

        private String host = "localhost";
        private int port = 7007;
        private String clientName = "camel-hpx";
        private Credentials credentials;
        private String sessionId;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int poolSize = 4;
        private SSLContext sslContext;
        private long maxMessageSize = 64L * 1024 * 1024;
        private int compressionLevel = 5;
        private ObjectMapper objectMapper;
        private Executor executor;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The name sent in every message's {@code name}; the server remembers it as the session owner's. */
        public Builder clientName(String clientName) {
            this.clientName = Objects.requireNonNull(clientName, "clientName");
            return this;
        }

        /** Log in as this user; without credentials the client is a guest. */
        public Builder credentials(String user, String password) {
            this.credentials = user == null ? null : new Credentials(user, password);
            return this;
        }

        /** Use this existing session instead of a handshake (a new one is made if the server no longer knows it). */
        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId == null || sessionId.isEmpty() ? null : sessionId;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Durations.requirePositive(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long one request may wait for its reply (and for a free connection). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Durations.requirePositive(requestTimeout, "requestTimeout");
            return this;
        }

        /** The most connections open at once; they all share the session. */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /** Connect with TLS; the server's certificate and host name are verified. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /** The largest message accepted, both as received (compressed) and after decompression. */
        public Builder maxMessageSize(long maxMessageSize) {
            if (maxMessageSize < 1) {
                throw new IllegalArgumentException("maxMessageSize must be positive, was " + maxMessageSize);
            }
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /** The gzip level of outgoing messages, 0–9 (the server uses 5). */
        public Builder compressionLevel(int compressionLevel) {
            if (compressionLevel < 0 || compressionLevel > 9) {
                throw new IllegalArgumentException("compressionLevel must be 0..9, was " + compressionLevel);
            }
            this.compressionLevel = compressionLevel;
            return this;
        }

        public Builder objectMapper(ObjectMapper objectMapper) {
            this.objectMapper = objectMapper;
            return this;
        }

        /** Where the {@code *Async} methods run; by default a client-owned pool of {@code poolSize} threads. */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        public HpxClient build() {
            return new HpxClient(this);
        }
    }
}
