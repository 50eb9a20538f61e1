package io.github.camelhpx.client.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.client.FunctionCall;
import io.github.camelhpx.client.FunctionResult;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocol;

import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * What every fuzz target of the reply path checks: a hostile byte stream, read frame by frame as a connection
 * reads it and decoded in each of the three ways a request may choose (tree, raw, bound), fails with an {@link
 * HpxException} or not at all, and what it decodes is right: the same tree a plain, unbounded reference decoder
 * gives, results matched to the calls they answer. Anything else escapes as an {@link AssertionError} (or the
 * untyped exception itself) and is a finding.
 */
final class FuzzChecks {

    /** Small, so that a fuzzer's input can reach every limit. */
    static final long LIMIT = 64 * 1024;
    static final int MAX_FRAMES = 16;

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());
    static final ObjectMapper BOUNDED_JSON = DecodingLimits.bounded(JSON, LIMIT);
    static final ObjectMapper BOUNDED_MSGPACK = MsgpackCodec.mapperFor(JSON, LIMIT);
    private static final com.fasterxml.jackson.databind.JavaType OBJECT = JSON.constructType(Object.class);

    private FuzzChecks() {
    }

    static MessageCodec g1() {
        return new MessageCodec(BOUNDED_JSON, 5, LIMIT);
    }

    static MsgpackCodec g2() {
        return new MsgpackCodec(BOUNDED_MSGPACK, LIMIT);
    }

    /** Reads {@code wire} as a connection would, {@code chunk} bytes per read (0: all at once), checking every frame. */
    static int stream(WireCodec codec, byte[] wire, int chunk) {
        InputStream in = chunk <= 0 ? new ByteArrayInputStream(wire) : new ChunkedInputStream(wire, chunk);
        int frames = 0;
        try (codec) {
            for (int i = 0; i < MAX_FRAMES; i++) {
                FrameBuffer.Frame frame;
                try {
                    frame = codec.readFrame(in);
                } catch (HpxException e) {
                    return frames; // the connection would be closed
                }
                frames++;
                frame(codec, frame);
                codec.releaseFrame();
            }
        } catch (IOException e) {
            throw new AssertionError("a byte array stream threw", e);
        }
        return frames;
    }

    /** Decodes one frame every way; only HpxExceptions may come out, and what decodes must be right. */
    static void frame(WireCodec codec, FrameBuffer.Frame frame) {
        byte[] payload = java.util.Arrays.copyOfRange(frame.bytes(), frame.offset(), frame.offset() + frame.length());
        JsonNode reference = reference(codec.protocol(), payload);
        JsonNode tree = null;
        Envelope envelope = null;
        try {
            tree = codec.decode(frame);
            envelope = Envelope.parse(tree);
        } catch (HpxException expected) {
            // a typed refusal
        }
        if (tree != null) {
            if (reference == null) {
                throw new AssertionError("the client decoded a frame the reference decoder refuses: " + tree);
            }
            if (!tree.equals(reference)) {
                throw new AssertionError("wrong value: client " + tree + " vs reference " + reference);
            }
        }
        Envelope raw = typed(() -> ReplyReading.RAW.read(codec, frame));
        Envelope bound = typed(() -> ReplyReading.bound(OBJECT).read(codec, frame));
        if (envelope != null) {
            // RAW documents that it does not look past the start of a list of results: a message-level error
            // after the list (which HPX never sends) goes unseen there.
            boolean rawBlind = envelope.hasError() && envelope.data().isArray();
            for (Envelope other : rawBlind ? new Envelope[] {bound} : new Envelope[] {raw, bound}) {
                if (other != null && !(Objects.equals(other.session(), envelope.session())
                        && Objects.equals(other.serverName(), envelope.serverName())
                        && Objects.equals(other.error(), envelope.error()))) {
                    throw new AssertionError("readings disagree: " + envelope + " vs " + other);
                }
            }
            classify(envelope, codec.protocol());
        }
    }

    /** The classification a connection makes of an envelope, and result matching against the calls it names. */
    static void classify(Envelope envelope, HpxProtocol protocol) {
        typed(envelope::broadcast);
        typed(envelope::welcome);
        typed(envelope::isAuthenticated);
        JsonNode data = envelope.data();
        if (!envelope.hasError() && data.isArray()) {
            results(data, protocol);
        }
    }

    /**
     * Matches {@code data} against calls named after its own elements, in order: a matching that succeeds must
     * give one result per call, each with its call's fname.
     */
    static void results(JsonNode data, HpxProtocol protocol) {
        List<FunctionCall> calls = new ArrayList<>();
        for (JsonNode element : data) {
            JsonNode fname = element.get("fname");
            calls.add(FunctionCall.of(fname != null && fname.isTextual() && !fname.textValue().isEmpty()
                    ? fname.textValue() : "f", Map.of()));
        }
        List<FunctionResult> results = typed(() -> ResultMatcher.inRequestOrder(calls, data, protocol));
        if (results != null) {
            if (results.size() != calls.size()) {
                throw new AssertionError(results.size() + " results for " + calls.size() + " calls: " + data);
            }
            for (int i = 0; i < calls.size(); i++) {
                if (!calls.get(i).fname().equals(results.get(i).fname())) {
                    throw new AssertionError("result " + i + " is " + results.get(i) + " for call " + calls.get(i));
                }
            }
        }
    }

    /** Runs {@code action}; an HpxException gives null, anything else escapes. */
    static <T> T typed(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (HpxException expected) {
            return null;
        }
    }

    /** The payload decoded by the JDK's gzip and a plain mapper (G1), or a plain MessagePack mapper (G2); null if refused. */
    static JsonNode reference(HpxProtocol protocol, byte[] payload) {
        try {
            if (protocol == HpxProtocol.G1) {
                byte[] json = gunzip(payload);
                if (json == null) {
                    return null;
                }
                JsonNode node = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
                return node == null || node.isMissingNode() ? null : node;
            }
            JsonNode node = MSGPACK.readTree(payload);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** One gzip member, nothing after it, at most {@link #LIMIT} bytes inflated; null otherwise. */
    private static byte[] gunzip(byte[] payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(payload))) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > LIMIT) {
                    return null;
                }
            }
        }
        return out.toByteArray();
    }
}
