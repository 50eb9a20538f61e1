package io.github.camelhpx.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxRequest;

/**
 * One G2 {@link HpxClient} (a guest, defaults: {@code maxInFlight} 16) shared by every benchmark thread, with a
 * pool of one connection: every caller is multiplexed on the same socket.
 */
@State(Scope.Benchmark)
public class G2ClientState {

    private static final HpxRequest<JsonNode> GET_VERSION = HpxRequest.function("get_version", Map.of());

    public HpxClient client;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    // The window of asynchronous calls in flight: executeAsync never waits for a slot on the calling thread.
    private final Semaphore window = new Semaphore(G2PipelineState.IN_FLIGHT);

    @Setup(Level.Trial)
    public void open(G2ServerState server) {
        client = HpxClient.builder()
                .host(ServerState.HOST)
                .port(server.port())
                .protocol(HpxProtocol.G2)
                .poolSize(1)
                .requestTimeout(Duration.ofSeconds(60))
                .build();
        if (!client.call("get_version").toString().contains("core")) {
            throw new IllegalStateException("unexpected G2 get_version reply");
        }
    }

    /**
     * Starts a call without waiting for its reply, once fewer than {@value G2PipelineState#IN_FLIGHT} are in flight
     * (the connection's {@code maxInFlight}): this thread waits for one to end, as the pipelining limit's writer
     * waits. A failed call fails the trial.
     */
    public CompletableFuture<JsonNode> callAsync() throws InterruptedException {
        window.acquire();
        CompletableFuture<JsonNode> reply;
        try {
            reply = client.executeAsync(GET_VERSION);
        } catch (RuntimeException e) {
            window.release();
            throw e;
        }
        reply.whenComplete((data, e) -> {
            window.release();
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
        return reply;
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close();
        Throwable failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("an asynchronous call failed", failed);
        }
    }
}
