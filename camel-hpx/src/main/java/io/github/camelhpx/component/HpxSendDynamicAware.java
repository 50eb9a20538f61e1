package io.github.camelhpx.component;

import io.github.camelhpx.client.ServerCommand;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.annotations.SendDynamic;
import org.apache.camel.support.component.SendDynamicAwareSupport;
import org.apache.camel.util.StringHelper;

/**
 * Lets {@code toD("hpx:${header.fn}")} reuse one endpoint, and so one producer, for every function name: the
 * function the expression names travels in the {@link HpxConstants#FUNCTION} header to an endpoint whose path is
 * the expression as written. Only the function part is dynamic: the resolved options stay in the endpoint's URI,
 * so endpoints whose options differ stay apart. A server command is never sent this way: its toD resolves to an
 * endpoint of its own, which refuses it unless that URI sets {@code allowServerCommands=true}.
 */
@SendDynamic("hpx")
public class HpxSendDynamicAware extends SendDynamicAwareSupport {

    @Override
    public boolean isLenientProperties() {
        return false;
    }

    @Override
    public DynamicAwareEntry prepare(Exchange exchange, String uri, String originalUri) {
        return new DynamicAwareEntry(uri, originalUri, null, null);
    }

    @Override
    public String resolveStaticUri(Exchange exchange, DynamicAwareEntry entry) {
        if (!isDynamicFunction(entry)) {
            return null;
        }
        String options = StringHelper.after(entry.getUri(), "?");
        String expression = function(entry.getOriginalUri());
        if (exchange.getContext().getComponent(getScheme()) instanceof HpxComponent hpx) {
            hpx.functionExpression(expression);
        }
        return getScheme() + ":" + expression + (options == null ? "" : "?" + options);
    }

    @Override
    public Processor createPreProcessor(Exchange exchange, DynamicAwareEntry entry) {
        if (!isDynamicFunction(entry) || hasFunctionHeader(exchange)) {
            // A function header set by the route already wins over the path, optimised or not.
            return null;
        }
        String function = function(entry.getUri());
        return target -> target.getMessage().setHeader(HpxConstants.FUNCTION, function);
    }

    @Override
    public Processor createPostProcessor(Exchange exchange, DynamicAwareEntry entry) {
        if (!isDynamicFunction(entry) || hasFunctionHeader(exchange)) {
            return null;
        }
        // Left on the message, the header would make the route's next hpx endpoint call this function too.
        return target -> target.getMessage().removeHeader(HpxConstants.FUNCTION);
    }

    /** Whether the function part of the URI comes from an expression, and names a function, not a server command. */
    private boolean isDynamicFunction(DynamicAwareEntry entry) {
        String function = function(entry.getUri());
        return function(entry.getOriginalUri()).contains("${") && !function.isEmpty()
               && ServerCommand.byName(function).isEmpty();
    }

    private static boolean hasFunctionHeader(Exchange exchange) {
        return exchange.getMessage().getHeader(HpxConstants.FUNCTION) != null;
    }

    /**
     * The function part of an hpx URI, before its options; in a URI as written, a {@code ?} inside an expression
     * such as {@code ${header.fn ?: 'x'}} does not end it.
     */
    private static String function(String uri) {
        String path = uri.substring(uri.indexOf(':') + 1);
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        int depth = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '{' && i > 0 && path.charAt(i - 1) == '$') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (c == '?' && depth == 0) {
                return path.substring(0, i);
            }
        }
        return path;
    }
}
