package io.github.camelhpx.client.internal;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.ServerCommand;

/**
 * One protocol generation's wire format, in both directions: how a request becomes a frame, where a received
 * frame ends, and how its payload becomes a message. One codec per connection; its buffers are reused for every
 * message. {@link #encode} is called by one writer at a time, {@link #readFrame} and {@link #releaseFrame} by one
 * reader; the decoding methods keep no state, and decode frames or copies of them on several threads at once (a G2
 * caller its own reply, the reader thread what the caller read for others).
 */
public abstract class WireCodec implements AutoCloseable {

    private final FrameBuffer frames;

    /** @param frames where this generation's frames end */
    protected WireCodec(FrameBuffer frames) {
        this.frames = frames;
    }

    public abstract HpxProtocol protocol();

    /**
     * Encodes one request as a frame, delimiter included; the returned buffer is reused by the next call.
     *
     * @param id      the request's {@code __id__} (G2), or {@code null}
     * @param command {@code handshake}, {@code call} or a {@link ServerCommand}'s wire name
     * @param data    the request's data ({@code null} for a server command)
     * @throws HpxProtocolException when the message cannot be framed safely
     */
    public abstract GrowableBuffer encode(Long id, String command, String session, String name, JsonNode data);

    /** Reads until a whole frame is buffered and returns its payload; see {@link FrameBuffer#read}. */
    public final FrameBuffer.Frame readFrame(InputStream in) throws IOException {
        return frames.read(in);
    }

    /** Ends the use of the last frame. */
    public final void releaseFrame() {
        frames.release();
    }

    /** The bytes of a frame that is not complete, after its read failed. */
    final FrameBuffer.Frame pendingFrame() {
        return frames.pending();
    }

    /** Whether bytes of a next frame are already buffered. */
    public final boolean hasBufferedBytes() {
        return frames.hasBufferedBytes();
    }

    /** The payload as a tree. */
    public abstract JsonNode decode(FrameBuffer.Frame payload);

    /** The payload as a tree, but each function result's {@code data} bound to {@code functionDataType}. */
    public abstract JsonNode decodeBound(FrameBuffer.Frame payload, JavaType functionDataType);

    /** The message as the server encoded it, in an array of its own: G1 the inflated JSON, G2 the MessagePack. */
    public abstract byte[] decodeBytes(FrameBuffer.Frame payload);

    /** Parses what {@link #decodeBytes} gave. */
    public abstract JsonNode parse(byte[] message);

    /** A streaming parser of what {@link #decodeBytes} gave. */
    public abstract JsonParser parser(byte[] message) throws IOException;

    /** Whether a function's result in what {@link #decodeBytes} gave reports that the session is lost. */
    public abstract boolean reportsLostSession(byte[] message);

    @Override
    public abstract void close();
}
