package io.github.camelhpx.component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.client.ServerAddress;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The options of the {@code hpx} component. Set on the component they apply to every endpoint; each endpoint
 * gets its own {@link #copy()} and overrides what its URI sets.
 */
@UriParams
public class HpxConfiguration implements Cloneable {

    @UriParam(label = "common", defaultValue = "localhost")
    private String host = "localhost";
    @UriParam(label = "common", defaultValue = "7007")
    private int port = 7007;
    @UriParam(label = "common")
    private boolean failback;
    @UriParam(label = "common", defaultValue = "10000", javaType = "java.time.Duration")
    private long failbackInterval = 10_000;
    @UriParam(label = "common", defaultValue = "camel-hpx")
    private String clientName = "camel-hpx";
    @UriParam(label = "security")
    private String user;
    @UriParam(label = "security")
    @Metadata(secret = true)
    private String password;
    @UriParam(label = "security")
    @Metadata(secret = true)
    private String sessionId;
    @UriParam(label = "security")
    private SSLContextParameters sslContextParameters;
    @UriParam(label = "common", defaultValue = "10000", javaType = "java.time.Duration")
    private long connectTimeout = 10_000;
    @UriParam(label = "common", defaultValue = "30000", javaType = "java.time.Duration")
    private long requestTimeout = 30_000;
    @UriParam(label = "common", defaultValue = "4")
    private int poolSize = 4;
    @UriParam(label = "common", defaultValue = "auto", enums = "auto,g1,g2")
    private String protocol = "auto";
    @UriParam(label = "advanced", defaultValue = "16")
    private int maxInFlight = 16;
    @UriParam(label = "advanced", defaultValue = "true")
    private boolean retryOnConnectionFailure = true;
    @UriParam(label = "advanced", defaultValue = "0", javaType = "java.time.Duration")
    private long idleTimeout;
    @UriParam(label = "advanced", defaultValue = "67108864")
    private long maxMessageSize = 64L * 1024 * 1024;
    @UriParam(label = "advanced", defaultValue = "5")
    private int compressionLevel = 5;
    @UriParam(label = "advanced")
    private boolean dumpFailedFrames;
    @UriParam(label = "advanced")
    @Metadata(autowired = true)
    private ObjectMapper objectMapper;
    @UriParam(label = "common", prefix = "arg.", multiValue = true)
    private Map<String, Object> args = new LinkedHashMap<>();
    @UriParam(label = "common")
    private Class<?> outputClass;
    @UriParam(label = "producer")
    private boolean allowServerCommands;
    @UriParam(label = "producer,security")
    private boolean sessionFromHeader;
    @UriParam(label = "producer")
    private boolean awaitCommand;
    @UriParam(label = "producer", defaultValue = "1000", javaType = "java.time.Duration")
    private long commandPollInterval = 1000;
    @UriParam(label = "producer", defaultValue = "600000", javaType = "java.time.Duration")
    private long commandTimeout = 600_000;
    @UriParam(label = "producer")
    private String commandProgressUri;
    @UriParam(label = "producer,advanced")
    private boolean synchronous;
    @UriParam(label = "consumer", defaultValue = "1000", javaType = "java.time.Duration")
    private long reconnectDelay = 1000;
    @UriParam(label = "consumer", defaultValue = "30000", javaType = "java.time.Duration")
    private long maxReconnectDelay = 30_000;
    @UriParam(label = "consumer", defaultValue = "100")
    private int maxMessagesPerPoll = 100;

    public String getHost() {
        return host;
    }

    /**
     * The host name or address of the HPX server; or several servers, comma-separated and in order of preference, each
     * host or host:port (an IPv6 address with a port is written in square brackets, then a colon and the port), e.g.
     * hpx1:7007,hpx2:7007. Calls and consumers use the first server that answers, and move to the next when a
     * connection to the current one cannot be opened (logging in there anew); see failback for coming back.
     */
    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    /**
     * The TCP port of the HPX server (7007 is HPX's default; 7008 is its web client, not this protocol); with
     * several servers in host, the port of those listed without one.
     */
    public void setPort(int port) {
        this.port = port;
    }

    /** The servers of host and port, in order. */
    List<ServerAddress> servers() {
        return ServerAddress.parseList(host, port);
    }

    public boolean isFailback() {
        return failback;
    }

    /**
     * With several servers in host: come back to an earlier server once it answers again. While on another
     * server, the component tries those before it every failbackInterval and moves to the first that answers:
     * new calls go there, the connections to the server it left close as their calls end, and a broadcast
     * consumer reconnects. Off (the default), it stays on the server it moved to while that one can be reached.
     */
    public void setFailback(boolean failback) {
        this.failback = failback;
    }

    public long getFailbackInterval() {
        return failbackInterval;
    }

    /**
     * With failback: how often to try the servers before the current one.
     */
    public void setFailbackInterval(long failbackInterval) {
        this.failbackInterval = failbackInterval;
    }

    public String getClientName() {
        return clientName;
    }

    /**
     * The name this client sends in every message; the server remembers it as the session owner's name.
     */
    public void setClientName(String clientName) {
        this.clientName = clientName;
    }

    public String getUser() {
        return user;
    }

    /**
     * The user to log in as. Without a user the component connects as a guest, which the server must allow.
     */
    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    /**
     * The password of the user. It is only sent in the handshake and never logged.
     */
    public void setPassword(String password) {
        this.password = password;
    }

    public String getSessionId() {
        return sessionId;
    }

    /**
     * An existing HPX session (32 hex characters) to use without a handshake. If the server no longer knows it,
     * the component logs in again with the user and password (or as a guest).
     */
    public void setSessionId(String sessionId) {
        this.sessionId = sessionId;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /**
     * Connect with TLS using these parameters; the server's certificate and host name are verified. Without
     * them (and without global SSL context parameters) the connection is plain TCP.
     */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * How long to wait for a new connection to be established and for the server's welcome message.
     */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getRequestTimeout() {
        return requestTimeout;
    }

    /**
     * How long one call may take from its start to its end: waiting for a free connection, connecting, the
     * handshake, the reply, a renewal of the session and a retry all come out of it. When it passes, the
     * exchange fails with an ExchangeTimedOutException that says what the call was waiting for.
     */
    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public int getPoolSize() {
        return poolSize;
    }

    /**
     * The most connections open to the server at once, all sharing one session. With an HPX 0.x server (G1)
     * each connection carries one call at a time, so this is the number of concurrent calls; with HPX 1.0 (G2)
     * each carries up to maxInFlight calls, and a new connection is opened only when every open one is busy.
     */
    public void setPoolSize(int poolSize) {
        this.poolSize = poolSize;
    }

    public String getProtocol() {
        return protocol;
    }

    /**
     * The protocol generation: auto (follow the server's first message), g1 (HPX 0.x: gzip JSON) or g2 (HPX 1.0:
     * MessagePack). With g1 or g2 a server that speaks the other fails the call with an HpxProtocolException.
     */
    public void setProtocol(String protocol) {
        this.protocol = protocol;
    }

    public int getMaxInFlight() {
        return maxInFlight;
    }

    /**
     * With an HPX 1.0 server (G2): the most calls in flight on one connection at once, matched to their replies
     * by id. A call that finds every slot of every connection taken waits for one within its requestTimeout. A call
     * that timed out keeps its slot until its late reply comes; a connection whose every slot is held so is closed.
     */
    public void setMaxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public boolean isRetryOnConnectionFailure() {
        return retryOnConnectionFailure;
    }

    /**
     * Whether a call whose connection the server closed before any byte of the reply is sent once more on a new
     * connection. The server may have run it already (e.g. while restarting): turn this off for calls that must
     * never run twice. A G2 call that never went out (its connection broke while it waited for a slot) is sent on a
     * new connection either way: it cannot have run.
     */
    public void setRetryOnConnectionFailure(boolean retryOnConnectionFailure) {
        this.retryOnConnectionFailure = retryOnConnectionFailure;
    }

    public long getIdleTimeout() {
        return idleTimeout;
    }

    /**
     * With an HPX 0.x server (G1): close a pooled connection that has been idle this long (0: never), before a
     * server, firewall or NAT drops it silently.
     */
    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public long getMaxMessageSize() {
        return maxMessageSize;
    }

    /**
     * The largest reply accepted, in bytes, both as received (compressed) and after decompression. A larger
     * one fails the call with an HpxProtocolException and closes its connection.
     */
    public void setMaxMessageSize(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public int getCompressionLevel() {
        return compressionLevel;
    }

    /**
     * The gzip level (0-9) of the messages sent to the server; the HPX server itself uses 5.
     */
    public void setCompressionLevel(int compressionLevel) {
        this.compressionLevel = compressionLevel;
    }

    public boolean isDumpFailedFrames() {
        return dumpFailedFrames;
    }

    /**
     * Whether a received message that cannot be decoded (bad gzip, JSON or MessagePack, a frame cut short, a reply
     * of the wrong shape) is logged at WARN, once per failure, with a bounded dump to report a server bug with: the
     * failure, the protocol generation, the connection's local and remote address, the frame's length and its first
     * and last 256 bytes as hex and text. Session ids and passwords are masked, and an HPX 0.x frame is shown
     * inflated as far as its gzip goes, since its compressed bytes would carry the session id past the mask.
     */
    public void setDumpFailedFrames(boolean dumpFailedFrames) {
        this.dumpFailedFrames = dumpFailedFrames;
    }

    public ObjectMapper getObjectMapper() {
        return objectMapper;
    }

    /**
     * The Jackson ObjectMapper that turns message bodies into function arguments and function data into the
     * outputClass. By default a plain ObjectMapper, or the single ObjectMapper found in the registry.
     */
    public void setObjectMapper(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    public Map<String, Object> getArgs() {
        return args;
    }

    /**
     * Arguments of the function call, one option per argument, e.g. arg.item_type=Gallery and arg.limit=10.
     * Values that are JSON literals (numbers, true, false, null, quoted text, arrays, objects) are sent as such,
     * anything else as text. A producer's message body overrides them (a batch body does not get them); a
     * polling consumer sends them with every call.
     */
    public void setArgs(Map<String, Object> args) {
        this.args = args;
    }

    public Class<?> getOutputClass() {
        return outputClass;
    }

    /**
     * The class the function's data is converted to with Jackson; by default the body is the data as a Jackson
     * JsonNode. A producer's single call binds the data straight from the reply as it arrives, never holding it
     * as a JsonNode as well: less memory and time for big results. Applies to single calls and polled results,
     * not to batches or broadcasts.
     */
    public void setOutputClass(Class<?> outputClass) {
        this.outputClass = outputClass;
    }

    public boolean isAllowServerCommands() {
        return allowServerCommands;
    }

    /**
     * Whether this endpoint may send the server commands requestauth, dropauth, serverquit and serverrestart, and
     * the login handshake (as its function name or the CamelHpxFunction header). Off by default, so that no
     * misrouted message can shut a server down.
     */
    public void setAllowServerCommands(boolean allowServerCommands) {
        this.allowServerCommands = allowServerCommands;
    }

    public boolean isSessionFromHeader() {
        return sessionFromHeader;
    }

    /**
     * Whether each call runs in the HPX session whose id the exchange carries in the CamelHpxSessionId header
     * (made by an hpx:handshake endpoint, for example, so that one route serves many logged-in users over one
     * pool of connections), instead of the endpoint's own session; the header is left as it is. A header holding the
     * own session of one of the component's clients (which every other hpx call's reply puts there) is refused. A call whose
     * session the server no longer knows (expired, logged out, server restarted) fails with an
     * HpxSessionLostException: the component never logs in again for it and never falls back to the endpoint's own
     * session; an exchange without the header fails too. hpx:dropauth logs the header's session out. Off by
     * default, because every call sets the header: a route that calls two endpoints in a row would otherwise run
     * the second in the first one's session. Cannot be combined with awaitCommand.
     */
    public void setSessionFromHeader(boolean sessionFromHeader) {
        this.sessionFromHeader = sessionFromHeader;
    }

    public boolean isAwaitCommand() {
        return awaitCommand;
    }

    /**
     * For functions that start an asynchronous HPX command and return its id (check_update, scan_galleries,
     * get_similar, ...): poll the command until it ends and reply with its value instead of the id. If the
     * wait times out or the route stops first, the command is stopped on the server.
     */
    public void setAwaitCommand(boolean awaitCommand) {
        this.awaitCommand = awaitCommand;
    }

    public long getCommandPollInterval() {
        return commandPollInterval;
    }

    /**
     * With awaitCommand: the pause between two polls of the command's state and progress. It must be positive and at
     * most 100 years: a producer with another value is refused when it is created, before any command is sent.
     */
    public void setCommandPollInterval(long commandPollInterval) {
        this.commandPollInterval = commandPollInterval;
    }

    public long getCommandTimeout() {
        return commandTimeout;
    }

    /**
     * With awaitCommand: how long to wait for the command to end. Then the command is stopped on the server
     * and the exchange fails with an ExchangeTimedOutException. It must be positive and at most 100 years: a producer
     * with another value is refused when it is created (at the route's start for a static endpoint), before any
     * command is sent.
     */
    public void setCommandTimeout(long commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public String getCommandProgressUri() {
        return commandProgressUri;
    }

    /**
     * With awaitCommand: an endpoint URI (e.g. seda:progress) that receives each change of the command's
     * progress as a JsonNode body, with the headers CamelHpxCommandId and CamelHpxCommandState. The snapshots
     * of one command are sent in order, one after the other.
     */
    public void setCommandProgressUri(String commandProgressUri) {
        this.commandProgressUri = commandProgressUri;
    }

    public boolean isSynchronous() {
        return synchronous;
    }

    /**
     * Whether the route's thread makes the HPX call and waits for the reply. By default the call runs
     * asynchronously and the route continues on the thread that received the reply (G2: the connection's reader;
     * G1: the client thread that made the call): add threads() after the call if the route blocks there.
     */
    public void setSynchronous(boolean synchronous) {
        this.synchronous = synchronous;
    }

    public long getReconnectDelay() {
        return reconnectDelay;
    }

    /**
     * For the broadcast consumer: how long to wait before the first attempt to reconnect after the server went
     * away (quit, restart, crash or a network cut). Each failed attempt doubles the wait, up to
     * maxReconnectDelay; a connection that stays up at least this long starts again from this delay (one that is
     * dropped sooner counts as a failed attempt).
     */
    public void setReconnectDelay(long reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public long getMaxReconnectDelay() {
        return maxReconnectDelay;
    }

    /**
     * For the broadcast consumer: the longest wait between two attempts to reconnect. It must not be shorter
     * than reconnectDelay.
     */
    public void setMaxReconnectDelay(long maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }

    public int getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    /**
     * For a polling consumer of get_notification, which is called again within one poll until the queue is
     * empty: the most notifications emitted per poll; the rest follow at the next poll. 0 or less means no
     * limit. Other functions are called once per poll.
     */
    public void setMaxMessagesPerPoll(int maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    /** A copy whose arguments can be changed without touching this configuration's. */
    public HpxConfiguration copy() {
        try {
            HpxConfiguration copy = (HpxConfiguration) clone();
            copy.args = new LinkedHashMap<>(args);
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
