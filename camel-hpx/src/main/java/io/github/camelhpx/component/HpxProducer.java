package io.github.camelhpx.component;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.client.AsyncCommand;
import io.github.camelhpx.client.FunctionCall;
import io.github.camelhpx.client.HpxAuthException;
import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.HpxRequest;
import io.github.camelhpx.client.ServerCommand;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.URISupport;

/**
 * Sends each exchange's request to the HPX server without blocking the route's thread, and continues the exchange
 * on the thread that has the answer: in G2 the connection's reader, in G1 the client thread that made the call (as
 * camel-netty and camel-nats continue on their I/O threads). A hand-over to other threads cost as much as the call
 * itself; a route that blocks after the call hands over with {@code threads()}. With {@code synchronous=true} the
 * call runs on the route's thread instead.
 */
public class HpxProducer extends DefaultAsyncProducer implements RouteIdAware {

    private final HpxConfiguration configuration;
    private final HpxRequestReader reader;
    private final HpxReplyWriter writer;
    /** With awaitCommand, how its commands are polled and waited for. */
    private final AsyncCommand.Timing commandTiming;
    private HpxCommandAwaiter awaiter;
    private HpxClientLease lease;
    private volatile HpxProducerHealth health;
    private WritableHealthCheckRepository healthChecks;
    private HpxHealthCheck healthCheck;
    private String routeId;

    public HpxProducer(HpxEndpoint endpoint) {
        super(endpoint);
        this.configuration = endpoint.getConfiguration();
        if (configuration.isSessionFromHeader() && configuration.isAwaitCommand()) {
            throw new IllegalArgumentException("awaitCommand cannot be combined with sessionFromHeader: the command"
                                               + " would be followed outside the message's session");
        }
        this.commandTiming = configuration.isAwaitCommand() ? commandTiming(configuration) : null;
        ObjectMapper mapper = endpoint.objectMapper();
        this.reader = new HpxRequestReader(endpoint, mapper);
        this.writer = new HpxReplyWriter(mapper, configuration.getOutputClass(), configuration.isSessionFromHeader());
    }

    private static AsyncCommand.Timing commandTiming(HpxConfiguration configuration) {
        try {
            return new AsyncCommand.Timing(Duration.ofMillis(configuration.getCommandPollInterval()),
                    Duration.ofMillis(configuration.getCommandTimeout()));
        } catch (IllegalArgumentException e) {
            // Refused now: found per exchange, after the function had started its command, it would leave the command
            // running on the server with no one to follow or stop it.
            throw new IllegalArgumentException("awaitCommand needs a commandTimeout and a commandPollInterval from 1 ms"
                                               + " to 100 years, not " + configuration.getCommandTimeout() + " and "
                                               + configuration.getCommandPollInterval() + " ms", e);
        }
    }

    @Override
    public HpxEndpoint getEndpoint() {
        return (HpxEndpoint) super.getEndpoint();
    }

    /** The route the producer sends from, told by Camel before it starts; {@code null} outside a route. */
    @Override
    public String getRouteId() {
        return routeId;
    }

    @Override
    public void setRouteId(String routeId) {
        this.routeId = routeId;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletableFuture<Void> reply;
        boolean usersSession;
        try {
            HpxReplyWriter.startReply(exchange.getMessage());
            HpxExchangeRequest request = reader.read(exchange.getMessage());
            usersSession = request instanceof HpxExchangeRequest.Login || configuration.isSessionFromHeader();
            reply = send(request, exchange);
        } catch (Exception e) {
            exchange.setException(HpxErrors.forExchange(exchange, e));
            callback.done(true);
            return true;
        }
        if (reply.isDone()) {
            // synchronous=true: the call ran on this thread, and so does the rest; no hand-over costs a thing.
            reply.whenComplete((done, failure) -> finish(exchange, failure, usersSession));
            callback.done(true);
            return true;
        }
        // The route goes on where the reply is: a hand-over here doubled the thread switches of a call. A blocking
        // call later in the route does not wait on a G2 reader (HpxSynchronousProducer), and a write from there
        // leaves it (MultiplexPool).
        reply.whenComplete((done, failure) -> {
            finish(exchange, failure, usersSession);
            callback.done(false);
        });
        return false;
    }

    private void finish(Exchange exchange, Throwable failure, boolean usersSession) {
        Throwable cause = HpxErrors.unwrap(failure);
        // A user's wrong password or lost session says nothing of the server, which answered.
        health.record(usersSession && cause instanceof HpxAuthException ? null : cause);
        if (failure != null) {
            exchange.setException(HpxErrors.forExchange(exchange, failure));
        }
    }

