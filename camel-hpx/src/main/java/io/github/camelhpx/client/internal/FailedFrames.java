package io.github.camelhpx.client.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxProtocolException;
import io.github.camelhpx.client.HpxServerDisconnectedException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code dumpFailedFrames}: a WARN, once per failure, with a bounded dump of a received message that could
 * not be decoded or is not what the request asked for, so that a user can report a server bug: the failure, the
 * generation, the connection, the length and the first and last {@link FrameDump#EDGE} bytes.
 * <p>
 * Never a secret: a G2 frame is shown as received, a G1 frame as far as it inflates, and both with session ids
 * and passwords masked. G1's compressed bytes are shown only when they are not gzip at all: gzip would hide a
 * session id from the mask but not from whoever inflates the dump, since a frame's first bytes inflate to
 * {@code {"session": "..."}}. A gzip that inflates to nothing shows its header only: its data may fail for one bad
 * byte and inflate once that is put back.
 */
public final class FailedFrames {

    private static final Logger LOG = LoggerFactory.getLogger(FailedFrames.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A gzip header without optional fields: magic, method, flags, time, extra flags, system. */
    private static final int GZIP_HEADER = 10;

    private FailedFrames() {
    }

    /** Reads the link's next frame; when the read fails inside a frame, what came of it is dumped. */
    static FrameBuffer.Frame readFrame(ClientSettings settings, Link link) throws IOException {
        return readFrame(settings, link, link.in);
    }

    /** Reads the link's next frame from {@code in}, a view of its input. */
    static FrameBuffer.Frame readFrame(ClientSettings settings, Link link, InputStream in) throws IOException {
        try {
            return link.codec.readFrame(in);
        } catch (HpxProtocolException | HpxServerDisconnectedException e) {
            if (!(e instanceof HpxServerDisconnectedException gone) || gone.isMidMessage()) {
                undecodable(settings, link, link.codec.pendingFrame(), false, e);
            }
            throw e;
        }
    }

    /** Decodes a frame of the link with {@code reading}; a frame that does not decode is dumped. */
    static Envelope read(ClientSettings settings, Link link, ReplyReading reading, FrameBuffer.Frame frame) {
        try {
            return reading.read(link.codec, frame);
        } catch (HpxProtocolException e) {
            undecodable(settings, link, frame, true, e);
            throw e;
        }
    }

    /** A frame, whole or as far as it came, whose bytes could not be decoded. */
    static void undecodable(ClientSettings settings, Link link, FrameBuffer.Frame frame, boolean whole,
            HpxException failure) {
        if (!settings.dumpFailedFrames() || !LOG.isWarnEnabled()) {
            return;
        }
        HpxProtocol protocol = link.codec.protocol();
        FrameDump dump = new FrameDump();
        String shown;
        if (protocol == HpxProtocol.G1) {
            long inflated = inflate(frame, settings.maxMessageSize(), dump);
            if (inflated > 0) {
                shown = "inflated to " + inflated + " bytes before the gzip ended or failed, shown inflated";
            } else if (startsAsGzip(frame)) {
                // Compressed data that failed at once may still inflate with a byte put back, to the session too.
                dump.write(frame.bytes(), frame.offset(), Math.min(GZIP_HEADER, frame.length()));
                shown = "gzip whose data failed before its first byte, only its header shown";
            } else {
                dump.write(frame.bytes(), frame.offset(), frame.length());
                shown = "not gzip, shown as received";
            }
        } else {
            dump.write(frame.bytes(), frame.offset(), frame.length());
            shown = "MessagePack, shown as received";
        }
        LOG.warn("HPX message could not be decoded ({}, connection {}): {}\n  {} bytes received{}; {}{}", protocol,
                connection(link), SecretMask.mask(String.valueOf(failure.getMessage())), frame.length(),
                whole ? "" : " (frame incomplete)", shown, dump.render());
    }

    /** A message that was decoded, but is not what its request asks for (a reply of the wrong shape). */
    public static void unexpected(ClientSettings settings, HpxProtocol protocol, Envelope message,
            HpxException failure) {
        if (!settings.dumpFailedFrames() || !LOG.isWarnEnabled()) {
            return;
        }
        byte[] json;
        try {
            ObjectNode root = JSON.createObjectNode();
            root.put("session", message.session());
            root.put("name", message.serverName());
            root.set("data", message.data());
            json = JSON.writeValueAsBytes(root);
        } catch (IOException | RuntimeException e) {
            json = ("(not printable: " + e.getClass().getSimpleName() + ")").getBytes(StandardCharsets.UTF_8);
        }
        FrameDump dump = new FrameDump();
        dump.write(json, 0, json.length);
        LOG.warn("HPX reply is not what the request asks for ({}, server {}:{}): {}\n  the decoded message, as"
                + " {} bytes of JSON{}", protocol, settings.host(), settings.port(),
                SecretMask.mask(String.valueOf(failure.getMessage())), json.length,
                dump.render());
    }

    /** The bytes a G1 frame inflates to until its gzip ends or fails, at most {@code limit}; their number. */
    private static long inflate(FrameBuffer.Frame frame, long limit, FrameDump dump) {
        byte[] chunk = new byte[8192];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(frame.bytes(), frame.offset(), frame.length()))) {
            int n;
            while (dump.total() < limit && (n = in.read(chunk)) > 0) {
                dump.write(chunk, 0, n);
            }
        } catch (IOException e) {
            // Where the gzip breaks off, the dump ends.
        }
        return dump.total();
    }

    private static boolean startsAsGzip(FrameBuffer.Frame frame) {
        byte[] b = frame.bytes();
        int at = frame.offset();
        return frame.length() >= 2 && (b[at] & 0xff) == 0x1f && (b[at + 1] & 0xff) == 0x8b;
    }

    private static String connection(Link link) {
        return link.socket.getLocalSocketAddress() + " -> " + link.socket.getRemoteSocketAddress();
    }
}
