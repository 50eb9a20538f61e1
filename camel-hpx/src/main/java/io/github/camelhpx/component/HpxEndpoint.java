package io.github.camelhpx.component;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.client.ServerCommand;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * Call functions of a HappyPanda X (HPX) server, poll them, and receive the server's broadcasts.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "hpx", title = "HappyPanda X", syntax = "hpx:function",
             category = { Category.API }, headersClass = HpxConstants.class)
public class HpxEndpoint extends ScheduledPollEndpoint implements EndpointServiceLocation {

    /** The path of the consumer of server broadcasts; no HPX function has this name. */
    static final String BROADCAST = "broadcast";

    private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper();

    @UriPath(description = "The HPX API function to call, e.g. get_version or search_items. A producer's body that"
                           + " is a List (or a JSON array) is sent instead as one batch of calls, each naming its"
                           + " function in fname; the reply lists one result per call in request order, {fname,"
                           + " data} or, for a failed call, {fname, data: null, error: {code, msg}}, and the header"
                           + " CamelHpxBatchFailures counts the failed calls. A consumer polls the function with"
                           + " the scheduler options and emits each result that is not null or empty (a list is"
                           + " one exchange); get_notification is called until the queue is empty. The consumer"
                           + " from hpx:broadcast instead emits the server's broadcasts (ServerQuit,"
                           + " ServerRestart) and reconnects after the server went away.")
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
        if (ServerCommand.byName(function).isPresent()) {
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
        return configuration.getHost() + ":" + configuration.getPort();
    }

    @Override
    public String getServiceProtocol() {
        return configuration.getSslContextParameters() == null ? "hpx" : "hpx+tls";
    }

    @Override
    public Map<String, String> getServiceMetadata() {
        return configuration.getUser() == null ? null : Map.of("user", configuration.getUser());
    }
}