    private CompletableFuture<Void> send(HpxExchangeRequest request, Exchange exchange) {
        HpxClient client = lease.client();
        Message message = exchange.getMessage();
        if (request instanceof HpxExchangeRequest.Login login) {
            return run(client, HpxRequest.login(login.user(), login.password()))
                    .thenAccept(session -> writer.login(message, session, client));
        }
        String session = reader.session(message);
        if (session != null && getEndpoint().getComponent().isOwnSession(session)) {
            // Every hpx call's reply sets the header to the session it ran in: after a call of an endpoint without
            // sessionFromHeader it holds the component's own session, which must not pass for a user's.
            throw new IllegalArgumentException("The " + HpxConstants.SESSION_ID + " header holds a session of the"
                                               + " component's own, which an earlier hpx call put there, not one that"
                                               + " hpx:" + HpxEndpoint.HANDSHAKE + " returned for a user");
        }
        if (request instanceof HpxExchangeRequest.Batch batch) {
            return run(client, in(session, HpxRequest.batch(batch.calls())))
                    .thenAccept(results -> writer.batch(message, results, client));
        }
        if (request instanceof HpxExchangeRequest.Command command) {
            HpxRequest<JsonNode> sent = HpxRequest.command(command.command());
            // Only the logout is the session's own; the other commands concern the server or the endpoint.
            return run(client, command.command() == ServerCommand.DROP_AUTH ? in(session, sent) : sent)
                    .thenAccept(welcome -> writer.command(message, command.command(), welcome, client));
        }
        FunctionCall call = ((HpxExchangeRequest.Call) request).call();
        HpxRequest<JsonNode> function = in(session, HpxRequest.function(call.fname(), call.args()));
        Class<?> outputClass = configuration.getOutputClass();
        if (awaiter == null && outputClass != null) {
            // The data bound to the output class as the reply streams in: it is never a tree first.
            return run(client, function.as(outputClass)).thenAccept(body -> writer.bound(message, call.fname(), body, client));
        }
        if (awaiter == null) {
            return run(client, function).thenAccept(result -> writer.call(message, call.fname(), result, client));
        }
        // This producer's awaiter, even when the reply comes after a restart replaced it: the stopped one stops the command.
        HpxCommandAwaiter commands = awaiter;
        return commands.follow(run(client, function), client, call.fname(), exchange)
                .thenAccept(result -> writer.awaited(message, call.fname(), result, client));
    }

    /** The request in {@code session}, or in the endpoint's own session when that is {@code null}. */
    private static <T> HpxRequest<T> in(String session, HpxRequest<T> request) {
        return session == null ? request : request.inSession(session);
    }

    /**
     * With {@code synchronous=true} the blocking call, on the route's thread (no thread hand-over at all), unless
     * that thread is a G2 reader, which must never wait; otherwise the asynchronous one: in G2 written from this
     * thread and answered by the connection's reader, in G1 on the client's threads.
     */
    private <T> CompletableFuture<T> run(HpxClient client, HpxRequest<T> request) {
        if (!configuration.isSynchronous() || HpxClient.onReaderThread()) {
            return client.executeAsync(request);
        }
        try {
            return CompletableFuture.completedFuture(client.execute(request));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The component's command threads; once the component has stopped them, the work runs here instead of never. */
    private Executor commandExecutor() {
        Executor executor = getEndpoint().getComponent().commandExecutor();
        return task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        };
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        lease = getEndpoint().getComponent().acquireClient(configuration);
        health = new HpxProducerHealth(lease.probe(), getEndpoint().getServiceUrl(),
                configuration.isSessionFromHeader() || HpxEndpoint.HANDSHAKE.equals(getEndpoint().getFunction()));
        addHealthCheck();
        if (configuration.isAwaitCommand()) {
            awaiter = new HpxCommandAwaiter(getEndpoint().getCamelContext(), configuration, commandTiming,
                    commandExecutor());
            ServiceHelper.startService(awaiter);
        }
    }

    /** Into Camel's producers repository, when health checks are available (camel-health on the classpath). */
    private void addHealthCheck() {
        healthChecks = HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(),
                "producers", WritableHealthCheckRepository.class);
        if (healthChecks != null) {
            String id = HpxProducerCheckIds.of(getEndpoint().getCamelContext())
                    .claim(routeId != null ? routeId : getEndpoint().getId());
            healthCheck = new HpxHealthCheck(id, getEndpoint().getServiceUrl(),
                    URISupport.sanitizeUri(getEndpoint().getEndpointUri()), health, lease::client);
            healthCheck.setEnabled(getEndpoint().getComponent().isHealthCheckProducerEnabled());
            healthChecks.addHealthCheck(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthChecks != null) {
            healthChecks.removeHealthCheck(healthCheck);
            HpxProducerCheckIds.of(getEndpoint().getCamelContext()).release(healthCheck.getId());
            healthChecks = null;
        }
        // Commands are stopped while the session is still there to send stop_command, those that replies still on
        // their way start too (the stop waits for them, within requestTimeout). Kept, stopped, for a reply later still.
        ServiceHelper.stopService(awaiter);
        if (lease != null) {
            lease.close();
            lease = null;
        }
        super.doStop();
    }
}
