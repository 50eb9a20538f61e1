package io.github.camelhpx.client;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.camelhpx.client.internal.BroadcastDispatcher;
import io.github.camelhpx.client.internal.CallCounter;
import io.github.camelhpx.client.internal.CallTimer;
import io.github.camelhpx.client.internal.ClientSettings;
import io.github.camelhpx.client.internal.Credentials;
import io.github.camelhpx.client.internal.Deadline;
import io.github.camelhpx.client.internal.DecodingLimits;
import io.github.camelhpx.client.internal.Durations;
import io.github.camelhpx.client.internal.Envelope;
import io.github.camelhpx.client.internal.Exchanger;
import io.github.camelhpx.client.internal.FailedFrames;
import io.github.camelhpx.client.internal.FunctionDataBinding;
import io.github.camelhpx.client.internal.GenerationChangedException;
import io.github.camelhpx.client.internal.Handoff;
import io.github.camelhpx.client.internal.Link;
import io.github.camelhpx.client.internal.LockstepPool;
import io.github.camelhpx.client.internal.MsgpackCodec;
import io.github.camelhpx.client.internal.MultiplexPool;
import io.github.camelhpx.client.internal.OpenSockets;
import io.github.camelhpx.client.internal.ReaderThread;
import io.github.camelhpx.client.internal.Replies;
import io.github.camelhpx.client.internal.ReplyReading;
import io.github.camelhpx.client.internal.ServerConnection;
import io.github.camelhpx.client.internal.ServerList;
import io.github.camelhpx.client.internal.ServerList.ServerTransport;
import io.github.camelhpx.client.internal.SessionKeeper;
import io.github.camelhpx.client.internal.Transport;
import io.github.camelhpx.client.internal.TransportRetiredException;
import io.github.camelhpx.client.internal.UserSessions;

