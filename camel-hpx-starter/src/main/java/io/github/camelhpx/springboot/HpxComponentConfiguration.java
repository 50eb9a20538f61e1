package io.github.camelhpx.springboot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.component.HpxConfiguration;

import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The options of the {@code hpx} component as Spring Boot properties, {@code camel.component.hpx.*}: one property
 * per component option of {@code hpx.json} (a test keeps the two in step). A property that is not set leaves the
 * component's own value alone, so the defaults shown here are the component's.
 *
 * <p>Options that take an object ({@code configuration}, {@code object-mapper}, {@code ssl-context-parameters})
 * take a bean reference: {@code #bean:name} (or {@code #name}).
 */
@ConfigurationProperties(prefix = "camel.component.hpx")
public class HpxComponentConfiguration extends ComponentConfigurationPropertiesCommon {

    /**
     * Whether to enable auto configuration of the hpx component. This is enabled by default.
     */
    private Boolean enabled;

    // common

    /**
     * The name this client sends in every message; the server remembers it as the session owner's name.
     */
    private String clientName = "camel-hpx";
    /**
     * How long to wait for a new connection to be established and for the server's welcome message (e.g. 10s;
     * a bare number is milliseconds).
     */
    private Duration connectTimeout = Duration.ofSeconds(10);
    /**
     * With several servers in host: come back to an earlier server once it answers again. While on another
     * server, the component tries those before it every failback-interval and moves to the first that answers:
     * new calls go there, the connections to the server it left close as their calls end, and a broadcast
     * consumer reconnects. Off (the default), it stays on the server it moved to while that one can be reached.
     */
    private Boolean failback = false;
    /**
     * With failback: how often to try the servers before the current one (e.g. 10s; a bare number is
     * milliseconds).
     */
    private Duration failbackInterval = Duration.ofSeconds(10);
    /**
     * The host name or address of the HPX server; or several servers, comma-separated and in order of preference, each
     * host or host:port (an IPv6 address with a port is written in square brackets, then a colon and the port), e.g.
     * hpx1:7007,hpx2:7007. Calls and consumers use the first server that answers, and move to the next when a
     * connection to the current one cannot be opened (logging in there anew); see failback for coming back.
     */
    private String host = "localhost";
    /**
     * The most connections open to the server at once, all sharing one session. With an HPX 0.x server (G1) each
     * connection carries one call at a time, so this is the number of concurrent calls; with HPX 1.0 (G2) each
     * carries up to max-in-flight calls, and a new connection is opened only when every open one is busy.
     */
    private Integer poolSize = 4;
    /**
     * The protocol generation: auto (follow the server's first message), g1 (HPX 0.x: gzip JSON) or g2 (HPX 1.0:
     * MessagePack). With g1 or g2 a server that speaks the other fails the call with an HpxProtocolException.
     */
    private String protocol = "auto";
    /**
     * The TCP port of the HPX server (7007 is HPX's default; 7008 is its web client, not this protocol); with
     * several servers in host, the port of those listed without one.
     */
    private Integer port = 7007;
    /**
     * How long one call may take from its start to its end (e.g. 30s; a bare number is milliseconds): waiting for
     * a free connection, connecting, the handshake, the reply, a renewal of the session and a retry all come out
     * of it. When it passes, the exchange fails with an ExchangeTimedOutException that says what the call was
     * waiting for.
     */
    private Duration requestTimeout = Duration.ofSeconds(30);

    // consumer

    /**
     * Allows for bridging the consumer to the Camel routing Error Handler, which mean any exceptions (if possible)
     * occurred while the Camel consumer is trying to pickup incoming messages, or the likes, will now be processed
     * as a message and handled by the routing Error Handler. Important: This is only possible if the 3rd party
     * component allows Camel to be alerted if an exception was thrown. Some components handle this internally
     * only, and therefore bridgeErrorHandler is not possible. In other situations we may improve the Camel
     * component to hook into the 3rd party component and make this possible for future releases. By default the
     * consumer will use the org.apache.camel.spi.ExceptionHandler to deal with exceptions, that will be logged at
     * WARN or ERROR level and ignored.
     */
    private Boolean bridgeErrorHandler = false;
    /**
     * For a polling consumer of get_notification, which is called again within one poll until the queue is empty:
     * the most notifications emitted per poll; the rest follow at the next poll. 0 or less means no limit. Other
     * functions are called once per poll.
     */
    private Integer maxMessagesPerPoll = 100;
    /**
     * For the broadcast consumer: the longest wait between two attempts to reconnect (e.g. 30s). It must not be
     * shorter than reconnect-delay.
     */
    private Duration maxReconnectDelay = Duration.ofSeconds(30);
    /**
     * For the broadcast consumer: how long to wait before the first attempt to reconnect after the server went
     * away (quit, restart, crash or a network cut). Each failed attempt doubles the wait, up to
     * max-reconnect-delay; a connection that stays up at least this long starts again from this delay (one that is
     * dropped sooner counts as a failed attempt).
     */
    private Duration reconnectDelay = Duration.ofSeconds(1);

    // producer

    /**
     * Whether endpoints may send the server commands requestauth, dropauth, serverquit and serverrestart, and the
     * login handshake (as their function name or the CamelHpxFunction header). Off by default, so that no misrouted
     * message can shut a server down.
     */
    private Boolean allowServerCommands = false;
    /**
     * Arguments of every function call, one entry per argument; endpoint arg.* options and the message body
     * override them. Use brackets to keep underscores in keys: camel.component.hpx.args[item_type]=Gallery.
     * Values that are JSON literals (numbers, true, false, null, quoted text, arrays, objects) are sent as such,
     * anything else as text; a YAML list (or args.tags[0]=a) is sent as an array. With a configuration bean, these
     * go on top of its arguments.
     */
    private Map<String, Object> args = new LinkedHashMap<>();
    /**
     * For functions that start an asynchronous HPX command and return its id (check_update, scan_galleries,
     * get_similar, ...): poll the command until it ends and reply with its value instead of the id. If the wait
     * times out or the route stops first, the command is stopped on the server.
     */
    private Boolean awaitCommand = false;
    /**
     * Whether each call runs in the HPX session whose id the exchange carries in the CamelHpxSessionId header
     * (made by an hpx:handshake endpoint) instead of the endpoint's own; a lost session fails the exchange with an
     * HpxSessionLostException, never a new login. Off by default: every call sets that header, and a route calling
     * two endpoints in a row would otherwise run the second in the first one's session. A header holding the
     * component's own session is refused; cannot be combined with awaitCommand.
     */
    private Boolean sessionFromHeader = false;
    /**
     * With awaitCommand: the pause between two polls of the command's state and progress. It must be positive and at
     * most 100 years: a producer with another value is refused when it is created, before any command is sent.
     */
    private Duration commandPollInterval = Duration.ofSeconds(1);
    /**
     * With awaitCommand: an endpoint URI (e.g. seda:progress) that receives each change of the command's progress
     * as a JsonNode body, with the headers CamelHpxCommandId and CamelHpxCommandState.
     */
    private String commandProgressUri;
    /**
     * With awaitCommand: how long to wait for the command to end. Then the command is stopped on the server and
     * the exchange fails with an ExchangeTimedOutException. It must be positive and at most 100 years: a producer
     * with another value is refused when it is created (at the route's start for a static endpoint), before any
     * command is sent.
     */
    private Duration commandTimeout = Duration.ofMinutes(10);
    /**
     * The options every endpoint starts from, as a bean reference (#bean:name); the other
     * camel.component.hpx.* properties that are set are applied on top of a copy of it. The option is a
     * io.github.camelhpx.component.HpxConfiguration type.
     */
    private HpxConfiguration configuration;
    /**
     * Whether the producer should be started lazy (on the first message). By starting lazy you can use this to
     * allow CamelContext and routes to startup in situations where a producer may otherwise fail during starting
     * and cause the route to fail being started. By deferring this startup to be lazy then the startup failure can
     * be handled during routing messages via Camel's routing error handlers. Beware that when the first message
     * is processed then creating and starting the producer may take a little time and prolong the total
     * processing time of the processing.
     */
    private Boolean lazyStartProducer = false;
    /**
     * The class the function's data is converted to with Jackson (a fully qualified class name); by default the
     * reply body is the data as a Jackson JsonNode. Applies to single calls and to a polling consumer's results,
     * not to batches.
     */
    private Class<?> outputClass;
    /**
     * Whether the route's thread makes the HPX call and waits for the reply. By default the call runs
     * asynchronously and the route continues on the thread that received the reply (G2: the connection's reader;
     * G1: the client thread that made the call): add threads() after the call if the route blocks there.
     */
    private Boolean synchronous = false;

    // advanced

    /**
     * Whether autowiring is enabled. This is used for automatic autowiring options (the option must be marked as
     * autowired) by looking up in the registry to find if there is a single instance of matching type, which then
     * gets configured on the component (here: objectMapper).
     */
    private Boolean autowiredEnabled = true;
    /**
     * The gzip level (0-9) of the messages sent to the server; the HPX server itself uses 5.
     */
    private Integer compressionLevel = 5;
    /**
     * Whether a received message that cannot be decoded (bad gzip, JSON or MessagePack, a frame cut short, a reply
     * of the wrong shape) is logged at WARN with a bounded dump (length, first and last 256 bytes as hex and text,
     * generation, connection) to report a server bug with. Session ids and passwords are masked.
     */
    private Boolean dumpFailedFrames = false;
    /**
     * With an HPX 0.x server (G1): close a pooled connection that has been idle this long (e.g. 5m; 0: never),
     * before a server, firewall or NAT drops it silently.
     */
    private Duration idleTimeout = Duration.ZERO;
    /**
     * With an HPX 1.0 server (G2): the most calls in flight on one connection at once, matched to their replies by
     * id. A call that finds every slot of every connection taken waits for one within its request-timeout. A call
     * that timed out keeps its slot until its late reply comes; a connection whose every slot is held so is closed.
     */
    private Integer maxInFlight = 16;
    /**
     * Whether a call whose connection the server closed before any byte of the reply is sent once more on a new
     * connection. The server may have run it already (e.g. while restarting): turn this off for calls that must
     * never run twice. A G2 call that never went out (its connection broke while it waited for a slot) is sent on a
     * new connection either way: it cannot have run.
     */
    private Boolean retryOnConnectionFailure = true;
    /**
     * The largest reply accepted, both as received (compressed) and after decompression (e.g. 64MB; a bare
     * number is bytes). A larger one fails the call with an HpxProtocolException and closes its connection.
     */
    private DataSize maxMessageSize = DataSize.ofMegabytes(64);
    /**
     * The Jackson ObjectMapper that turns message bodies into function arguments and function data into the
     * outputClass, as a bean reference (#bean:name). By default a plain ObjectMapper, or the single
     * com.fasterxml.jackson.databind.ObjectMapper found in the registry.
     */
    private ObjectMapper objectMapper;

    // health

    /**
     * Used for enabling or disabling all consumer based health checks from this component.
     */
    private Boolean healthCheckConsumerEnabled = true;
    /**
     * Used for enabling or disabling all producer based health checks from this component. Notice: Camel has by
     * default disabled all producer based health-checks. You can turn on producer checks globally by setting
     * camel.health.producers-enabled=true.
     */
    private Boolean healthCheckProducerEnabled = true;

    // security

    /**
     * The password of the user. Secret: it is only sent in the handshake, never logged, and masked by the
     * Actuator env and configprops endpoints.
     */
    private String password;
    /**
     * An existing HPX session (32 hex characters) to use without a handshake. If the server no longer knows it,
     * the component logs in again with the user and password (or as a guest). Secret: it is a bearer credential,
     * masked by Actuator like the password.
     */
    private String sessionId;
    /**
     * Connect with TLS using these parameters, as a bean reference (#bean:name); the server's certificate and host
     * name are verified. Without them (and without global SSL context parameters) the connection is plain TCP.
     * The option is a org.apache.camel.support.jsse.SSLContextParameters type.
     */
    private SSLContextParameters sslContextParameters;
    /**
     * Use the CamelContext's global SSL context parameters (camel.ssl.*) for endpoints that set no
     * sslContextParameters.
     */
    private Boolean useGlobalSslContextParameters = false;
    /**
     * The user to log in as. Without a user the component connects as a guest, which the server must allow.
     */
    private String user;

    public String getClientName() {
        return clientName;
    }

    public void setClientName(String clientName) {
        this.clientName = clientName;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Boolean getFailback() {
        return failback;
    }

    public void setFailback(Boolean failback) {
        this.failback = failback;
    }

    public Duration getFailbackInterval() {
        return failbackInterval;
    }

    public void setFailbackInterval(Duration failbackInterval) {
        this.failbackInterval = failbackInterval;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPoolSize() {
        return poolSize;
    }

    public void setPoolSize(Integer poolSize) {
        this.poolSize = poolSize;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Boolean getBridgeErrorHandler() {
        return bridgeErrorHandler;
    }

    public void setBridgeErrorHandler(Boolean bridgeErrorHandler) {
        this.bridgeErrorHandler = bridgeErrorHandler;
    }

    public Integer getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    public void setMaxMessagesPerPoll(Integer maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    public Duration getMaxReconnectDelay() {
        return maxReconnectDelay;
    }

    public void setMaxReconnectDelay(Duration maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }

    public Duration getReconnectDelay() {
        return reconnectDelay;
    }

    public void setReconnectDelay(Duration reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public Boolean getAllowServerCommands() {
        return allowServerCommands;
    }

    public void setAllowServerCommands(Boolean allowServerCommands) {
        this.allowServerCommands = allowServerCommands;
    }

    public Map<String, Object> getArgs() {
        return args;
    }

    public void setArgs(Map<String, Object> args) {
        this.args = args;
    }

    public Boolean getSessionFromHeader() {
        return sessionFromHeader;
    }

    public void setSessionFromHeader(Boolean sessionFromHeader) {
        this.sessionFromHeader = sessionFromHeader;
    }

    public Boolean getAwaitCommand() {
        return awaitCommand;
    }

    public void setAwaitCommand(Boolean awaitCommand) {
        this.awaitCommand = awaitCommand;
    }

    public Duration getCommandPollInterval() {
        return commandPollInterval;
    }

    public void setCommandPollInterval(Duration commandPollInterval) {
        this.commandPollInterval = commandPollInterval;
    }

    public String getCommandProgressUri() {
        return commandProgressUri;
    }

    public void setCommandProgressUri(String commandProgressUri) {
        this.commandProgressUri = commandProgressUri;
    }

    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public HpxConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(HpxConfiguration configuration) {
        this.configuration = configuration;
    }

    public Boolean getLazyStartProducer() {
        return lazyStartProducer;
    }

    public void setLazyStartProducer(Boolean lazyStartProducer) {
        this.lazyStartProducer = lazyStartProducer;
    }

    public Class<?> getOutputClass() {
        return outputClass;
    }

    public void setOutputClass(Class<?> outputClass) {
        this.outputClass = outputClass;
    }

    public Boolean getSynchronous() {
        return synchronous;
    }

    public void setSynchronous(Boolean synchronous) {
        this.synchronous = synchronous;
    }

    public Boolean getAutowiredEnabled() {
        return autowiredEnabled;
    }

    public void setAutowiredEnabled(Boolean autowiredEnabled) {
        this.autowiredEnabled = autowiredEnabled;
    }

    public String getProtocol() {
        return protocol;
    }

    public void setProtocol(String protocol) {
        this.protocol = protocol;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Integer getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(Integer maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public Boolean getRetryOnConnectionFailure() {
        return retryOnConnectionFailure;
    }

    public void setRetryOnConnectionFailure(Boolean retryOnConnectionFailure) {
        this.retryOnConnectionFailure = retryOnConnectionFailure;
    }

    public Boolean getDumpFailedFrames() {
        return dumpFailedFrames;
    }

    public void setDumpFailedFrames(Boolean dumpFailedFrames) {
        this.dumpFailedFrames = dumpFailedFrames;
    }

    public Integer getCompressionLevel() {
        return compressionLevel;
    }

    public void setCompressionLevel(Integer compressionLevel) {
        this.compressionLevel = compressionLevel;
    }

    public DataSize getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(DataSize maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public ObjectMapper getObjectMapper() {
        return objectMapper;
    }

    public void setObjectMapper(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    public Boolean getHealthCheckConsumerEnabled() {
        return healthCheckConsumerEnabled;
    }

    public void setHealthCheckConsumerEnabled(Boolean healthCheckConsumerEnabled) {
        this.healthCheckConsumerEnabled = healthCheckConsumerEnabled;
    }

    public Boolean getHealthCheckProducerEnabled() {
        return healthCheckProducerEnabled;
    }

    public void setHealthCheckProducerEnabled(Boolean healthCheckProducerEnabled) {
        this.healthCheckProducerEnabled = healthCheckProducerEnabled;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getSessionId() {
        return sessionId;
    }

    public void setSessionId(String sessionId) {
        this.sessionId = sessionId;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public Boolean getUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    public void setUseGlobalSslContextParameters(Boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    @Override
    public String toString() {
        // never the password
        return "HpxComponentConfiguration[host=" + host + ", port=" + port + ", user=" + user + "]";
    }
}
