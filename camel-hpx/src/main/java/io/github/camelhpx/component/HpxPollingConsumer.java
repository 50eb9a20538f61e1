package io.github.camelhpx.component;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxClient;

import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.spi.ShutdownAware;
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
 * <p>
 * HPX cannot put a notification back, so a stop never cuts a poll short: the poll in progress counts as a pending
 * exchange, which Camel's graceful shutdown waits for (within its timeout) before it stops the consumer and the
 * route; the drain ends after the notification in hand, and the rest stay queued on the server for the next poll.
 */
public class HpxPollingConsumer extends ScheduledPollConsumer implements ShutdownAware {

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
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        return false;
    }

    @Override
    public int getPendingExchangesSize() {
        // Stopping the consumer interrupts its poll: a notification already taken off the server would be lost.
        return isPolling() ? 1 : 0;
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        // isPollAllowed() turns false as the route is suspended: the drain stops after the notification in hand.
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
