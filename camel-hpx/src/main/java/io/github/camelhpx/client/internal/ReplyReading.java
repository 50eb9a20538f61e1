package io.github.camelhpx.client.internal;

import com.fasterxml.jackson.databind.JavaType;

/** How a connection reads a message into an {@link Envelope}: the strategy a request chooses for its reply. */
@FunctionalInterface
public interface ReplyReading {

    /** The whole message as a JSON tree. */
    ReplyReading TREE = (codec, frame) -> Envelope.parse(codec.decode(frame));

    /** A reply of function results as the server encoded it, unparsed; see {@link RawReply}. */
    ReplyReading RAW = RawReply::read;

    /** A tree, but each function result's {@code data} bound to {@code type}; see {@link FunctionDataBinding}. */
    static ReplyReading bound(JavaType type) {
        return (codec, frame) -> Envelope.parse(codec.decodeBound(frame, type));
    }

    Envelope read(WireCodec codec, FrameBuffer.Frame frame);
}
