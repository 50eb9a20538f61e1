package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxFaultProxy;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Soak: 16 threads make thousands of calls through an {@link HpxFaultProxy} that gives connections random
 * faults of every kind, from a seed printed with the figures (repeat a run with {@code -Dhpx.soak.seed=N}). No
 * reply may reach another call, every failure is an {@link HpxException}, no call outlives its deadline by more
 * than a small grace, and closing the client leaves no thread and no socket behind. Runs in both surefire
 * passes (G1 and G2); {@code -Psoak-long} makes it run for minutes.
 */
class SoakTest {

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(b -> b.function(FunctionSpec.echo()));

    @Test
    void thousandsOfCallsThroughRandomFaults() throws Exception {
        SoakRun.run("client " + HPX.server().protocol(), HPX.server(), 250, 1000, proxy -> {
            HpxClient client = HpxClient.builder().host(proxy.host()).port(proxy.port()).clientName("soak")
                    .connectTimeout(SoakRun.DEADLINE).requestTimeout(SoakRun.DEADLINE).poolSize(4).build();
            return new SoakRun.Target() {
                @Override
                public void call(SoakStats stats, SplittableRandom random, String id) {
                    oneCall(client, stats, random, id);
                }

                @Override
                public void close() {
                    client.close();
                }
            };
        });
    }

    /**
     * What the route soak met in G1 (calls ending 0.5–0.7 s past their deadline): an asynchronous call queued for
     * the client's threads behind a slower one must still end by its own deadline.
     */
    @Test
    void anAsyncCallQueuedBehindASlowerOneEndsByItsOwnDeadline() throws Exception {
        try (HpxClient client = HpxClient.builder().host(HPX.host()).port(HPX.port()).clientName("soak")
                .requestTimeout(Duration.ofSeconds(5)).poolSize(1).build()) {
            client.authenticate();
            HPX.server().faults().nextReply(io.github.camelhpx.testkit.Fault.delay(Duration.ofMillis(2500)));
            java.util.concurrent.CompletableFuture<JsonNode> slow = client.executeAsync(
                    HpxRequest.function("echo", Map.of("value", "slow")));
            long t0 = System.nanoTime();
            java.util.concurrent.CompletableFuture<JsonNode> queued = client.executeAsync(
                    HpxRequest.function("echo", Map.of("value", "queued")).timeout(Duration.ofSeconds(1)));
            Throwable failure = null;
            try {
                queued.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failure = e.getCause();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("SOAK queued async call " + HPX.server().protocol() + ": ended after " + millis
                               + " ms (deadline 1000 ms), " + (failure == null ? "reply" : failure));
            assertThat(slow.get(10, TimeUnit.SECONDS).asText()).isEqualTo("slow");
            assertThat(millis).as("the queued call's time, deadline 1000 ms + grace").isLessThanOrEqualTo(
                    1000 + SoakRun.GRACE.toMillis());
        }
    }

    /** One call of a random shape (single, batch, typed) with values only this call uses. */
    private static void oneCall(HpxClient client, SoakStats stats, SplittableRandom random, String id) {
        long t0 = System.nanoTime();
        Throwable failure = null;
        try {
            int shape = random.nextInt(10);
            if (shape < 6) {
                JsonNode reply = client.call("echo", Map.of("value", id));
                if (!reply.isTextual() || !reply.asText().equals(id)) {
                    stats.unexpected(id, reply);
                }
            } else if (shape < 8) {
                String typed = client.call("echo", Map.of("value", id), String.class);
                if (!id.equals(typed)) {
                    stats.unexpected(id, typed);
                }
            } else {
                List<FunctionCall> batch = List.of(FunctionCall.of("echo", Map.of("value", id + "/a")),
                        FunctionCall.of("echo", Map.of("value", id + "/b")),
                        FunctionCall.of("echo", Map.of("value", id + "/c")));
                List<FunctionResult> results = client.callAll(batch);
                String[] expected = {id + "/a", id + "/b", id + "/c"};
                if (results.size() != 3) {
                    stats.unexpected(String.join(",", expected), results);
                } else {
                    for (int k = 0; k < 3; k++) {
                        JsonNode data = results.get(k).data();
                        if (data == null || !expected[k].equals(data.asText())) {
                            stats.unexpected(expected[k], results.get(k));
                        }
                    }
                }
            }
        } catch (Throwable e) {
            failure = e;
        }
        stats.ended(System.nanoTime() - t0, failure, SoakRun.DEADLINE.toNanos(), SoakRun.GRACE.toNanos());
    }
}
