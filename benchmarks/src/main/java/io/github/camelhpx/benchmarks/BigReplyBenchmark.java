package io.github.camelhpx.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

import io.github.camelhpx.client.CodecConnection;
import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.testkit.HpxTestServer;

/**
 * (3) Big replies: {@code get_items} over a library of generated galleries, with a limit that makes the reply
 * JSON about 5, 20 and 50 MB. Received as {@code byte[]} (the limit; the client's codec classes, as no client
 * API exists yet) and as {@code JsonNode} (the limit + Jackson {@code readTree} of the same bytes; the
 * client's {@code call}).
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

    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        CodecConnection codec;
        JsonNode codecRequest;

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
            args = Map.of("item_type", 1, "limit", galleries);
            codec = new CodecConnection(ServerState.HOST, port, BigReplies.MAX_MESSAGE_SIZE);
            try {
                codecRequest = MAPPER.readTree(data);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            // Every path must get the same reply, of the intended size.
            byte[] reply = bare.callForBytes(bareRequest);
            JsonNode items = client.call("get_items", args);
            byte[] viaCodec = codec.callForBytes(codecRequest);
            if (items.size() != galleries || viaCodec.length != reply.length) {
                throw new IllegalStateException("replies differ: " + items.size() + " items of " + galleries
                        + ", " + viaCodec.length + " bytes against " + reply.length);
            }
            System.out.printf("%n[big reply] %d galleries, %,d bytes of JSON, server=%s%n", galleries, reply.length, server);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            client.close();
            codec.close();
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
        return r.bare.callForBytes(r.bareRequest);
    }

    @Benchmark
    public JsonNode limitTree(Reply r, Collected c) throws Exception {
        return MAPPER.readTree(r.bare.callForBytes(r.bareRequest));
    }

    @Benchmark
    public byte[] codecBytes(Reply r, Collected c) {
        return r.codec.callForBytes(r.codecRequest);
    }

    @Benchmark
    public JsonNode clientTree(Reply r, Collected c) {
        return r.client.call("get_items", r.args);
    }
}
