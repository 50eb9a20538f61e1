package io.github.camelhpx.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The target ratios measured <i>interleaved</i>: each invocation times the limit's part and the candidate's
 * part (in alternating order) and adds each one's time to its own counter. Background load then falls on both
 * sides alike, which separate runs minutes apart cannot promise on a shared, noisy machine. The ratio is
 * {@code candidateNanos / limitNanos} (the time ratio; its inverse is the throughput ratio).
 * <p>
 * A round-trip part is a block of {@value #BLOCK} calls (a few milliseconds): alternating single calls would
 * make each side run with the other's code and data in the caches, which hurts the bigger side, and on two CPUs
 * would alternate between two server threads placed differently by the scheduler. A big-reply part is one
 * call, with garbage collected before it, outside the timing, as in {@link BigReplyBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Xmn2g"})
@Threads(1)
public class PairedRatioBenchmark {

    /** Round trips go in blocks: each side runs alone for a while, as it would in an application. */
    static final int BLOCK = 100;

    /** Time spent in each side of the pair, summed over an iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        public long limitNanos;
        public long candidateNanos;
        boolean limitFirst;

        @Setup(Level.Iteration)
        public void reset() {
            limitNanos = 0;
            candidateNanos = 0;
        }
    }

    /** The big-reply pairs go to the {@link ReplayServer}, so that they compare the clients and not the server. */
    @State(Scope.Benchmark)
    public static class Replay {

        @Param({"5", "50"})
        public int megabytes;

        BigReplyBenchmark.Reply reply;

        @Setup(Level.Trial)
        public void setUp() {
            reply = new BigReplyBenchmark.Reply();
            reply.megabytes = megabytes;
            reply.server = "replay";
            reply.setUp();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            reply.tearDown();
        }
    }

    @Benchmark
    @OperationsPerInvocation(2 * BLOCK)
    public void roundTrip_client(BareState bare, ClientState client, Times t, Blackhole bh) {
        blocks(t, () -> bh.consume(bare.bare.call(bare.getVersion)),
                () -> bh.consume(client.client.call("get_version")));
    }

    @Benchmark
    @OperationsPerInvocation(2 * BLOCK)
    public void roundTrip_camelRoute(BareState bare, CamelState camel, Times t, Blackhole bh) {
        blocks(t, () -> bh.consume(bare.bare.call(bare.getVersion)),
                () -> bh.consume(camel.template.requestBody(camel.route, (Object) null)));
    }

    @Benchmark
    @OperationsPerInvocation(2 * BLOCK)
    public void roundTrip_camelRouteSync(BareState bare, CamelState camel, Times t, Blackhole bh) {
        blocks(t, () -> bh.consume(bare.bare.call(bare.getVersion)),
                () -> bh.consume(camel.template.requestBody(camel.syncRoute, (Object) null)));
    }

    @Benchmark
    @OperationsPerInvocation(2 * BLOCK)
    public void g2RoundTrip_client(G2BareState bare, G2ClientState client, Times t, Blackhole bh) {
        blocks(t, () -> bh.consume(bare.bare.call(bare.getVersion)),
                () -> bh.consume(client.client.call("get_version")));
    }

    @Benchmark
    @OperationsPerInvocation(2 * BLOCK)
    public void g2RoundTrip_camelRoute(G2BareState bare, G2CamelState camel, Times t, Blackhole bh) {
        blocks(t, () -> bh.consume(bare.bare.call(bare.getVersion)),
                () -> bh.consume(camel.template.requestBody(camel.route, (Object) null)));
    }

    @Benchmark
    @OperationsPerInvocation(2 * BLOCK)
    public void g2RoundTrip_camelRouteSync(G2BareState bare, G2CamelState camel, Times t, Blackhole bh) {
        blocks(t, () -> bh.consume(bare.bare.call(bare.getVersion)),
                () -> bh.consume(camel.template.requestBody(camel.syncRoute, (Object) null)));
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public void bigReply_clientBytes(Replay replay, Times t, Blackhole bh) {
        BigReplyBenchmark.Reply r = replay.reply;
        pair(t, true, () -> bh.consume(BigReplyPaths.limitBytes(r.bare, r.bareRequest)),
                () -> bh.consume(BigReplyPaths.clientBytes(r.client, r.args)));
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public void bigReply_clientTyped(Replay replay, Times t, Blackhole bh) {
        BigReplyBenchmark.Reply r = replay.reply;
        pair(t, true, () -> bh.consume(BigReplyPaths.limitTyped(r.bare, r.bareRequest)),
                () -> bh.consume(BigReplyPaths.clientTyped(r.client, r.args)));
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public void bigReply_clientTree(Replay replay, Times t, Blackhole bh) {
        BigReplyBenchmark.Reply r = replay.reply;
        pair(t, true, () -> bh.consume(BigReplyPaths.limitTree(r.bare, r.bareRequest)),
                () -> bh.consume(BigReplyPaths.clientTree(r.client, r.args)));
    }

    /** Round trips: {@value #BLOCK} of the limit's calls and as many of the candidate's, timed as a pair. */
    private static void blocks(Times t, Runnable limitCall, Runnable candidateCall) {
        pair(t, false, () -> repeat(limitCall), () -> repeat(candidateCall));
    }

    private static void repeat(Runnable call) {
        for (int i = 0; i < BLOCK; i++) {
            call.run();
        }
    }

    /**
     * Times the limit's part and the candidate's, in alternating order from one invocation to the next; with
     * {@code collect}, garbage is collected before each part, outside the timing.
     */
    private static void pair(Times t, boolean collect, Runnable limit, Runnable candidate) {
        boolean limitFirst = t.limitFirst = !t.limitFirst;
        Runnable first = limitFirst ? limit : candidate;
        Runnable second = limitFirst ? candidate : limit;
        if (collect) {
            System.gc();
        }
        long a = System.nanoTime();
        first.run();
        long b = System.nanoTime();
        if (collect) {
            System.gc();
        }
        long c = System.nanoTime();
        second.run();
        long d = System.nanoTime();
        if (limitFirst) {
            t.limitNanos += b - a;
            t.candidateNanos += d - c;
        } else {
            t.candidateNanos += b - a;
            t.limitNanos += d - c;
        }
    }
}