/**
 * A thread-safe client for an HPX server (or several, in order) and one session of its own, in either protocol
 * generation (other users' sessions go through {@link HpxRequest#inSession}): the first welcome
 * tells whether the server speaks G1 (HPX 0.x) or G2 (HPX 1.0), unless {@code protocol} fixes it.
 * <p>
 * Given several {@link Builder#servers servers}, it uses one at a time: the first that answers, then the next
 * when a connection to the current one cannot be opened (a call that needed that connection goes on there,
 * within its deadline), and back to an earlier one only with {@link Builder#failback failback}. Each server's
 * welcome tells its own generation; the session of one server is unknown on another, so a move logs in anew.
 * <p>
 * G1 calls go over a pool of connections that share the session, each used in lock-step; G2 calls are
 * multiplexed, several in flight on each connection, matched to their replies by {@code __id__}. The session is
 * established on first use. When the server has lost it (expiry, restart, logout) the client authenticates
 * again and retries the call once. A call that failed because its connection had been closed by the server
 * before any byte of the reply is retried once on a new connection ({@code retryOnConnectionFailure}; a G2 call that
 * never went out, whatever that says). Every call ends by its deadline: {@code requestTimeout} from its start, or the
 * request's own timeout.
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
    private static final Consumer<Socket> NO_ATTEMPT = socket -> { };

    private final ClientSettings settings;
    private final SessionKeeper sessions;
    private final UserSessions users;
    private final String login;
    private final String user;
    private final CallCounter calls = new CallCounter();
    private final BroadcastDispatcher broadcasts;
    private final OpenSockets sockets = new OpenSockets();
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final CallTimer callTimer = new CallTimer();
    private final ScheduledExecutorService timer = callTimer.scheduler();
    private final Handoff handoff;
    private final int poolSize;
    private final Duration idleTimeout;
    private final Set<BroadcastWatch> watches = ConcurrentHashMap.newKeySet();
    // Set before close() closes the watches: a watch added after that sees it (watchBroadcasts).
    private volatile boolean closing;
    private final ServerList servers;

    private HpxClient(Builder builder) {
        ObjectMapper mapper = DecodingLimits.bounded(
                builder.objectMapper != null ? builder.objectMapper : new ObjectMapper(), builder.maxMessageSize);
        List<ServerAddress> addresses = builder.servers != null ? builder.servers
                : List.of(new ServerAddress(builder.host, builder.port));
        this.settings = new ClientSettings(addresses.get(0).host(), addresses.get(0).port(), builder.clientName, builder.protocol,
                builder.connectTimeout, builder.requestTimeout, builder.sslContext, builder.maxMessageSize,
                builder.compressionLevel, builder.maxInFlight, builder.retryOnConnectionFailure, mapper,
                MsgpackCodec.mapperFor(mapper, builder.maxMessageSize),
                builder.dumpFailedFrames, addresses.size() > 1, builder.idleWatchDelay);
        this.user = builder.credentials == null ? null : builder.credentials.user();
        this.login = user == null ? "guest" : "user=" + user;
        this.poolSize = builder.poolSize;
        this.idleTimeout = builder.idleTimeout;
        if (builder.executor != null) {
            this.executor = builder.executor;
            this.ownedExecutor = null;
        } else {
            this.ownedExecutor = newExecutor(builder.poolSize);
            this.executor = ownedExecutor;
        }
        this.handoff = new Handoff(executor, timer, sockets, this::address);
        this.sessions = new SessionKeeper(builder.credentials, builder.sessionId, handoff);
        this.broadcasts = new BroadcastDispatcher(this::sessionId);
        // A watch's connection is its own, outside the transports: after a move it reconnects to the new server.
        this.servers = new ServerList(addresses, settings, sockets, this::newTransport, sessions,
                timer, executor, builder.failbackInterval, () -> watches.forEach(BroadcastWatch::reconnect));
        this.users = new UserSessions(settings, broadcasts, sockets, executor, timer);
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
        return execute(HpxRequest.function(fname, args));
    }

    /**
     * Calls a function and binds its {@code data} to {@code type} with the client's {@link ObjectMapper}, straight
     * from the reply as it is decoded: a big result is never also held as a tree. A null {@code data} gives
     * {@code null}.
     *
     * @throws HpxFunctionException when the function failed on the server
     * @throws HpxProtocolException when the data does not fit {@code type}
     */
    public <T> T call(String fname, Map<String, ?> args, Class<T> type) {
        return execute(HpxRequest.function(fname, args).as(type));
    }

    /** {@link #call(String, Map, Class)} for a generic type, e.g. {@code new TypeReference<List<Gallery>>() {}}. */
    public <T> T call(String fname, Map<String, ?> args, TypeReference<T> type) {
        return execute(HpxRequest.function(fname, args).as(type));
    }

    /**
     * The {@code data} of function {@code fname}'s result, read as a tree, bound to {@code type} with this client's
     * object mapper, as {@link #call(String, Map, Class)} binds it: for data looked at first (whether a poll found
     * anything), or an awaited command's value. A null {@code data} gives {@code null}.
     *
     * @throws HpxProtocolException when the data does not fit {@code type}
     */
    public <T> T bind(String fname, JsonNode data, Class<T> type) {
        return FunctionDataBinding.bind(settings.mapper(), fname, data, type);
    }

    /**
     * Sends the calls as one message and returns one result per call, in the order of {@code calls}, whatever
     * order the server used. A call that failed has {@link FunctionResult#error()} set; the others succeed.
     */
    public List<FunctionResult> callAll(List<FunctionCall> calls) {
        return calls.isEmpty() ? List.of() : execute(HpxRequest.batch(calls));
    }

    /** The reply to the calls as the server encoded it; see {@link HpxRequest#raw()}. */
    public byte[] callAllRaw(List<FunctionCall> calls) {
        return execute(HpxRequest.batch(calls).raw());
    }

    /**
     * Sends a server command. {@code REQUEST_AUTH} logs in again (a new session) and returns the server's info
     * (its welcome's {@code data}); {@code DROP_AUTH} logs out (G2; in G1 the client forgets its session) and the
     * next call logs in again; {@code SERVER_QUIT} and {@code SERVER_RESTART} return {@code null} once the server
     * has taken the command.
     */
    public JsonNode sendCommand(ServerCommand command) {
        return execute(HpxRequest.command(command));
    }

    /**
     * Logs another user in and returns the new session's id, for a gateway that serves many users through one
     * client: run their requests with {@link HpxRequest#inSession}, and end the session with {@link #logout}. The
     * client's own session is not touched, and the client does not keep the new one: whoever holds the id does.
     * In G1 (HPX 0.x, which ties a session to the connections that carry it) the session gets a connection of its
     * own, outside the pool, that carries its requests one at a time until the logout or the client's close; in G2
     * it goes over the pool.
     *
     * @throws HpxWrongCredentialsException when the server refuses the user or the password
     * @throws IllegalArgumentException when {@code password} is null; nothing is sent
     */
    public String login(String user, String password) {
        return execute(HpxRequest.login(user, password));
    }

    /**
     * Logs out a session made by {@link #login}: G2 sends {@code dropauth}, after which the session is invalid. G1
     * has no logout: the client closes the session's connection, and HPX 0.x forgets a session once it has seen
     * that no connection carries it; nothing is sent. A request in the session then fails with
     * {@link HpxSessionLostException}; in G1 without being sent (for the latest 4,096 sessions logged out through
     * this client), since a request on a new connection could reach the server before it has seen the close, run, and
     * keep the session alive.
     */
    public void logout(String sessionId) {
        execute(HpxRequest.command(ServerCommand.DROP_AUTH).inSession(sessionId));
    }

    /**
     * Whether this thread is a G2 connection's reader, where futures of asynchronous G2 calls complete, and broadcast
     * listeners run: {@link #execute}, {@link #authenticate} and {@link #reach} are refused there before anything is
     * sent (they could wait for a reply only that thread can read), {@link #executeAsync} is not.
     */
    public static boolean onReaderThread() {
        return Thread.currentThread() instanceof ReaderThread;
    }

    /** A G2 reader thread must not wait: the replies that end the wait, its own included, are its to read. */
    private static void refuseOnReaderThread(String what, String instead) {
        if (onReaderThread()) {
            throw new IllegalStateException(what + " on a G2 connection's reader thread would hold up the replies it"
                    + " must read: " + instead);
        }
    }

    /** Runs a request on the calling thread and returns what it asks for; see {@link #onReaderThread()}. */
    public <T> T execute(HpxRequest<T> request) {
        // Before anything is sent: the server would run a call whose caller is told it was refused.
        refuseOnReaderThread("a blocking HPX call", "use executeAsync, or continue on an executor");
        Deadline deadline = deadlineOf(request);
        CompletableFuture<T> result = deadline.startAwaitedHere(() -> start(request, deadline, false));
        try {
            // The call ends itself by its deadline; the grace only covers the hand-over of that failure.
            return result.get(Math.max(0, deadline.remainingNanos()) + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (TimeoutException e) {
            throw deadline.expired(address(), "waiting for the reply", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HpxConnectionException("interrupted while waiting for the HPX reply", e);
        }
    }

    /**
     * Runs a request without waiting for its reply. In G2 the request is written from this thread and the
     * future completes on the connection's reader thread (a call that ran out of time: on a thread of its own,
     * {@code hpx-client-expired-…}, never on the client's timer): chain with {@code *Async} methods for work that may
     * block. A G2 call that must wait for a free slot (when {@code maxInFlight} calls are in flight on every
     * connection of a full pool, or calls wait already) waits in a queue, first come first served, without a thread,
     * within its deadline; when a slot is its, a thread of the client's executor writes its request (should the
     * executor refuse, the call fails with an {@link HpxClientBusyException}). At most 10,000 calls wait so; one more
     * fails at once with an {@link HpxClientBusyException}. A G2 call that must wait for a connection to open (the
     * client's first, one more of the pool, another server's) does so on the client's executor, within its deadline,
     * as a G1 call does all its work; a call that needs one more of the pool while another call opens one waits for
     * that open without a thread (at most 10,000 so, as for a slot), then looks again on the executor. This thread
     * only writes requests that have a slot on an open connection, and never waits for another request's write: a
     * request that finds one under way is queued, for the thread writing or a thread of the executor. A caller's thread
     * writes others' requests only before its own deadline and when they are due no later than its own call (within
     * 100 ms), at most 16 in a turn unless its own is still to come, and its own ahead of one due later; a thread of
     * the executor writes the rest (should the executor refuse, those calls fail never sent, with an
     * {@link HpxClientBusyException}, or an {@link HpxConnectionException} when the executor was shut down). So calls
     * of one thread can go out in another order than they were made (one that waited for a slot after one that did
     * not). A connection whose server stopped reading can hold the thread writing until its own call's deadline and
     * up to 100 ms more, when the connection is closed. On a virtual thread (Java 21 and later) a thread of the
     * executor makes this thread's write to the socket, which this thread waits for, an interrupt or not: the JDK
     * closes the socket of a virtual thread interrupted while it waits on it, under every call of the connection.
     */
    public <T> CompletableFuture<T> executeAsync(HpxRequest<T> request) {
        try {
            return start(request, deadlineOf(request), true);
        } catch (HpxException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Establishes the session now, if it is not yet, and returns its id: a way to fail fast on a wrong
     * password or an unreachable server.
     *
     * @throws IllegalStateException on a G2 connection's reader thread, which may be the one to read the handshake's
     *         reply
     */
    public String authenticate() {
        // The handshake's reply may be the reader's own to read.
        refuseOnReaderThread("establishing the HPX session", "continue on an executor");
        Deadline deadline = Deadline.after(settings.requestTimeout());
        return join(deadline.startAwaitedHere(() -> onServer(deadline, NO_ATTEMPT,
                on -> on.transport().run(ex -> on.sessions().session(ex, deadline), deadline, false))));
    }

    /**
     * Opens a connection to the server, reads its welcome and closes the connection, within {@code requestTimeout}:
     * whether the server can be reached, with no request sent, so without a session or a login. For a client that
     * only carries users' sessions, whose own login a server may refuse each time. Moves to another server as a call
     * would, when the client has several. The client's first connection to a server, which tells the server's
     * protocol generation, stays in the pool as a call's would.
     *
     * @return the welcome read
     * @throws HpxException          when no server can be reached, or answers no welcome of the expected generation
     * @throws IllegalStateException on a G2 connection's reader thread, whose replies would wait for the connect
     */
    public Welcome reach() {
        refuseOnReaderThread("reaching an HPX server", "continue on an executor");
        ServerConnection connection = openUnpooled(Deadline.after(settings.requestTimeout()), NO_ATTEMPT).connection();
        try {
            return connection.welcome();
        } finally {
            connection.close();
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
     *
     * @throws IllegalStateException when the client is closed: the watch would try to reconnect for ever
     */
    public BroadcastWatch watchBroadcasts(Executor executor, Duration initialDelay, Duration maxDelay,
            BroadcastWatch.StateListener states) {
        BroadcastWatch watch = new BroadcastWatch(this, initialDelay, maxDelay, states, watches::remove);
        watches.add(watch);
        if (closing) {
            // Not started: nothing to close.
            watches.remove(watch);
            throw new IllegalStateException("HPX client is closed");
        }
        watch.start(executor);
        return watch;
    }

    /** The current session id (on the server the client is on), or {@code null} before the first handshake. */
    public String sessionId() {
        return currentSessions().current();
    }

    /**
     * Where a command started now lives, for {@link AsyncCommand}: the server the client is on, and how often it lost
     * the client's session. Another scope later means the command may be gone: the client moved to another server,
     * or the server lost the session, maybe in a restart, after which 0.3.0 counts command ids from the start again.
     */
    Object commandScope() {
        return CommandScope.of(currentSessions());
    }

    private record CommandScope(SessionKeeper server, long losses) {

        static CommandScope of(SessionKeeper server) {
            return new CommandScope(server, server.losses());
        }
    }

    /** The session on the server the client is on; before the first connection, the one it starts with. */
    private SessionKeeper currentSessions() {
        ServerTransport on = servers.current();
        return on == null ? sessions : on.sessions();
    }

    /** The protocol generation the server speaks, or {@link HpxProtocol#AUTO} before the first connection. */
    public HpxProtocol protocol() {
        ServerTransport current = servers.current();
        return current == null ? HpxProtocol.AUTO : current.transport().protocol();
    }

    /**
     * The welcome of the current server's newest connection (server name, version, whether guests are allowed),
     * or {@code null}.
     */
    public Welcome welcome() {
        ServerTransport current = servers.current();
        return current == null ? null : current.transport().lastWelcome();
    }

    /** The server the client is on: the one its calls go to. {@code null} before the first connection. */
    public ServerAddress server() {
        ServerTransport current = servers.current();
        return current == null || current.transport().lastWelcome() == null ? null : current.server();
    }

    /** Number of open connections to the current server, busy or idle, those of G1 user sessions included. */
    public int openConnections() {
        ServerTransport current = servers.current();
        return (current == null ? 0 : current.transport().openConnections()) + users.openConnections();
    }

    /** What the client is doing now: connections, calls counted since it was built, the last failure. */
    public HpxClientStats stats() {
        ServerTransport on = servers.current();
        Transport current = on == null ? null : on.transport();
        int pooled = current == null ? 0 : current.openConnections();
        int busy = current == null ? 0 : Math.min(pooled, current.busyConnections());
        // As openConnections(): G1 user sessions' own connections count as open and idle.
        int open = pooled + users.openConnections();
        CallCounter.Failure failure = calls.lastFailure();
        return new HpxClientStats(address(), protocol(), user, sessionId() != null, open, busy, open - busy,
                calls.inFlight(), calls.succeededCount(), calls.failedCount(), sessions.logins(),
                failure == null ? null : failure.text(), failure == null ? null : failure.at());
    }

    @Override
    public void close() {
        closing = true;
        watches.forEach(BroadcastWatch::close);
        sockets.closeAll();
        users.close();
        servers.close();
        callTimer.close();
        if (ownedExecutor != null) {
            // Queued calls still run, and fail at once on the closed transport: none is left incomplete.
            ownedExecutor.shutdown();
        }
    }

    @Override
    public String toString() {
        return "HpxClient[" + address() + ", " + login + ", " + protocol() + "]";
    }

    /**
     * Opens a connection outside the pool that belongs to the session (the server ties a connection to a
     * session when it first carries it), for a watch that only listens for broadcasts. Closing the client
     * aborts it while it opens.
     */
    ServerConnection openSessionConnection(Consumer<Socket> attempt) {
        Deadline deadline = Deadline.after(settings.requestTimeout());
        Listening opened = openUnpooled(deadline, attempt);
        ServerConnection connection = opened.connection();
        try {
            // Awaited here: the watch's thread reads the replies, and sends the ping after the handshake itself.
            join(deadline.startAwaitedHere(() -> opened.sessions().inSession(connection, "call", PING,
                    ReplyReading.TREE, deadline)));
            if (connection.isClosed()) {
                // Answered as its deadline passed, which closes the connection (HpxConnection.exchange), or closed by
                // the server since: its first read for the watch would have failed, as a timeout of no call.
                throw deadline.remainingNanos() <= 0 ? deadline.expired(address(), "waiting for the reply", null)
                        : new HpxServerDisconnectedException("HPX server " + address() + " closed the connection"
                                + " right after it answered", false);
            }
            return connection;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** A connection opened outside the pool, and the session on its server. */
    private record Listening(ServerConnection connection, SessionKeeper sessions) {
    }

    /** Opens a connection outside the pool, as a call's connect would (moving to another server if need be). */
    private Listening openUnpooled(Deadline deadline, Consumer<Socket> attempt) {
        return join(deadline.startAwaitedHere(() -> onServer(deadline, attempt, on -> {
            try {
                return CompletableFuture.completedFuture(
                        new Listening(on.transport().openListening(deadline, attempt), on.sessions()));
            } catch (HpxException e) {
                return CompletableFuture.failedFuture(e);
            }
        })));
    }

    /** Delivers the broadcasts a G1 session connection's check read ({@link #openSessionConnection}). */
    void deliverRecordedBroadcasts() {
        broadcasts.deliverRecorded();
    }

    private Deadline deadlineOf(HpxRequest<?> request) {
        return Deadline.after(request.timeout() != null ? request.timeout() : settings.requestTimeout());
    }

    private <T> CompletableFuture<T> start(HpxRequest<T> request, Deadline deadline, boolean async) {
        return counted(() -> onServer(deadline, NO_ATTEMPT, on -> startOn(on, request, deadline, async, true)));
    }

    /**
     * For {@link AsyncCommand}: {@code request} sent only within {@code scope} (see {@link #commandScope}), on the
     * server the client is on, in the session it has there, asynchronously: never moved to another server, nor sent
     * again in a new session when the server lost that one; it fails then, and when the scope is no longer the
     * client's.
     */
    <T> CompletableFuture<T> executeWithin(Object scope, HpxRequest<T> request) {
        Deadline deadline = deadlineOf(request);
        return counted(() -> {
            ServerTransport on = servers.current();
            if (on == null || !scope.equals(CommandScope.of(on.sessions()))) {
                return CompletableFuture.failedFuture(new HpxConnectionException("HPX request not sent: the client"
                        + " moved to another server, or the server lost its session", null));
            }
            return startOn(on, request, deadline, true, false);
        });
    }

    /** The call {@code starting} begins, counted in the client's stats once it has ended. */
    private <T> CompletableFuture<T> counted(Supplier<CompletableFuture<T>> starting) {
        calls.started();
        CompletableFuture<T> result;
        try {
            result = starting.get();
        } catch (RuntimeException e) {
            // Failed before its future existed (no connection, an argument Jackson cannot convert): ended all the same.
            calls.failed(e);
            throw e;
        }
        // Counted once the call has ended, on whichever server: a failure that moved it to another is not its end.
        CompletableFuture<T> ended = new CompletableFuture<>();
        result.whenComplete((done, failure) -> {
            if (failure == null) {
                calls.succeeded();
            } else {
                calls.failed(unwrapped(failure));
            }
            callTimer.relay(ended, done, failure);
        });
        return ended;
    }
    /**
     * Runs {@code call} on the current server's transport and, when the connection it needed to that server could
     * not be opened, once more on the next server that answers, within the same deadline; a call that found its
     * transport retired by a move runs on the server moved to. {@code attempt} is given each socket opened to a
     * server on the way.
     */
    private <T> CompletableFuture<T> onServer(Deadline deadline, Consumer<Socket> attempt,
            Function<ServerTransport, CompletableFuture<T>> call) {
        if (servers.current() == null && !deadline.mayWaitHere()) {
            // The client's first connection: an asynchronous caller's thread must not wait for its connect.
            return handoff.submit(() -> onServer(deadline, attempt, call), deadline);
        }
        ServerTransport on = servers.current(deadline, attempt);
        CompletableFuture<T> result = call.apply(on);
        if (!servers.hasAlternatives() && settings.protocol() != HpxProtocol.AUTO) {
            return result;
        }
        return result.exceptionallyCompose(failure -> {
            Throwable cause = unwrapped(failure);
            if (cause instanceof GenerationChangedException changed) {
                // Once: a server that changes again within the call fails it.
                return offReader(() -> {
                    try {
                        return rerouted(call.apply(servers.regenerate(on, deadline, attempt)), deadline, attempt, call);
                    } catch (HpxException e) {
                        e.addSuppressed(changed);
                        throw e;
                    }
                }, deadline);
            }
            if (cause instanceof TransportRetiredException) {
                return rerouted(result, deadline, attempt, call);
            }
            if (!servers.hasAlternatives()) {
                return CompletableFuture.failedFuture(cause);
            }
            if (!servers.cannotReach(cause)) {
                return CompletableFuture.failedFuture(cause);
            }
            HpxException unreachable = (HpxException) cause;
            return offReader(() -> rerouted(call.apply(servers.moveFrom(on, unreachable, deadline, attempt)), deadline,
                    attempt, call), deadline);
        });
    }

    /**
     * {@code run}'s outcome, unless it found its transport retired: it took that transport just before the client
     * moved (or followed a new generation), also the one a move of its own had taken it to, and sent nothing. It then
     * runs on the server the client is on now.
     */
    private <T> CompletableFuture<T> rerouted(CompletableFuture<T> run, Deadline deadline, Consumer<Socket> attempt,
            Function<ServerTransport, CompletableFuture<T>> call) {
        return run.exceptionallyCompose(failure -> {
            Throwable cause = unwrapped(failure);
            return cause instanceof TransportRetiredException ? offReader(() -> onServer(deadline, attempt, call), deadline)
                    : CompletableFuture.failedFuture(cause);
        });
    }

    /** What a future failed with, out of the CompletionExceptions around it. */
    private static Throwable unwrapped(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Runs {@code work} here if the call may wait on this thread, else on the executor (a G2 reader, an asynchronous
     * caller's thread): moving and opening connect.
     */
    private <T> CompletableFuture<T> offReader(Supplier<CompletableFuture<T>> work, Deadline deadline) {
        return deadline.mayWaitHere() ? work.get() : handoff.submit(work, deadline);
    }

    /** {@code renew}: a lost session is renewed, and the request sent again in the new one. */
    private <T> CompletableFuture<T> startOn(ServerTransport on, HpxRequest<T> request, Deadline deadline,
            boolean async, boolean renew) {
        HpxProtocol protocol = on.transport().protocol();
        return reply(on, request, deadline, async, renew).thenApply(reply -> {
            try {
                return request.result(reply, protocol);
            } catch (HpxProtocolException e) {
                FailedFrames.unexpected(settings, protocol, reply, e);
                throw e;
            }
        });
    }

    private CompletableFuture<Envelope> reply(ServerTransport on, HpxRequest<?> request, Deadline deadline,
            boolean async, boolean renew) {
        Transport current = on.transport();
        if (request.login() != null) {
            return users.login(current, request.login(), deadline, async);
        }
        String session = request.session();
        if (request.command() != null) {
            return session != null ? users.logout(current, session, deadline, async)
                    : current.run(ex -> command(ex, on.sessions(), request.command(), deadline), deadline, async);
        }
        ArrayNode data = toData(request.calls());
        ReplyReading reading = request.reading(settings.mapper());
        if (session != null) {
            return users.call(current, session, data, reading, deadline, async);
        }
        return current.run(ex -> renew ? on.sessions().inSession(ex, "call", data, reading, deadline)
                : on.sessions().inSessionAsItIs(ex, "call", data, reading, deadline), deadline, async);
    }

    private static CompletableFuture<Envelope> command(Exchanger ex, SessionKeeper sessions, ServerCommand command,
            Deadline deadline) {
        return switch (command) {
            case REQUEST_AUTH -> sessions.requestAuth(ex, deadline);
            case DROP_AUTH -> sessions.dropAuth(ex, deadline);
            case SERVER_QUIT, SERVER_RESTART -> {
                String current = sessions.current();
                yield ex.exchange(command.wireName(), current == null ? "" : current, null, ReplyReading.TREE, deadline)
                        .thenApply(reply -> {
                            // G1 has no reply (null); G2 answers "ok"
                            Replies.requireNoError(reply);
                            return null;
                        });
            }
        };
    }

    /** The transport for a server, in the generation its first connection speaks. */
    private Transport newTransport(HpxProtocol protocol, ClientSettings server, Link first) {
        return protocol == HpxProtocol.G2
                ? new MultiplexPool(server, broadcasts, sockets, timer, executor, poolSize, first)
                : new LockstepPool(server, broadcasts, sockets, timer, executor, poolSize, idleTimeout, first);
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

    /** The current server, or the list before the first connection. */
    private String address() {
        ServerTransport current = servers.current();
        return current != null ? current.server().toString() : servers.toString();
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw unwrap(e.getCause());
        }
    }

    private static RuntimeException unwrap(Throwable failure) {
        Throwable cause = unwrapped(failure);
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new HpxConnectionException("HPX call failed: " + cause, cause);
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

        /** No message can be larger: it is read into one array. */
        private static final long MAX_MESSAGE_SIZE = Integer.MAX_VALUE - 8;

        private String host = "localhost";
        private int port = 7007;
        private List<ServerAddress> servers;
        private Duration failbackInterval;
        private String clientName = "camel-hpx";
        private HpxProtocol protocol = HpxProtocol.AUTO;
        private Credentials credentials;
        private String sessionId;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration idleTimeout;
        private int poolSize = 4;
        private int maxInFlight = 16;
        private boolean retryOnConnectionFailure = true;
        private boolean dumpFailedFrames;
        private SSLContext sslContext;
        private long maxMessageSize = 64L * 1024 * 1024;
        private int compressionLevel = 5;
        private ObjectMapper objectMapper;
        private Executor executor;
        private Duration idleWatchDelay = Duration.ofMillis(50);

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

        /**
         * Several servers, in order of preference, instead of {@link #host} and {@link #port}: the client uses
         * the first that answers and moves to the next when a connection to the current one cannot be opened.
         */
        public Builder servers(List<ServerAddress> servers) {
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("servers must name at least one HPX server");
            }
            this.servers = List.copyOf(servers);
            return this;
        }

        /**
         * With several servers: while on one that is not the first, try the servers before it every
         * {@code interval} and move back to the first that answers. By default ({@code null}) the client stays
         * where it moved to while that server can be reached.
         */
        public Builder failback(Duration interval) {
            this.failbackInterval = interval == null ? null : Durations.requirePositive(interval, "failback interval");
            return this;
        }

        /** The name sent in every message's {@code name}; the server remembers it as the session owner's. */
        public Builder clientName(String clientName) {
            this.clientName = Objects.requireNonNull(clientName, "clientName");
            return this;
        }

        /**
         * The protocol generation: {@code AUTO} (default) follows the server's welcome; {@code G1} or {@code G2}
         * refuses a server that speaks the other with an {@link HpxProtocolException}.
         */
        public Builder protocol(HpxProtocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /**
         * Log in as this user; without credentials ({@code user} null) the client is a guest.
         *
         * @throws IllegalArgumentException when a user has no password (HPX 0.x would let the user {@code default}
         *         in without one even where the server disabled that user)
         */
        public Builder credentials(String user, String password) {
            this.credentials = user == null ? null : new Credentials(user, password);
            return this;
        }

        /** Use this existing session instead of a handshake (a new one is made if the server no longer knows it). */
        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId == null || sessionId.isEmpty() ? null : sessionId;
            return this;
        }

        /** How long opening a connection (TCP, TLS and the welcome) may take, within the call's own deadline. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Durations.requirePositive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long one call may take from start to end: waiting for a connection, connecting, the handshake, the
         * reply, a renewal of the session and a retry all come out of it.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Durations.requirePositive(requestTimeout, "requestTimeout");
            return this;
        }

        /** G1: close a pooled connection idle this long (default: never); a server or a NAT may drop it silently. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout == null ? null : Durations.requirePositive(idleTimeout, "idleTimeout");
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

        /**
         * G2: the most requests in flight on one connection (default 16); more wait for a free slot, in turn (an
         * asynchronous call without a thread, see {@link HpxClient#executeAsync}). A request that
         * timed out keeps its slot until its late reply comes, so that the server never has more of a connection's
         * requests waiting; a connection whose every slot is held so is closed, and calls go on a new one.
         */
        public Builder maxInFlight(int maxInFlight) {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
            }
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * Whether a call whose connection the server closed before any byte of the reply is sent again on a new
         * connection (default true). The server may have run it already (e.g. during a restart): turn this off
         * for calls that must never run twice. A G2 call that never went out (its connection broke while it waited
         * for a slot) is sent on a new connection either way: it cannot have run.
         */
        public Builder retryOnConnectionFailure(boolean retry) {
            this.retryOnConnectionFailure = retry;
            return this;
        }

        /**
         * Whether a received message that cannot be decoded (bad gzip, JSON or MessagePack, a frame cut short, a
         * reply of the wrong shape) is logged at WARN, once, with a bounded dump for a report of a server bug: the
         * failure, the generation, the connection, the frame's length and its first and last 256 bytes as hex and
         * text. Session ids and passwords are masked; a G1 frame is shown inflated as far as its gzip goes (the
         * compressed bytes would carry the session id past the mask). Off by default.
         */
        public Builder dumpFailedFrames(boolean dump) {
            this.dumpFailedFrames = dump;
            return this;
        }

        /**
         * How long a G2 connection's reader thread leaves an idle socket to blocking callers (which read their own
         * replies) before it reads it itself, to see a broadcast or a close soon. Not an option: tests set it so that
         * a blocking caller reads for itself whatever the machine's load.
         */
        Builder idleWatchDelay(Duration delay) {
            this.idleWatchDelay = Durations.requirePositive(delay, "idleWatchDelay");
            return this;
        }

        /**
         * Connect with TLS; the server's certificate and host name are verified.
         *
         * @throws IllegalArgumentException when {@code sslContext} is not initialised (the JDK would only say so at
         *                                  the first connect)
         */
        public Builder sslContext(SSLContext sslContext) {
            if (sslContext != null) {
                try {
                    sslContext.getSocketFactory();
                } catch (IllegalStateException e) {
                    throw new IllegalArgumentException("sslContext is not initialised: call its init first", e);
                }
            }
            this.sslContext = sslContext;
            return this;
        }

        /**
         * The largest message accepted, both as received and (G1) after decompression. A value beyond the largest
         * Java array, 2,147,483,639 bytes, counts as that.
         */
        public Builder maxMessageSize(long maxMessageSize) {
            if (maxMessageSize < 1) {
                throw new IllegalArgumentException("maxMessageSize must be positive, was " + maxMessageSize);
            }
            this.maxMessageSize = Math.min(maxMessageSize, MAX_MESSAGE_SIZE);
            return this;
        }

        /** G1: the gzip level of outgoing messages, 0–9 (the server uses 5). */
        public Builder compressionLevel(int compressionLevel) {
            if (compressionLevel < 0 || compressionLevel > 9) {
                throw new IllegalArgumentException("compressionLevel must be 0..9, was " + compressionLevel);
            }
            this.compressionLevel = compressionLevel;
            return this;
        }

        /** The mapper for arguments and bound results; G2 uses a MessagePack copy of it. */
        public Builder objectMapper(ObjectMapper objectMapper) {
            this.objectMapper = objectMapper;
            return this;
        }

        /**
         * Where G1's asynchronous calls run, where G2's wait for a connect, and where G2's that waited for a request
         * slot write their requests, as do G2's callers on virtual threads, and the requests a caller's thread left
         * queued (beyond its turn, or due later than its own call); where G2 calls whose write failed on another
         * caller's thread fail (see {@link HpxClient#executeAsync}); by default a client-owned pool of {@code poolSize}
         * threads. It must not run a task on the thread that hands it over (no caller-runs policy): that can be a
         * connection's reader, or the client's timer.
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        public HpxClient build() {
            return new HpxClient(this);
        }
    }
}
