package io.github.camelhpx.client.internal;

import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxProtocolException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * The G2 wire format: one MessagePack map + {@code <EOF>}, no compression. Strings go out as MessagePack
 * {@code str} and integers in their smallest form (what the official JS client sends); a request whose encoding
 * contains {@code <EOF>} is refused, since the server splits at the first one. Not thread-safe.
 */
public final class MsgpackCodec implements WireCodec {

    private static final String FORMAT = "MessagePack";

    private final ObjectMapper mapper;
    private final ObjectReader reader;
    private final MsgpackFrameDecoder frames;
    private final GrowableBuffer frame = new GrowableBuffer();

    /** @param mapper a MessagePack mapper, made once per client from the user's settings */
    MsgpackCodec(ObjectMapper mapper, long maxMessageSize) {
        this.mapper = mapper;
        // No FAIL_ON_TRAILING_TOKENS: the frame decoder has found exactly one value, and the MessagePack parser
        // throws on looking past its end.
        this.reader = mapper.reader();
        this.frames = new MsgpackFrameDecoder(maxMessageSize);
    }

    @Override
    public HpxProtocol protocol() {
        return HpxProtocol.G2;
    }

    @Override
    public GrowableBuffer encode(Long id, String command, String session, String name, JsonNode data) {
        frame.clear();
        try (JsonGenerator g = mapper.createGenerator(frame)) {
            g.writeStartObject();
            if (id != null) {
                g.writeNumberField("__id__", id);
            }
            g.writeStringField("command", command);
            g.writeStringField("session", session);
            g.writeStringField("name", name);
            g.writeFieldName("data");
            if (data == null) {
                g.writeNull();
            } else {
                mapper.writeTree(g, data);
            }
            g.writeEndObject();
        } catch (IOException | IllegalArgumentException e) {
            // e.g. an integer beyond MessagePack's 64 bits
            throw new HpxProtocolException("cannot serialise the HPX message: " + e.getMessage(), e);
        }
        if (indexOfDelimiter(frame.array(), frame.size()) >= 0) {
            throw new HpxProtocolException("HPX request '" + command + "' contains the bytes <EOF> (in a string or as"
                    + " numbers), where an HPX 1.0 server would cut it: not sent");
        }
        frame.write(FrameBuffer.DELIMITER, 0, FrameBuffer.DELIMITER.length);
        return frame;
    }

    @Override
    public FrameBuffer.Frame readFrame(InputStream in) throws IOException {
        return frames.read(in);
    }

    @Override
    public void releaseFrame() {
        frames.release();
    }

    @Override
    public boolean hasBufferedBytes() {
        return frames.hasBufferedBytes();
    }

    @Override
    public JsonNode decode(FrameBuffer.Frame payload) {
        return MessageCodec.parsed(p -> reader.readTree(p.bytes(), p.offset(), p.length()), payload, FORMAT);
    }

    @Override
    public JsonNode decodeBound(FrameBuffer.Frame payload, JavaType functionDataType) {
        return MessageCodec.parsed(p -> FunctionDataBinding.read(
                new ByteArrayInputStream(p.bytes(), p.offset(), p.length()), reader, functionDataType, false), payload, FORMAT);
    }

    @Override
    public byte[] decodeBytes(FrameBuffer.Frame payload) {
        return Arrays.copyOfRange(payload.bytes(), payload.offset(), payload.offset() + payload.length());
    }

    /**
     * The frame's {@code __id__}, read without decoding the rest (the members before it are skipped), so that
     * the request it answers can say how to read it; {@code null} when it has none or is no map.
     */
    JsonNode peekId(FrameBuffer.Frame payload) {
        try (JsonParser parser = reader.createParser(payload.bytes(), payload.offset(), payload.length())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (Envelope.ID.equals(field)) {
                    return RawReply.idValue(parser, value);
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            // The full decode reports what is wrong with it.
            return null;
        }
    }

    @Override
    public JsonNode parse(byte[] message) {
        return MessageCodec.parsed(reader::readTree, message, FORMAT);
    }

    @Override
    public JsonParser parser(byte[] message) throws IOException {
        return reader.createParser(message);
    }

    @Override
    public void close() {
        // Nothing native to free: buffers go with the codec.
    }

    private static int indexOfDelimiter(byte[] bytes, int size) {
        byte[] d = FrameBuffer.DELIMITER;
        outer:
        for (int i = 0; i + d.length <= size; i++) {
            for (int j = 0; j < d.length; j++) {
                if (bytes[i + j] != d[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
