package io.github.camelhpx.component;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.tracing.SpanAdapter;
import org.apache.camel.tracing.decorators.AbstractSpanDecorator;

/**
 * Names the HPX function in the spans of camel-tracing (camel-opentelemetry, camel-observation): the span's
 * operation is the function called (or polled), and the tags {@code hpx.function}, {@code hpx.protocol} (G1 or
 * G2) and {@code hpx.server.name} (from the reply) go beside Camel's own ({@code server.address}, the sanitised {@code camel.uri}).
 * The session id is never a tag. Found through {@code META-INF/services/org.apache.camel.tracing.SpanDecorator}
 * when camel-tracing is on the classpath; camel-hpx does not need it otherwise.
 */
public class HpxSpanDecorator extends AbstractSpanDecorator {

    static final String FUNCTION_TAG = "hpx.function";
    static final String PROTOCOL_TAG = "hpx.protocol";
    static final String SERVER_NAME_TAG = "hpx.server.name";

    @Override
    public String getComponent() {
        return "hpx";
    }

    @Override
    public String getComponentClassName() {
        return HpxComponent.class.getName();
    }

    @Override
    public String getOperationName(Exchange exchange, Endpoint endpoint) {
        return function(exchange, endpoint);
    }

    @Override
    public void pre(SpanAdapter span, Exchange exchange, Endpoint endpoint) {
        super.pre(span, exchange, endpoint);
        span.setTag(FUNCTION_TAG, function(exchange, endpoint));
        if (exchange.getFromEndpoint() == endpoint) {
            // A consumer's span: the exchange is the consumer's own, its headers describe this server.
            tagServer(span, exchange);
        }
    }

    @Override
    public void post(SpanAdapter span, Exchange exchange, Endpoint endpoint) {
        super.post(span, exchange, endpoint);
        // Only a reply sets these headers: a failed call has none (cleared before each call).
        tagServer(span, exchange);
    }

    private static void tagServer(SpanAdapter span, Exchange exchange) {
        String protocol = exchange.getMessage().getHeader(HpxConstants.PROTOCOL, String.class);
        if (protocol != null) {
            span.setTag(PROTOCOL_TAG, protocol);
        }
        String serverName = exchange.getMessage().getHeader(HpxConstants.SERVER_NAME, String.class);
        if (serverName != null) {
            span.setTag(SERVER_NAME_TAG, serverName);
        }
    }

    /**
     * The function the producer is about to call, as it picks it: the header first, else the endpoint's path. The
     * path of the endpoint toD shares (see {@link HpxSendDynamicAware}) is the expression as written, and the
     * span starts before the function reaches the header: the expression names it. Only such a path is evaluated: a
     * path made of message data (a recipient list's) could hold an expression that reads the environment or calls
     * a bean, and is shown as it is.
     */
    private static String function(Exchange exchange, Endpoint endpoint) {
        String requested = exchange.getMessage().getHeader(HpxConstants.FUNCTION, String.class);
        if (requested != null) {
            return requested;
        }
        if (!(endpoint instanceof HpxEndpoint hpx)) {
            return stripSchemeAndOptions(endpoint);
        }
        String function = hpx.getFunction();
        if (!function.contains("${") || !hpx.getComponent().isFunctionExpression(function)) {
            return function;
        }
        // As toD resolves it: the property placeholders first (the endpoint's path keeps them), then the expression.
        String expression = exchange.getContext().resolvePropertyPlaceholders(function);
        return exchange.getContext().resolveLanguage("simple").createExpression(expression).evaluate(exchange, String.class);
    }
}
