package io.github.camelhpx.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.testkit.HpxTestServer;

/**
 * (3) Big replies: {@code get_items} over a library of generated galleries, with a limit that makes the reply
 * JSON about 5, 20 and 50 MB. Received by the limit and by the client ({@link BigReplyPaths}) as {@code byte[]}
 * (the reply's JSON), as typed objects ({@link Gallery} records) and as a {@code JsonNode}.
 * <p>
 * {@code server=embedded} asks the embedded server, which builds, serialises and compresses the reply on every
 * call; {@code server=replay} asks a {@link ReplayServer} that sends the embedded server's recorded reply frame
 * byte for byte, so that the figures show the client's cost and not the server's.
 * <p>
 * Garbage from earlier calls is collected before each call, outside the timed region ({@link Collected}), and
 * the young generation is larger than what one call allocates, so no collection lands inside a call: while a
 * 50 MB reply's tree is being built, a young collection copies the part built so far, and how often that
 * happens depends on heap sizing, not on the client (with the default sizing it made the 50 MB tree cost
 * 14–39× the 5 MB one for the limit and the client alike). The allocation per call is reported beside the
 * time ({@code -prof gc}), and the peak heap is measured apart ({@link PeakHeapProbe}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Xmn2g"})
@Threads(1)
public class BigReplyBenchmark {

    @State(Scope.Benchmark)
    public static class Reply {

        @Param({"5", "20", "50"})
        public int megabytes;

        @Param({"embedded", "replay"})
        public String server;

        HpxTestServer embedded;
        ReplayServer replay;
        BareSocketHpx bare;
        byte[] bareRequest;
        HpxClient client;
        Map<String, Object> args;

        @Setup(Level.Trial)
        public void setUp() {
            embedded = ServerState.start(BigReplies.MAX_GALLERIES);
            int port = embedded.port();
            BareSocketHpx first = BareSocketHpx.connect(ServerState.HOST, port);
            int galleries = BigReplies.galleriesFor(megabytes, first);
            String data = Calls.getItems(galleries);
            if ("replay".equals(server)) {
                replay = new ReplayServer(first.welcomeFrame(), first.authFrame(), first.callForFrame(first.message(data)));
                first.close();
                embedded.close();
                embedded = null;
                port = replay.port();
                bare = BareSocketHpx.connect(ServerState.HOST, port);
            } else {
                bare = first;
            }
            bareRequest = bare.message(data);
            client = HpxClient.builder().host(ServerState.HOST).port(port).poolSize(1)
                    .maxMessageSize(BigReplies.MAX_MESSAGE_SIZE).requestTimeout(Duration.ofSeconds(120)).build();
            args = Calls.getItemsArgs(galleries);
            // Every path must get the same reply, of the intended size (the sessions in the embedded server's
            // replies differ, their lengths do not).
            byte[] reply = BigReplyPaths.limitBytes(bare, bareRequest);
            byte[] raw = BigReplyPaths.clientBytes(client, args);
            List<Gallery> limitTyped = BigReplyPaths.limitTyped(bare, bareRequest);
            List<Gallery> typed = BigReplyPaths.clientTyped(client, args);
            JsonNode limitTree = BigReplyPaths.limitTree(bare, bareRequest);
            JsonNode tree = BigReplyPaths.clientTree(client, args);
            if (raw.length != reply.length || typed.size() != galleries || !typed.equals(limitTyped)
                    || tree.size() != galleries || limitTree.path("data").path(0).path("data").size() != galleries) {
                throw new IllegalStateException("replies differ: " + raw.length + " bytes against " + reply.length
                        + "; " + typed.size() + " typed, " + tree.size() + " tree items of " + galleries);
            }
            System.out.printf("%n[big reply] %d galleries, %,d bytes of JSON, server=%s%n", galleries, reply.length, server);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            client.close();
            bare.close();
            if (replay != null) {
                replay.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** Collects earlier calls' garbage before each call, outside the timing (calls last milliseconds or more). */
    @State(Scope.Thread)
    public static class Collected {
        @Setup(Level.Invocation)
        public void collect() {
            System.gc();
        }
    }

    @Benchmark
    public byte[] limitBytes(Reply r, Collected c) {
        return BigReplyPaths.limitBytes(r.bare, r.bareRequest);
    }

    @Benchmark
    public byte[] clientBytes(Reply r, Collected c) {
        return BigReplyPaths.clientBytes(r.client, r.args);
    }

    @Benchmark
    public List<Gallery> limitTyped(Reply r, Collected c) {
        return BigReplyPaths.limitTyped(r.bare, r.bareRequest);
    }

    @Benchmark
    public List<Gallery> clientTyped(Reply r, Collected c) {
        return BigReplyPaths.clientTyped(r.client, r.args);
    }

    @Benchmark
    public JsonNode limitTree(Reply r, Collected c) {
        return BigReplyPaths.limitTree(r.bare, r.bareRequest);
    }

    @Benchmark
    public JsonNode clientTree(Reply r, Collected c) {
        return BigReplyPaths.clientTree(r.client, r.args);
    }
}
