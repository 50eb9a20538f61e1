package io.github.camelhpx.component;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.AsyncCommand;
import io.github.camelhpx.client.CommandProgressListener;
import io.github.camelhpx.client.CommandResult;
import io.github.camelhpx.client.CommandState;
import io.github.camelhpx.client.HpxClient;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the asynchronous commands an awaitCommand endpoint's calls start, sends their progress to the
 * configured endpoint, and stops on the server every command still running when the producer stops.
 */
final class HpxCommandAwaiter extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HpxCommandAwaiter.class);

    private final CamelContext context;
    private final HpxConfiguration configuration;
    private final AsyncCommand.Timing timing;
    private final Executor executor;
    private final Set<AsyncCommand> running = ConcurrentHashMap.newKeySet();
    // From each function call's start to its command's end: the calls whose reply is still on its way among them.
    private final Set<CompletableFuture<CommandResult>> followed = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService scheduler;
    private ProducerTemplate progressTemplate;
    private Endpoint progressEndpoint;

    /** {@code executor} sends the progress and continues the exchanges whose command ended. */
    HpxCommandAwaiter(CamelContext context, HpxConfiguration configuration, AsyncCommand.Timing timing,
            Executor executor) {
        this.context = context;
        this.configuration = configuration;
        this.timing = timing;
        this.executor = executor;
    }

    /**
     * Follows the command that the function {@code call} starts, from the call's reply to the command's end. Stopping
     * waits for a call whose reply is still on its way, so that the command it starts is stopped while the producer
     * still holds the client to stop it with.
     */
    CompletableFuture<CommandResult> follow(CompletableFuture<JsonNode> call, HpxClient client, String fname,
            Exchange exchange) {
        CompletableFuture<CommandResult> result = call.thenCompose(data -> await(client, fname, data, exchange));
        followed.add(result);
        result.whenComplete((done, failure) -> followed.remove(result));
        return result;
    }

    /** Follows the command whose id is in {@code data} to its end. */
    private CompletableFuture<CommandResult> await(HpxClient client, String fname, JsonNode data, Exchange exchange) {
        JsonNode commandId = AsyncCommand.commandIdOf(data).orElseThrow(() -> new IllegalArgumentException(
                "HPX function '" + fname + "' returned no command id to await but " + data.getNodeType()));
        AsyncCommand command;
        synchronized (running) {
            if (isStoppingOrStopped()) {
                // The producer was stopped while the function's reply was on its way (a forced shutdown): no one
                // will follow the command, so it must not run on; the exchange fails as those stopped with it did.
                exchange.getMessage().setHeader(HpxConstants.COMMAND_ID, commandId.asText());
                return AsyncCommand.stop(client, commandId).thenApply(stopped -> {
                    throw new CancellationException("HPX command " + commandId.asText()
                            + " was stopped: the producer stopped before it could be awaited");
                });
            }
            command = AsyncCommand.follow(client, commandId)
                    .timing(timing)
                    .onProgress(progressListener(fname, exchange))
                    .start(scheduler);
            running.add(command);
        }
        // Never on the poller: it times every command's polls and timeout, and a route continued there (a poll that
        // failed at once, as a G2 connect does on the polling thread) would hold them all up.
        return command.result().whenCompleteAsync((result, failure) -> {
            running.remove(command);
            if (failure != null) {
                // The error handler can tell which command it was, to look at it or to clean up, and how far it got.
                exchange.getMessage().setHeader(HpxConstants.COMMAND_ID, command.commandId());
                command.lastState().ifPresent(state -> exchange.getMessage().setHeader(HpxConstants.COMMAND_STATE,
                        state.wireName()));
            }
        }, executor);
    }

    private CommandProgressListener progressListener(String fname, Exchange origin) {
        return progressTemplate == null ? (id, progress) -> {
        } : new ProgressForwarder(fname, origin.getExchangeId());
    }

    /**
     * Sends one command's progress snapshots in order, and off the client's threads: those must stay free for
     * HPX calls, which the progress route may make itself.
     */
    private final class ProgressForwarder implements CommandProgressListener {

        private final String fname;
        // Read now: a snapshot may be sent after the exchange ended, which a pooled exchange factory reuses.
        private final String originId;
        // Only the poll chain calls onProgress, one step after the other.
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

        ProgressForwarder(String fname, String originId) {
            this.fname = fname;
            this.originId = originId;
        }

        @Override
        public void onProgress(String commandId, JsonNode progress) {
            tail = tail.thenRunAsync(() -> send(commandId, progress), executor);
        }

        private void send(String commandId, JsonNode progress) {
            Exception failure;
            try {
                failure = progressTemplate.send(progressEndpoint, exchange -> {
                    exchange.setProperty(Exchange.CORRELATION_ID, originId);
                    exchange.getMessage().setBody(progress);
                    exchange.getMessage().setHeader(HpxConstants.CALLED_FUNCTION, fname);
                    exchange.getMessage().setHeader(HpxConstants.COMMAND_ID, commandId);
                    exchange.getMessage().setHeader(HpxConstants.COMMAND_STATE, stateName(progress.path("state")));
                }).getException();
            } catch (RuntimeException e) {
                // Thrown rather than set (the template stopped, say): caught, or the later snapshots would not be sent.
                failure = e;
            }
            if (failure != null) {
                LOG.warn("Progress of HPX command {} could not be sent to {}", commandId, progressEndpoint, failure);
            }
        }
    }

    /** A progress object's state as the reply names it, e.g. {@code started}, whether the server sent a number or a name. */
    private static String stateName(JsonNode state) {
        return state.isMissingNode() || state.isNull() ? null : CommandState.of(state).wireName();
    }

    @Override
    protected void doStart() throws Exception {
        scheduler = context.getExecutorServiceManager().newScheduledThreadPool(this, "HpxCommandPoller", pollerProfile());
        if (configuration.getCommandProgressUri() != null) {
            // Resolved now: a URI no component answers fails the producer's start, not each progress message.
            progressEndpoint = CamelContextHelper.getMandatoryEndpoint(context, configuration.getCommandProgressUri());
            progressTemplate = context.createProducerTemplate();
        }
    }

    /**
     * One thread, and no limit to its queue: each command followed keeps its timeout and its next poll there, and
     * Camel's default profile refuses tasks past 1,000, which would fail the 501st command awaited at once and leave
     * it running on the server. The queue holds no more than the commands followed.
     */
    private static ThreadPoolProfile pollerProfile() {
        ThreadPoolProfile profile = new ThreadPoolProfile("HpxCommandPoller");
        profile.setPoolSize(1);
        profile.setMaxQueueSize(-1);
        return profile;
    }

    @Override
    protected void doStop() throws Exception {
        List<AsyncCommand> stopping;
        synchronized (running) {
            // Status is already stopping: an await from now on stops its command itself.
            stopping = List.copyOf(running);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(configuration.getRequestTimeout());
        awaitWithin(stopping.stream().map(AsyncCommand::cancel).toList(), deadline,
                "Not every running HPX command confirmed its stop");
        // Each call whose reply was on its way (a forced stop) stops the command it started (await): so do they all.
        awaitWithin(List.copyOf(followed), deadline, "Not every HPX function call awaiting a command ended");
        context.getExecutorServiceManager().shutdownNow(scheduler);
        ServiceHelper.stopService(progressTemplate);
        progressTemplate = null;
    }

    /**
     * Waits until the {@code futures} have ended, well or not, or {@code deadline} (nanoTime) has passed; interrupted,
     * it stops waiting, and the stop goes on with the rest (the producer's client is let go of after it).
     */
    private void awaitWithin(List<? extends CompletableFuture<?>> futures, long deadline, String what)
            throws ExecutionException {
        CompletableFuture<?>[] ended = futures.stream().map(f -> f.handle((done, failure) -> null))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(ended).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{} within {} ms", what, configuration.getRequestTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("{}: the stop was interrupted", what);
        }
    }
}
