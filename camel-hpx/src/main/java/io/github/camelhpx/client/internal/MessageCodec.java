package io.github.camelhpx.client.internal;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.TextNode;

import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxProtocolException;

/**
 * The G1 wire format: {@code gzip(utf8(json)) + <EOF>}, split at the first {@code <EOF>}. One codec per
 * connection; its compressor, decompressor and buffers are reused for every message. Not thread-safe.
 */
public final class MessageCodec extends WireCodec {

    private static final CharacterEscapes LESS_THAN_ESCAPED = new LessThanEscaped();

    private final ObjectMapper mapper;
    private final ObjectReader reader;
    private final GzipEncoder encoder;
    private final GzipDecoder decoder;
    private final GrowableBuffer json = new GrowableBuffer();
    private final GrowableBuffer frame = new GrowableBuffer();
    private final JsonReading<InputStream> tree;

    MessageCodec(ObjectMapper mapper, int compressionLevel, long maxMessageSize) {
        super(new FrameDecoder(maxMessageSize));
        this.mapper = mapper;
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // Made once: the default path reads every message, and a method reference made per call is an allocation.
        this.tree = reader::readTree;
        this.encoder = new GzipEncoder(compressionLevel);
        this.decoder = new GzipDecoder(maxMessageSize);
    }

    @Override
    public HpxProtocol protocol() {
        return HpxProtocol.G1;
    }

    /** G1 has no ids and no command key: a server command is the whole {@code data}, a handshake any object. */
    @Override
    public GrowableBuffer encode(Long id, String command, String session, String name, JsonNode data) {
        boolean serverCommand = !"call".equals(command) && !"handshake".equals(command);
        return encode(session, name, serverCommand ? TextNode.valueOf(command) : data);
    }

    /**
     * Encodes {@code {"session": .., "name": .., "data": ..}} as one frame, delimiter included. The returned
     * buffer is reused by the next call.
     */
    GrowableBuffer encode(String session, String name, JsonNode data) {
        compress(session, name, data, null);
        if (FrameBuffer.indexOfDelimiter(frame.array(), frame.size()) >= 0) {
            // The server would cut the frame there. Stored deflate blocks (compression level 0, or input that does
            // not compress) carry the JSON as it is: with every '<' written as a JSON unicode escape, its text cannot
            // hold the marker.
            compress(session, name, data, LESS_THAN_ESCAPED);
            if (FrameBuffer.indexOfDelimiter(frame.array(), frame.size()) >= 0) {
                throw new HpxProtocolException("HPX message compressed to bytes that hold <EOF>, where the server would"
                        + " cut it: not sent");
            }
        }
        frame.write(FrameDecoder.DELIMITER, 0, FrameDecoder.DELIMITER.length);
        return frame;
    }

    /** The message as JSON, written with {@code escapes} when not {@code null}, compressed into {@link #frame}. */
    private void compress(String session, String name, JsonNode data, CharacterEscapes escapes) {
        json.clear();
        try (JsonGenerator g = mapper.createGenerator(json)) {
            if (escapes != null) {
                g.setCharacterEscapes(escapes);
            }
            g.writeStartObject();
            g.writeStringField("session", session);
            g.writeStringField("name", name);
            g.writeFieldName("data");
            mapper.writeTree(g, data);
            g.writeEndObject();
        } catch (IOException e) {
            throw new HpxProtocolException("cannot serialise the HPX message: " + e.getMessage(), e);
        }
        frame.clear();
        encoder.encode(json.array(), json.size(), frame);
    }

    /** JSON's own escapes, and {@code <} as a unicode escape, which any JSON parser reads back as {@code <}. */
    private static final class LessThanEscaped extends CharacterEscapes {

        private final int[] codes = standardAsciiEscapesForJSON();

        LessThanEscaped() {
            codes['<'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return codes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }

    /** Decompresses and parses one frame's payload. */
    @Override
    public JsonNode decode(FrameDecoder.Frame payload) {
        return decode(payload, tree);
    }

    /**
     * Like {@link #decode(FrameDecoder.Frame)}, binding the {@code data} of each function result straight from
     * the stream to {@code functionDataType} (carried in a {@link com.fasterxml.jackson.databind.node.POJONode}),
     * so a big result never exists as a tree.
     */
    @Override
    public JsonNode decodeBound(FrameDecoder.Frame payload, JavaType functionDataType) {
        return decode(payload, content -> FunctionDataBinding.read(content, reader, functionDataType, true));
    }

    private JsonNode decode(FrameDecoder.Frame payload, JsonReading<InputStream> reading) {
        GzipDecoder content = open(payload);
        JsonNode root = parsed(reading, content, "UTF-8 JSON");
        // The JSON may end before the gzip trailer; reading to the end verifies it.
        if (content.read() >= 0) {
            throw new HpxProtocolException("HPX message has data after its JSON value");
        }
        return root;
    }

    /** Decompresses one frame's payload into an array of its own: the message's JSON, unparsed. */
    @Override
    public byte[] decodeBytes(FrameDecoder.Frame payload) {
        return open(payload).readFully();
    }

    @Override
    public JsonNode parse(byte[] json) {
        return parsed(reader::readTree, json, "UTF-8 JSON");
    }

    @Override
    public JsonParser parser(byte[] json) throws IOException {
        return reader.createParser(json);
    }

    /** Never: HPX 0.x reports a lost session for the whole message, which is parsed. */
    @Override
    public boolean reportsLostSession(byte[] json) {
        return false;
    }

    private GzipDecoder open(FrameDecoder.Frame payload) {
        return decoder.open(payload.bytes(), payload.offset(), payload.length());
    }

    /** Reads a message with {@code reading}, failures typed; {@code format} names the encoding for the error. */
    static <S> JsonNode parsed(JsonReading<S> reading, S source, String format) {
        JsonNode root;
        try {
            root = reading.read(source);
        } catch (JsonProcessingException e) {
            throw SecretMask.protocolError("HPX message is not valid " + format + ": ", e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new HpxProtocolException("cannot read the HPX message: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new HpxProtocolException("HPX message is empty");
        }
        return root;
    }

    @FunctionalInterface
    interface JsonReading<S> {
        JsonNode read(S source) throws IOException;
    }

    @Override
    public void close() {
        encoder.close();
        decoder.end();
    }
}
