package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.io.InputStream;

/**
 * Cuts the inbound G2 byte stream into frames (§9.1). MessagePack is self-delimiting, so by default a frame
 * is one complete MessagePack value that must be followed by {@code <EOF>}: a string holding {@code <EOF>}
 * (a title, a search query) stays whole. With {@code splitAtFirstEof} it cuts at the first marker instead, as
 * the JS client does, to test clients against that behaviour.
 *
 * <p>A frame that cannot be decoded becomes a 900 error, and the stream resynchronises at the next
 * {@code <EOF>}, so the connection stays usable. Buffering and the size limit are {@link FrameReader}'s.
 */
final class G2FrameReader {

    /** One inbound frame: the decoded root, or the error that answers it (no {@code __id__} can be read). */
    record Frame(JsonNode root, HpxApiError error) {
    }

    private static final byte[] MARKER = GzipCodec.EOF_MARKER;

    private final FrameReader bytes;
    private final int maxFrameBytes;
    private final boolean splitAtFirstEof;
    /** Pending bytes already found too short for a value: no new attempt until a marker arrives after them. */
    private int examined;

    G2FrameReader(int maxFrameBytes, boolean splitAtFirstEof) {
        this.bytes = new FrameReader(maxFrameBytes);
        this.maxFrameBytes = maxFrameBytes;
        this.splitAtFirstEof = splitAtFirstEof;
    }

    /** One socket read (see {@link FrameReader#fill}). */
    int fill(InputStream in) throws IOException {
        return bytes.fill(in);
    }

    /**
     * The next complete frame in what was read so far, or null if more bytes are needed. A frame larger than
     * the limit ends the connection even when it arrived whole, as in G1.
     */
    Frame next() throws FrameReader.FrameTooLarge {
        if (splitAtFirstEof) {
            if (!bytes.nextFrame()) {
                return null;
            }
            checkSize(bytes.frameLength());
            return decodeWhole(bytes.buffer(), bytes.frameOffset(), bytes.frameLength());
        }
        byte[] b = bytes.buffer();
        int start = bytes.pendingOffset();
        int limit = bytes.readLimit();
        if (limit == start) {
            return null;
        }
        if (examined > 0 && indexOfMarker(b, start + Math.max(0, examined - MARKER.length + 1), limit) < 0) {
            // a frame ends with <EOF>: until one arrives after the bytes already tried, decoding again is wasted
            examined = limit - start;
            return null;
        }
        examined = 0;
        if (markerAt(b, start, limit)) {
            bytes.takeFrame(0);
            return failed("empty frame");
        }
        int valueLength;
        try {
            valueLength = valueLength(b, start, limit - start);
        } catch (MessageInsufficientBufferException e) {
            examined = limit - start;
            return null;
        } catch (MessagePackException | IOException e) {
            return resync(b, start, start, limit, "invalid MessagePack (" + e.getMessage() + ")");
        }
        checkSize(valueLength);
        int end = start + valueLength;
        if (limit - end < MARKER.length && isMarkerPrefix(b, end, limit)) {
            examined = limit - start;
            return null;
        }
        if (!markerAt(b, end, limit)) {
            return resync(b, start, end, limit, "extra data after the value");
        }
        bytes.takeFrame(valueLength);
        return decode(b, start, valueLength);
    }

    private void checkSize(int frameLength) throws FrameReader.FrameTooLarge {
        if (frameLength > maxFrameBytes) {
            throw new FrameReader.FrameTooLarge(maxFrameBytes);
        }
    }

    /** Skips to the first marker at or after {@code from}; the bytes before it are one undecodable frame. */
    private Frame resync(byte[] b, int start, int from, int limit, String why) {
        int at = indexOfMarker(b, from, limit);
        if (at < 0) {
            examined = limit - start;
            return null;
        }
        bytes.takeFrame(at - start);
        return failed(why);
    }

    /** Split mode: the bytes before the first marker must be exactly one value. */
    private static Frame decodeWhole(byte[] b, int offset, int length) {
        if (length == 0) {
            return failed("empty frame");
        }
        try {
            if (valueLength(b, offset, length) != length) {
                return failed("extra data after the value");
            }
        } catch (MessageInsufficientBufferException e) {
            return failed("truncated MessagePack value");
        } catch (MessagePackException | IOException e) {
            return failed("invalid MessagePack (" + e.getMessage() + ")");
        }
        return decode(b, offset, length);
    }

    /** The tree of a value whose extent is known (skipping it succeeded). */
    private static Frame decode(byte[] b, int offset, int length) {
        try {
            return new Frame(G2Codec.decode(b, offset, length), null);
        } catch (MessagePackException | IOException e) {
            // e.g. a map key that is a container, or nesting too deep
            return failed("invalid MessagePack (" + e.getMessage() + ")");
        }
    }

    private static Frame failed(String why) {
        return new Frame(null, new HpxApiError(900, "Failed parsing MessagePack data: " + why));
    }

    /** How many bytes the MessagePack value at {@code offset} takes; skipping validates its structure. */
    private static int valueLength(byte[] b, int offset, int length) throws IOException {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(b, offset, length)) {
            u.skipValue();
            return (int) u.getTotalReadBytes();
        }
    }

    private static boolean markerAt(byte[] b, int at, int limit) {
        if (limit - at < MARKER.length) {
            return false;
        }
        for (int i = 0; i < MARKER.length; i++) {
            if (b[at + i] != MARKER[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the (fewer than 5) bytes from {@code at} could still become a marker. */
    private static boolean isMarkerPrefix(byte[] b, int at, int limit) {
        for (int i = 0; at + i < limit; i++) {
            if (b[at + i] != MARKER[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOfMarker(byte[] b, int from, int limit) {
        for (int i = from; i + MARKER.length <= limit; i++) {
            if (markerAt(b, i, limit)) {
                return i;
            }
        }
        return -1;
    }
}
