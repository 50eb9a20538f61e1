package io.github.camelhpx.client.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openjdk.jmh.annotations.AuxCounters;
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

import io.github.camelhpx.benchmarks.BareFrames;
import io.github.camelhpx.benchmarks.BareSocketHpx;
import io.github.camelhpx.benchmarks.BigReplies;
import io.github.camelhpx.benchmarks.ServerState;
import io.github.camelhpx.testkit.HpxTestServer;

/**
 * (4) The frame codec alone, in memory, on replies recorded from the embedded server: a small one
 * ({@code get_version}) and a 5 MB one ({@code get_items}). Encoding turns the reply's tree into a frame
 * (JSON, gzip level 5, {@code <EOF>}); decoding splits the recorded frame off an input stream and inflates it,
 * into a {@code byte[]} or into a {@code JsonNode}. Each client path sits beside the same work done the bare
 * way ({@link BareFrames}). The {@code jsonBytes} counter gives the JSON throughput in bytes per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class FrameCodecBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @State(Scope.Thread)
    public static class Payload {

        @Param({"small", "5MB"})
        public String payload;

        /** The reply's JSON as the server wrote it, and its frame as the server sent it. */
        byte[] json;
        byte[] frame;
        /** The reply as a tree: what the encoder is given. */
        String session;
        String name;
        JsonNode data;
        /** The size of the JSON the client's encoder writes for that tree (compact, so smaller than {@link #json}). */
        long encodedJsonBytes;

        MessageCodec codec;
        FrameDecoder frames;
        BareFrames bare;
        Sink sink;
        ByteArrayInputStream in;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            boolean small = "small".equals(payload);
            HpxTestServer server = ServerState.start(small ? 25 : BigReplies.MAX_GALLERIES);
            try (BareSocketHpx socket = BareSocketHpx.connect(ServerState.HOST, server.port())) {
                String data = small ? "[{\"fname\": \"get_version\"}]"
                        : "[{\"fname\": \"get_items\", \"item_type\": 1, \"limit\": " + BigReplies.galleriesFor(5, socket) + "}]";
                byte[] request = socket.message(data);
                frame = socket.callForFrame(request);
                json = socket.callForBytes(request);
            } finally {
                server.close();
            }
            JsonNode root = MAPPER.readTree(json);
            session = root.get("session").textValue();
            name = root.get("name").textValue();
            this.data = root.get("data");
            encodedJsonBytes = MAPPER.writeValueAsBytes(root).length;
            codec = new MessageCodec(MAPPER, 5, BigReplies.MAX_MESSAGE_SIZE);
            frames = new FrameDecoder(BigReplies.MAX_MESSAGE_SIZE);
            bare = new BareFrames();
            sink = new Sink();
            in = new ByteArrayInputStream(frame);
            System.out.printf("%n[codec] %s: %,d bytes of JSON, %,d bytes of frame%n", payload, json.length, frame.length);
        }

        /** The recorded frame, from its start, as the next bytes of the stream. */
        ByteArrayInputStream input() {
            in.reset();
            return in;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            codec.close();
            bare.close();
        }
    }

    /** JSON bytes handled; reported as a rate, i.e. bytes per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public long jsonBytes;

        @Setup(Level.Iteration)
        public void reset() {
            jsonBytes = 0;
        }
    }

    /** A reused byte sink for the bare encoder's JSON. */
    static final class Sink extends OutputStream {
        byte[] bytes = new byte[64 * 1024];
        int size;

        @Override
        public void write(int b) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, size * 2);
            }
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (size + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + len, bytes.length * 2));
            }
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }
    }

    @Benchmark
    public int encode_client(Payload p, Throughput t) {
        t.jsonBytes += p.encodedJsonBytes;
        return p.codec.encode(p.session, p.name, p.data).size();
    }

    @Benchmark
    public int encode_limit(Payload p, Throughput t) throws IOException {
        t.jsonBytes += p.encodedJsonBytes;
        Sink sink = p.sink;
        sink.size = 0;
        try (var g = MAPPER.createGenerator(sink)) {
            g.writeStartObject();
            g.writeStringField("session", p.session);
            g.writeStringField("name", p.name);
            g.writeFieldName("data");
            MAPPER.writeTree(g, p.data);
            g.writeEndObject();
        }
        return p.bare.encode(sink.bytes, sink.size);
    }

    @Benchmark
    public byte[] decodeBytes_client(Payload p, Throughput t) throws IOException {
        t.jsonBytes += p.json.length;
        return p.codec.decodeBytes(p.frames.read(p.input()));
    }

    @Benchmark
    public byte[] decodeBytes_limit(Payload p, Throughput t) throws IOException {
        t.jsonBytes += p.json.length;
        p.bare.read(p.input());
        return p.bare.inflateToArray();
    }

    @Benchmark
    public JsonNode decodeTree_client(Payload p, Throughput t) throws IOException {
        t.jsonBytes += p.json.length;
        return p.codec.decode(p.frames.read(p.input()));
    }

    @Benchmark
    public JsonNode decodeTree_limit(Payload p, Throughput t) throws IOException {
        t.jsonBytes += p.json.length;
        p.bare.read(p.input());
        return MAPPER.readTree(p.bare.inflateToArray());
    }
}
