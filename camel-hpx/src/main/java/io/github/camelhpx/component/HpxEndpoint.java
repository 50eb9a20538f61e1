package io.github.camelhpx.component;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.client.HpxClientStats;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.ServerAddress;
import io.github.camelhpx.client.ServerCommand;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * Call functions of a HappyPanda X (HPX) server, poll them, and receive the server's broadcasts.
 * <p>
 * In JMX it shows, besides Camel's endpoint attributes, the numbers of the shared client its producers and
 * consumers use (the same for every endpoint of the same server and settings), with the session only as present
 * or absent.
 */
@ManagedResource(description = "Managed HPX endpoint: the shared client's server, session, connections and calls")
@UriEndpoint(firstVersion = "0.1.0", scheme = "hpx", title = "HappyPanda X", syntax = "hpx:function",
             category = { Category.API }, headersClass = HpxConstants.class)
public class HpxEndpoint extends ScheduledPollEndpoint implements EndpointServiceLocation {

    /** The path of the consumer of server broadcasts; no HPX function has this name. */
    static final String BROADCAST = "broadcast";
    /** The path of the producer that logs a user in (a server command of its own in G2); no HPX function has this name. */
    static final String HANDSHAKE = "handshake";

    private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper();

    @UriPath(description = "The HPX API function to call, e.g. get_version or search_items. A producer's body that"
                           + " is a List (or a JSON array) is sent instead as one batch of calls, each naming its"
                           + " function in fname; the reply lists one result per call in request order, {fname,"
                           + " data} or, for a failed call, {fname, data: null, error: {code, msg}}, and the header"
                           + " CamelHpxBatchFailures counts the failed calls. A consumer polls the function with"
                           + " the scheduler options and emits each result that is not null or empty (a list is"
                           + " one exchange); get_notification is called until the queue is empty. The consumer"
                           + " from hpx:broadcast instead emits the server's broadcasts (ServerQuit,"
                           + " ServerRestart) and reconnects after the server went away. The producer hpx:handshake"
                           + " (with allowServerCommands) logs in the user of the CamelHpxUser and CamelHpxPassword"
                           + " headers and sets CamelHpxSessionId to the new session, for endpoints with"
                           + " sessionFromHeader.")
    @Metadata(required = true)
    private final String function;
    @UriParam
    private final HpxConfiguration configuration;

    public HpxEndpoint(String uri, String function, HpxComponent component, HpxConfiguration configuration) {
        super(uri, component);
        this.function = function;
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() throws Exception {
        HpxProducer producer = new HpxProducer(this);
        return configuration.isSynchronous() ? new HpxSynchronousProducer(producer) : producer;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (ServerCommand.byName(function).isPresent() || HANDSHAKE.equals(function)) {
            throw new IllegalArgumentException("'" + function + "' is an HPX server command, not a function a consumer"
                                               + " can poll; hpx:" + BROADCAST + " receives the server's broadcasts");
        }
        Consumer consumer = BROADCAST.equals(function)
                ? new HpxBroadcastConsumer(this, processor)
                : new HpxPollingConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** The configured ObjectMapper, or a plain one. */
    ObjectMapper objectMapper() {
        return configuration.getObjectMapper() != null ? configuration.getObjectMapper() : DEFAULT_MAPPER;
    }

    @Override
    public HpxComponent getComponent() {
        return (HpxComponent) super.getComponent();
    }

    public String getFunction() {
        return function;
    }

    public HpxConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public String getServiceUrl() {
        return serviceUrl(configuration.getHost(), configuration.getPort());
    }

    /** The servers as host:port, comma-separated. */
    static String serviceUrl(String host, int port) {
        return ServerAddress.join(ServerAddress.parseList(host, port));
    }

    @Override
    public String getServiceProtocol() {
        return configuration.getSslContextParameters() == null ? "hpx" : "hpx+tls";
    }

    @Override
    public Map<String, String> getServiceMetadata() {
        return configuration.getUser() == null ? null : Map.of("user", configuration.getUser());
    }

    @ManagedAttribute(description = "The HPX server, host:port")
    public String getServer() {
        return getServiceUrl();
    }

    @ManagedAttribute(description = "The user logged in as; none for a guest")
    public String getUser() {
        return configuration.getUser();
    }

    @ManagedAttribute(description = "The protocol generation the server speaks (G1, G2), AUTO before the first connection")
    public String getProtocolGeneration() {
        return stat(HpxClientStats::protocol, HpxProtocol.AUTO).name();
    }

    @ManagedAttribute(description = "Whether the client holds an HPX session (present, absent); the id itself is a credential")
    public String getSession() {
        return HpxStats.session(stat(HpxClientStats::sessionEstablished, false));
    }

    @ManagedAttribute(description = "Connections open in the shared client's pool")
    public int getConnectionsOpen() {
        return stat(HpxClientStats::connectionsOpen, 0);
    }

    @ManagedAttribute(description = "Open connections carrying a call")
    public int getConnectionsBusy() {
        return stat(HpxClientStats::connectionsBusy, 0);
    }

    @ManagedAttribute(description = "Open connections carrying no call")
    public int getConnectionsIdle() {
        return stat(HpxClientStats::connectionsIdle, 0);
    }

    @ManagedAttribute(description = "Calls started and not yet ended")
    public long getCallsInFlight() {
        return stat(HpxClientStats::callsInFlight, 0L);
    }

    @ManagedAttribute(description = "Calls that ended with their result, since the shared client was opened")
    public long getCallsCompleted() {
        return stat(HpxClientStats::callsCompleted, 0L);
    }

    @ManagedAttribute(description = "Calls that ended with an exception, since the shared client was opened")
    public long getCallsFailed() {
        return stat(HpxClientStats::callsFailed, 0L);
    }

    @ManagedAttribute(description = "Handshakes that made a session: the first, and each renewal after the server lost one")
    public long getLogins() {
        return stat(HpxClientStats::logins, 0L);
    }

    @ManagedAttribute(description = "The last failed call's exception type and message")
    public String getLastError() {
        return stat(HpxClientStats::lastError, null);
    }

    @ManagedAttribute(description = "When the last failed call failed (ISO-8601)")
    public String getLastErrorTime() {
        return stat(stats -> Objects.toString(stats.lastErrorAt(), null), null);
    }

    /** A number of the shared client, or {@code none} while no producer or consumer of these settings runs. */
    private <T> T stat(Function<HpxClientStats, T> number, T none) {
        return getComponent().clientStats(configuration).map(number).orElse(none);
    }
}
