package io.github.camelhpx.component;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.client.FunctionCall;
import io.github.camelhpx.client.HpxClient;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Sends each exchange's request to the HPX server without blocking the route's thread: the call runs on the
 * shared client's threads, and the exchange continues on the component's reply threads once the answer is in.
 * With {@code synchronous=true} the call runs on the route's thread instead, the fastest way for request-reply
 * routes.
 */
public class HpxProducer extends DefaultAsyncProducer {

    private final HpxConfiguration configuration;
    private final HpxRequestReader reader;
    private final HpxReplyWriter writer;
    private HpxCommandAwaiter awaiter;
    private HpxSession session;
    private volatile HpxProducerHealth health;
    private WritableHealthCheckRepository healthChecks;
    private HpxHealthCheck healthCheck;

    public HpxProducer(HpxEndpoint endpoint) {
        super(endpoint);
        this.configuration = endpoint.getConfiguration();
        ObjectMapper mapper = endpoint.objectMapper();
        this.reader = new HpxRequestReader(endpoint, mapper);
        this.writer = new HpxReplyWriter(mapper, configuration.getOutputClass());
    }

    @Override
    public HpxEndpoint getEndpoint() {
        return (HpxEndpoint) super.getEndpoint();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletableFuture<Void> reply;
        try {
            reply = send(reader.read(exchange.getMessage()), exchange);
        } catch (Exception e) {
            exchange.setException(HpxErrors.forExchange(exchange, e));
            callback.done(true);
            return true;
        }
        if (reply.isDone()) {
            // synchronous=true: the call ran on this thread, and so does the rest; no hand-over costs a thing.
            reply.whenComplete((done, failure) -> finish(exchange, failure));
            callback.done(true);
            return true;
        }
        // Continuing on a client thread would let a route that waits for a second HPX call there starve the
        // very threads that call would need.
        reply.whenCompleteAsync((done, failure) -> {
            finish(exchange, failure);
            callback.done(false);
        }, replyExecutor());
        return false;
    }

    private void finish(Exchange exchange, Throwable failure) {
        health.record(HpxErrors.unwrap(failure));
        if (failure != null) {
            exchange.setException(HpxErrors.forExchange(exchange, failure));
        }
    }

    private CompletableFuture<Void> send(HpxRequest request, Exchange exchange) {
        HpxClient client = session.client();
        Message message = exchange.getMessage();
        if (request instanceof HpxRequest.Batch batch) {
            return run(() -> client.callAll(batch.calls()), () -> client.callAllAsync(batch.calls()))
                    .thenAccept(results -> writer.batch(message, results, client));
        }
        if (request instanceof HpxRequest.Command command) {
            return run(() -> client.sendCommand(command.command()), () -> client.sendCommandAsync(command.command()))
                    .thenAccept(welcome -> writer.command(message, command.command(), welcome, client));
        }
        FunctionCall call = ((HpxRequest.Call) request).call();
        Class<?> outputClass = configuration.getOutputClass();
        if (awaiter == null && outputClass != null) {
            return bound(client, call, outputClass).thenAccept(body -> writer.bound(message, call.fname(), body, client));
        }
        CompletableFuture<JsonNode> data = run(() -> client.call(call.fname(), call.args()),
                () -> client.callAsync(call.fname(), call.args()));
        if (awaiter == null) {
            return data.thenAccept(result -> writer.call(message, call.fname(), result, client));
        }
        return data.thenCompose(result -> awaiter.await(client, call.fname(), result, exchange))
                .thenAccept(result -> writer.awaited(message, call.fname(), result, client));
    }

    /** The data bound to the output class as the reply streams in: it is never a JSON tree first. */
    private <T> CompletableFuture<T> bound(HpxClient client, FunctionCall call, Class<T> type) {
        return run(() -> client.call(call.fname(), call.args(), type), () -> client.callAsync(call.fname(), call.args(), type));
    }

    /**
     * With {@code synchronous=true} the blocking call, on the route's thread (two thread hand-overs fewer per
     * exchange); otherwise the asynchronous one, on the client's threads.
     */
    private <T> CompletableFuture<T> run(Supplier<T> blocking, Supplier<CompletableFuture<T>> async) {
        if (!configuration.isSynchronous()) {
            return async.get();
        }
        try {
            return CompletableFuture.completedFuture(blocking.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Executor replyExecutor() {
        return getEndpoint().getComponent().replyExecutor();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        session = getEndpoint().getComponent().acquireSession(configuration);
        health = new HpxProducerHealth(session.client(), getEndpoint().getServiceUrl());
        addHealthCheck();
        if (configuration.isAwaitCommand()) {
            awaiter = new HpxCommandAwaiter(getEndpoint().getCamelContext(), configuration, replyExecutor());
            ServiceHelper.startService(awaiter);
        }
    }

    /** Into Camel's producers repository, when health checks are available (camel-health on the classpath). */
    private void addHealthCheck() {
        healthChecks = HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(),
                "producers", WritableHealthCheckRepository.class);
        if (healthChecks != null) {
            healthCheck = new HpxHealthCheck("producer:hpx-" + getEndpoint().getId(), getEndpoint().getServiceUrl(),
                    health);
            healthCheck.setEnabled(getEndpoint().getComponent().isHealthCheckProducerEnabled());
            healthChecks.addHealthCheck(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthChecks != null) {
            healthChecks.removeHealthCheck(healthCheck);
            healthChecks = null;
        }
        // Commands are stopped while the session is still there to send stop_command.
        ServiceHelper.stopService(awaiter);
        awaiter = null;
        if (session != null) {
            session.close();
            session = null;
        }
        super.doStop();
    }
}
