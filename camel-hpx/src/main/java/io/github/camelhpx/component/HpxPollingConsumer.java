package io.github.camelhpx.component;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxClient;

import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;

/**
 * {@code from("hpx:<function>")}: calls the function on Camel's poll schedule and emits each result that holds
 * something, one exchange per result; {@code null} and an empty list, object or text are nothing. A list is one
 * exchange whose body is the whole list. {@code get_notification}, which takes the oldest notification off the
 * session's queue, is called again within the same poll until it returns nothing or {@code maxMessagesPerPoll}
 * are emitted, so every notification is emitted once and in order.
 * <p>
 * A call that fails fails the poll: Camel hands it to the exception handler, counts it for the health check and
 * the back-off options, and polls again at the next turn.
 */
public class HpxPollingConsumer extends ScheduledPollConsumer {

    /** The one HPX function that dequeues: each call takes the next notification. */
    static final String NOTIFICATIONS = "get_notification";

    private final HpxConfiguration configuration;
    private final String function;
    private final Map<String, JsonNode> args;
    private final HpxReplyWriter writer;
    private HpxClientLease lease;

    public HpxPollingConsumer(HpxEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
        this.function = endpoint.getFunction();
        this.args = HpxArgs.of(configuration, endpoint.objectMapper());
        this.writer = new HpxReplyWriter(endpoint.objectMapper(), configuration.getOutputClass(), false);
    }

    @Override
    public HpxEndpoint getEndpoint() {
        return (HpxEndpoint) super.getEndpoint();
    }

    @Override
    protected int poll() throws Exception {
        HpxClient client = lease.client();
        boolean drain = NOTIFICATIONS.equals(function);
        int limit = configuration.getMaxMessagesPerPoll();
        int emitted = 0;
        do {
            JsonNode data = client.call(function, args);
            if (isNothing(data)) {
                break;
            }
            HpxEmitter.emit(this, message -> writer.call(message, function, data, client));
            emitted++;
        } while (drain && (limit <= 0 || emitted < limit) && isPollAllowed());
        return emitted;
    }

    private static boolean isNothing(JsonNode data) {
        return data == null || data.isNull() || data.isMissingNode()
               || data.isContainerNode() && data.isEmpty()
               || data.isTextual() && data.textValue().isEmpty();
    }

    @Override
    protected void doStart() throws Exception {
        lease = getEndpoint().getComponent().acquireClient(configuration);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }
}
