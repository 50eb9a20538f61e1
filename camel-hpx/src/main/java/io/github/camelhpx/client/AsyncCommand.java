package io.github.camelhpx.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.internal.Durations;
import io.github.camelhpx.client.internal.Envelope;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows an asynchronous HPX command (protocol §8.1) to its end without holding a thread while it waits.
 * <p>
 * Each poll sends {@code get_command_state} and {@code get_command_progress} as one message and reports the
 * progress when it changed. A command that finished or was stopped has its value fetched with
 * {@code get_command_value}; one that failed fails the result with an {@link HpxCommandException}. When the
 * wait times out, is cancelled or breaks, the command is stopped on the server ({@code stop_command}) before
 * the result fails, so no command outlives the wait for it; except when the server lost the client's session
 * meanwhile (a restart, say) or the client moved to another server, where the command may be gone and its id name
 * another one: the result then fails with an {@link HpxCommandLostException}, and nothing is stopped.
 *
 * <pre>{@code
 * JsonNode id = AsyncCommand.commandIdOf(hpx.call("check_update")).orElseThrow();
 * CommandResult done = AsyncCommand.follow(hpx, id).timeout(Duration.ofMinutes(1)).start(scheduler).result().join();
 * }</pre>
 */
public final class AsyncCommand {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncCommand.class);

    private final HpxClient client;
    private final JsonNode id;
    private final String commandId;
    private final Map<String, Object> ids;
    private final Duration pollInterval;
    private final Duration timeout;
    private final CommandProgressListener listener;
    private final ScheduledExecutorService scheduler;
    private final CompletableFuture<CommandResult> result = new CompletableFuture<>();
    private final AtomicReference<CompletableFuture<Void>> stopping = new AtomicReference<>();
    // Touched only by the poll chain, whose steps never overlap.
    private JsonNode lastProgress;
    // Written by the poll chain, read by the timeout and by whoever looks at a failed wait.
    private volatile CommandState lastState;
    // Where the command lives: the client's server, and how often it lost the session (see HpxClient.commandScope).
    private final Object scope;

    private AsyncCommand(Builder builder, ScheduledExecutorService scheduler) {
        this.client = builder.client;
        this.id = builder.commandId;
        this.commandId = id.asText();
        this.ids = Map.of("command_ids", List.of(id));
        this.pollInterval = builder.pollInterval;
        this.timeout = builder.timeout;
        this.listener = builder.listener;
        this.scheduler = scheduler;
        // Taken when the wait begins, right after the call that started the command was answered.
        this.scope = client.commandScope();
    }

    /**
     * Starts describing the wait for command {@code commandId} (an integer in G1, mostly a string in G2, sent back
     * to the server in the form it came); {@link Builder#start} begins it.
     */
    public static Builder follow(HpxClient client, JsonNode commandId) {
        return new Builder(client, checked(commandId));
    }

    /**
     * Stops command {@code commandId} on the server without following it ({@code stop_command}): for a command
     * started when no one can wait for it any more. Completes once the server has answered the stop (or failed to).
     */
    public static CompletableFuture<Void> stop(HpxClient client, JsonNode commandId) {
        JsonNode id = checked(commandId);
        return stopped(id.asText(), () -> client.executeAsync(
                HpxRequest.function("stop_command", Map.of("command_ids", List.of(id)))));
    }

    private static JsonNode checked(JsonNode commandId) {
        if (commandId == null || !(commandId.isIntegralNumber() || commandId.isTextual())) {
            throw new IllegalArgumentException("an HPX command id is an integer or a string, not " + commandId);
        }
        return commandId;
    }

    /**
     * The command id a function returned: its data itself when that is an integer or a string ({@code check_update}
     * in G1, {@code reindex} in G2), or the {@code command_id} of an object ({@code scan_galleries}); empty for
     * anything else.
     */
    public static Optional<JsonNode> commandIdOf(JsonNode data) {
        JsonNode found = data != null && data.isObject() ? data.get("command_id") : data;
        boolean isId = found != null && (found.isIntegralNumber() && found.canConvertToLong() || found.isTextual());
        return isId ? Optional.of(found) : Optional.empty();
    }

    /** The command's id as text, e.g. {@code 100} (G1) or {@code "3"} (G2). */
    public String commandId() {
        return commandId;
    }

    /**
     * The state the last answered poll reported, e.g. {@link CommandState#STARTED}: after a failed wait, what the
     * command was doing when it was given up. Empty before the first poll is answered.
     */
    public Optional<CommandState> lastState() {
        return Optional.ofNullable(lastState);
    }

    /**
     * Completes with the command's end: its value when it finished or was stopped by someone else; an
     * {@link HpxCommandException} when it failed, an {@link HpxCommandTimeoutException} after the timeout, a
     * {@link CancellationException} after {@link #cancel()}, an {@link HpxCommandLostException} when the command may
     * be gone, or the client's exception when a poll failed.
     */
    public CompletableFuture<CommandResult> result() {
        // Not copy(): its failure would be a CompletionException, and a cancelled wait would not be isCancelled().
        CompletableFuture<CommandResult> outcome = new CompletableFuture<>();
        result.whenComplete((done, failure) -> {
            if (failure != null) {
                outcome.completeExceptionally(failure);
            } else {
                outcome.complete(done);
            }
        });
        return outcome;
    }

    /**
     * Gives up the wait and stops the command on the server. The returned future completes once the server
     * has answered the stop (or failed to), and the result then fails with a {@link CancellationException}.
     */
    public CompletableFuture<Void> cancel() {
        return abandon(new CancellationException("HPX command " + commandId + " was cancelled and stopped"));
    }

    private AsyncCommand begin() {
        ScheduledFuture<?> timer = scheduler.schedule(
                () -> abandon(new HpxCommandTimeoutException(commandId, timeout, lastState)), timeout.toNanos(),
                TimeUnit.NANOSECONDS);
        result.whenComplete((done, failure) -> timer.cancel(false));
        scheduler.execute(this::poll);
        return this;
    }

    private void poll() {
        if (stopping.get() != null || result.isDone()) {
            return;
        }
        try {
            client.executeAsync(HpxRequest.batch(List.of(FunctionCall.of("get_command_state", ids),
                    FunctionCall.of("get_command_progress", ids)))).whenComplete(this::onPolled);
        } catch (RuntimeException e) {
            abandon(e);
        }
    }

    private void onPolled(List<FunctionResult> replies, Throwable failure) {
        if (failure != null) {
            abandon(unwrap(failure));
            return;
        }
        if (lost()) {
            return;
        }
        try {
            CommandState state = CommandState.of(entry(replies.get(0).dataOrThrow()));
            lastState = state;
            report(entry(replies.get(1).dataOrThrow()));
            if (state == CommandState.FAILED) {
                result.completeExceptionally(new HpxCommandException(commandId, "HPX command " + commandId + " failed"));
            } else if (state.isEnd()) {
                fetchValue(state);
            } else {
                scheduler.schedule(this::poll, pollInterval.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (RuntimeException e) {
            abandon(e);
        }
    }

    private void fetchValue(CommandState state) {
        client.executeAsync(HpxRequest.function("get_command_value", ids)).whenComplete((values, failure) -> {
            if (lost()) {
                return;
            }
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
                return;
            }
            try {
                result.complete(new CommandResult(commandId, state, entry(values)));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    private void report(JsonNode progress) {
        // A command still queued has no progress yet (null): only real progress is reported.
        if (progress.isNull() || progress.equals(lastProgress)) {
            return;
        }
        lastProgress = progress;
        try {
            listener.onProgress(commandId, progress);
        } catch (RuntimeException e) {
            LOG.warn("HPX command {}: the progress listener failed", commandId, e);
        }
    }

    /**
     * Whether the command may be gone, or its id another's (see {@link HpxCommandLostException}): then the result fails
     * so, and what a reply of the client's says of the id is not read.
     */
    private boolean lost() {
        if (scope.equals(client.commandScope())) {
            return false;
        }
        result.completeExceptionally(new HpxCommandLostException(commandId));
        return true;
    }

    /**
     * Stops the command on the server, then fails the result with {@code cause}; only the first call acts. A command
     * that may be gone is not stopped: its id may be another's.
     */
    private CompletableFuture<Void> abandon(Throwable cause) {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        if (!stopping.compareAndSet(null, stopped)) {
            return stopping.get();
        }
        if (result.isDone() || lost()) {
            stopped.complete(null);
            return stopped;
        }
        stopOnServer().whenComplete((done, failure) -> {
            // The stop found the command's server gone, or its session lost: maybe the command too.
            if (!lost()) {
                result.completeExceptionally(cause);
            }
            stopped.complete(null);
        });
        return stopped;
    }

    /**
     * Sends {@code stop_command} where the command lives, never to another server or in a new session; the future
     * completes either way, a failure logged.
     */
    private CompletableFuture<Void> stopOnServer() {
        return stopped(commandId, () -> client.executeWithin(scope, HpxRequest.function("stop_command", ids)));
    }

    /** The {@code stop_command} {@code sending} sends; the future completes either way, a failure logged. */
    private static CompletableFuture<Void> stopped(String commandId, Supplier<CompletableFuture<JsonNode>> sending) {
        CompletableFuture<JsonNode> answered;
        try {
            answered = sending.get();
        } catch (RuntimeException e) {
            answered = CompletableFuture.failedFuture(e);
        }
        return answered.handle((state, failure) -> {
            if (failure != null) {
                LOG.warn("HPX command {} could not be stopped: {}", commandId, unwrap(failure).getMessage());
            }
            return null;
        });
    }

    private JsonNode entry(JsonNode perCommand) {
        JsonNode value = perCommand.get(commandId);
        if (value == null) {
            throw Envelope.anomaly("has no entry for command " + commandId, perCommand);
        }
        return value;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /**
     * How often a command is polled and how long it is waited for, checked when made: both positive and at most 100
     * years. Made once for many commands, it lets a bad value be refused before any command starts.
     */
    public record Timing(Duration pollInterval, Duration timeout) {

        public Timing {
            Durations.requirePositive(pollInterval, "pollInterval");
            Durations.requirePositive(timeout, "timeout");
        }
    }

    /** How to wait for a command: poll interval, timeout and progress listener. */
    public static final class Builder {

        private final HpxClient client;
        private final JsonNode commandId;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration timeout = Duration.ofMinutes(10);
        private CommandProgressListener listener = (id, progress) -> {
        };

        private Builder(HpxClient client, JsonNode commandId) {
            this.client = Objects.requireNonNull(client, "client");
            this.commandId = commandId;
        }

        /** The pause between two polls; 1 second by default (HPX's own web client polled every 3–5 s). */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Durations.requirePositive(pollInterval, "pollInterval");
            return this;
        }

        /** How long to wait for the command's end before stopping it; 10 minutes by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = Durations.requirePositive(timeout, "timeout");
            return this;
        }

        /** Both the poll interval and the timeout. */
        public Builder timing(Timing timing) {
            Objects.requireNonNull(timing, "timing");
            this.pollInterval = timing.pollInterval();
            this.timeout = timing.timeout();
            return this;
        }

        public Builder onProgress(CommandProgressListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Begins to poll; {@code scheduler} only times the polls, which run on the client's executor. */
        public AsyncCommand start(ScheduledExecutorService scheduler) {
            return new AsyncCommand(this, Objects.requireNonNull(scheduler, "scheduler")).begin();
        }
    }
}
