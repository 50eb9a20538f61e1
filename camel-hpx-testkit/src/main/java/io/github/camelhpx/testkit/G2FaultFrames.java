package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Builds the G2 frames that replace a reply under a {@link Fault}. */
final class G2FaultFrames {

    /** A byte MessagePack never uses: no decoder can take a frame starting with it for a value. */
    private static final int NEVER_USED = 0xc1;

    private G2FaultFrames() {
    }

    /** 0xC1 and random bytes (no {@code <EOF>} inside), then {@code <EOF>}. */
    static byte[] garbage() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        ByteSink out = new ByteSink(300);
        out.write(NEVER_USED);
        int n = 31 + rnd.nextInt(224);
        for (int i = 0; i < n; i++) {
            int b;
            do {
                b = rnd.nextInt(256);
            } while (b == '<');
            out.write(b);
        }
        out.write(GzipCodec.EOF_MARKER, 0, GzipCodec.EOF_MARKER.length);
        return java.util.Arrays.copyOf(out.array(), out.size());
    }

    /**
     * {@code {"__id__": <the reply's>, "data": <a string header declaring declared bytes>}}, then 16 of them and
     * {@code <EOF>}, which the declared string swallows.
     */
    static byte[] lyingLength(ObjectNode reply, int declared) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            JsonNode id = reply.path("__id__");
            p.packMapHeader(2);
            p.packString("__id__");
            if (id.isIntegralNumber()) {
                p.packLong(id.longValue());
            } else if (id.isTextual()) {
                p.packString(id.textValue());
            } else {
                p.packNil();
            }
            p.packString("data");
            // The header alone: packString would size it to what follows.
            p.packRawStringHeader(declared);
            p.writePayload("x".repeat(16).getBytes(StandardCharsets.US_ASCII));
            p.writePayload(GzipCodec.EOF_MARKER);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The reply with its {@code data} replaced by random base64 text, so that the frame is at least
     * {@code minBytes} long, still a valid message with the request's {@code __id__}, and free of {@code <EOF>}.
     */
    static byte[] oversized(ObjectNode reply, long minBytes) {
        int textLen = (int) Math.min(Integer.MAX_VALUE - 1024, Math.max(1, minBytes));
        byte[] random = new byte[textLen * 3 / 4 + 3];
        ThreadLocalRandom.current().nextBytes(random);
        // base64 has no '<', so the text cannot hold a marker, and the header bytes before it cannot form one
        ObjectNode root = reply.deepCopy();
        root.remove("error");
        root.put("data", Base64.getEncoder().encodeToString(random));
        return G2Codec.frame(root);
    }
}
