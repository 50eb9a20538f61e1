package io.github.camelhpx.component;

import java.util.Map;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.SynchronousDelegateProducer;

/**
 * Call functions of a HappyPanda X (HPX) server.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "hpx", title = "HappyPanda X", syntax = "hpx:function",
             category = { Category.API }, producerOnly = true, headersClass = HpxConstants.class)
public class HpxEndpoint extends DefaultEndpoint implements EndpointServiceLocation {

    @UriPath(description = "The HPX API function to call, e.g. get_version or search_items. A body that is a List"
                           + " (or a JSON array) is sent instead as one batch of calls, each naming its function in"
                           + " fname; the reply lists one result per call in request order, {fname, data} or, for a"
                           + " failed call, {fname, data: null, error: {code, msg}}, and the header"
                           + " CamelHpxBatchFailures counts the failed calls.")
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
        Producer producer = new HpxProducer(this);
        return configuration.isSynchronous() ? new SynchronousDelegateProducer(producer) : producer;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        throw new UnsupportedOperationException("The hpx component cannot consume yet: " + this);
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
