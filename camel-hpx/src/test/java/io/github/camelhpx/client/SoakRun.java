package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.camelhpx.testkit.FaultRecord;
import io.github.camelhpx.testkit.HpxFaultProxy;
import io.github.camelhpx.testkit.HpxTestServer;

/**
 * One soak: {@link #THREADS} threads make calls through a fault proxy (random faults from a printed seed, and
 * {@link SoakStats#CHURN}) for a budget of calls and seconds; then the target is closed, and the run fails if a
 * reply reached another call, a failure was untyped, a call outlived its deadline and a grace, or a socket or
 * thread was left behind. The client soak and the route soak differ only in their {@link Target}.
 */
public final class SoakRun {

    public static final int THREADS = 16;
    public static final Duration DEADLINE = Duration.ofSeconds(2);
    public static final Duration GRACE = Duration.ofMillis(1000);
    static final double FAULT_PROBABILITY = 0.5;

    /** What the soak calls: opened on the proxy, called from every thread, closed at the end. */
    public interface Target extends AutoCloseable {

        /** One call with values only {@code id} uses, recorded in {@code stats}. */
        void call(SoakStats stats, SplittableRandom random, String id);
    }

    private SoakRun() {
    }

    /**
     * Runs the soak against {@code server} and returns its figures once every check passed.
     *
     * @param callsPerThread calls per thread in CI ({@code hpx.soak.calls} overrides)
     * @param minCalls       calls the run must make at least
     */
    public static SoakStats run(String label, HpxTestServer server, int callsPerThread, int minCalls,
            Function<HpxFaultProxy, Target> open) throws Exception {
        long seed = SoakStats.seed();
        int perThread = SoakStats.intProperty(SoakStats.CALLS, callsPerThread);
        long budgetNanos = TimeUnit.SECONDS.toNanos(SoakStats.intProperty(SoakStats.SECONDS, 10));
        System.out.println("SOAK " + label + " starting, seed=" + seed);
        Set<String> threadsBefore = SoakStats.clientThreads();
        SoakStats stats = new SoakStats();
        ExecutorService workers = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        List<FaultRecord> faults;
        int connections;
        try (HpxFaultProxy proxy = HpxFaultProxy.builder().upstream(server.host(), server.port()).build().start()) {
            proxy.randomFaults(seed, FAULT_PROBABILITY);
            proxy.everyConnection(SoakStats.CHURN);
            try (Target target = open.apply(proxy)) {
                long end = start + budgetNanos;
                List<Callable<Void>> tasks = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    tasks.add(() -> {
                        SplittableRandom random = new SplittableRandom(seed * 31 + thread);
                        for (int i = 0; i < perThread && System.nanoTime() < end; i++) {
                            target.call(stats, random, thread + ":" + i);
                        }
                        return null;
                    });
                }
                for (Future<Void> f : workers.invokeAll(tasks)) {
                    f.get();
                }
            }
            faults = proxy.faultLog();
            connections = proxy.connectionsAccepted();
            // Every socket the target opened is closed: the proxy sees both ends go, the server has none left.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(proxy.connections()).as("proxied connections after closing, seed %d", seed).isZero();
                assertThat(server.openConnections()).as("server connections after closing, seed %d", seed).isZero();
            });
        } finally {
            workers.shutdownNow();
        }
        long wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println(stats.summary(label, seed, SoakStats.withoutChurn(faults), connections, DEADLINE.toMillis(),
                wallMillis));
        stats.untyped.stream().limit(5).forEach(e -> e.printStackTrace(System.out));

        assertThat(stats.calls.sum()).as("calls made").isGreaterThanOrEqualTo(minCalls);
        assertThat(SoakStats.withoutChurn(faults)).as("random faults given").isNotEmpty();
        assertThat(stats.misroutes).as("misrouted replies, seed %d", seed).isEmpty();
        assertThat(stats.untyped).as("untyped exceptions, seed %d", seed).isEmpty();
        assertThat(stats.maxCallNanos.get()).as("longest call (ns) vs deadline %s + grace %s, seed %d", DEADLINE,
                GRACE, seed).isLessThanOrEqualTo(DEADLINE.plus(GRACE).toNanos());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(SoakStats.clientThreads())
                .as("client and route threads left after closing, seed %d", seed).isSubsetOf(threadsBefore));
        return stats;
    }
}
