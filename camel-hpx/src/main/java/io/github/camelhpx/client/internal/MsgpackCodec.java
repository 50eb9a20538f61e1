package io.github.camelhpx.client.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxProtocolException;

import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * The G2 wire format: one MessagePack map + {@code <EOF>}, no compression. Strings go out as MessagePack
 * {@code str} and integers in their smallest form (what the official JS client sends); a request whose encoding
 * contains {@code <EOF>} is refused, since the server splits at the first one. Not thread-safe.
 */
public final class MsgpackCodec extends WireCodec {

    private static final String FORMAT = "MessagePack";

    private final ObjectMapper mapper;
    private final ObjectReader reader;
    private final GrowableBuffer frame = new GrowableBuffer();

    /**
     * The MessagePack mapper of a client, made once from the user's mapper: its settings, the decoding limits, and
     * parsers that keep nothing on their thread. By default msgpack-jackson keeps each thread's last input in a
     * thread-local, so an idle reader thread would hold its last frame, up to {@code maxMessageSize}, for good.
     */
    public static ObjectMapper mapperFor(ObjectMapper userMapper, long maxMessageSize) {
        MessagePackFactory factory = new MessagePackFactory();
        factory.setReuseResourceInParser(false);
        return DecodingLimits.bounded(userMapper.copyWith(factory), maxMessageSize);
    }

    /** @param mapper the client's MessagePack mapper, from {@link #mapperFor} */
    MsgpackCodec(ObjectMapper mapper, long maxMessageSize) {
        super(new MsgpackFrameDecoder(maxMessageSize));
        this.mapper = mapper;
        // No FAIL_ON_TRAILING_TOKENS: the frame decoder has found exactly one value, and the MessagePack parser
        // throws on looking past its end.
        this.reader = mapper.reader();
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
     * the request it answers can say how to read it; {@code null} when it has none or is no map, or when the id
     * is neither an integer nor a string. Read straight from the bytes: a MessagePack parser here (as before)
     * copied the whole frame and allocated its buffers for every reply, only to find the first key.
     */
    JsonNode peekId(FrameBuffer.Frame payload) {
        byte[] b = payload.bytes();
        int end = payload.offset() + payload.length();
        int p = payload.offset();
        if (p >= end) {
            return null;
        }
        int head = b[p++] & 0xff;
        long members;
        if ((head & 0xf0) == 0x80) {
            members = head & 0x0f;
        } else if (head == 0xde && p + 2 <= end) {
            members = uint(b, p, 2);
            p += 2;
        } else if (head == 0xdf && p + 4 <= end) {
            members = uint(b, p, 4);
            p += 4;
        } else {
            return null;
        }
        for (long i = 0; i < members && p >= 0 && p < end; i++) {
            int key = p;
            p = skip(b, p, end);
            if (p < 0) {
                return null;
            }
            if (isIdKey(b, key, p)) {
                return idValue(b, p, end);
            }
            p = skip(b, p, end);
        }
        return null;
    }

    private static final byte[] ID_KEY = Envelope.ID.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** Whether the msgpack value in {@code [from, to)} is the string {@code __id__}. */
    private static boolean isIdKey(byte[] b, int from, int to) {
        int t = b[from] & 0xff;
        int header = (t & 0xe0) == 0xa0 ? 1 : t == 0xd9 ? 2 : t == 0xda ? 3 : t == 0xdb ? 5 : -1;
        if (header < 0 || to - from - header != ID_KEY.length) {
            return false;
        }
        return java.util.Arrays.equals(b, from + header, to, ID_KEY, 0, ID_KEY.length);
    }

    /** An integer id as a {@code LongNode}, a string one as a {@code TextNode}, anything else {@code null}. */
    private static JsonNode idValue(byte[] b, int p, int end) {
        if (p >= end) {
            return null;
        }
        int t = b[p++] & 0xff;
        if (t <= 0x7f) {
            return LongNode.valueOf(t);
        }
        if (t >= 0xe0) {
            return LongNode.valueOf((byte) t);
        }
        int n = switch (t) {
            case 0xcc, 0xd0, 0xd9 -> 1;
            case 0xcd, 0xd1, 0xda -> 2;
            case 0xce, 0xd2, 0xdb -> 4;
            case 0xcf, 0xd3 -> 8;
            default -> (t & 0xe0) == 0xa0 ? 0 : -1;
        };
        if (n < 0 || p + n > end) {
            return null;
        }
        if ((t & 0xe0) == 0xa0 || t == 0xd9 || t == 0xda || t == 0xdb) {
            long length = (t & 0xe0) == 0xa0 ? t & 0x1f : uint(b, p, n);
            p += (t & 0xe0) == 0xa0 ? 0 : n;
            if (length > end - p) {
                return null;
            }
            return TextNode.valueOf(new String(b, p, (int) length, java.nio.charset.StandardCharsets.UTF_8));
        }
        long v = uint(b, p, n);
        if (t >= 0xd0) {
            // int8..int64: sign-extend
            v = n == 8 ? v : (v << (64 - 8 * n)) >> (64 - 8 * n);
        } else if (n == 8 && v < 0) {
            // a uint64 above Long.MAX_VALUE: no request has such an id
            return null;
        }
        return LongNode.valueOf(v);
    }

    private static long uint(byte[] b, int p, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[p + i] & 0xff);
        }
        return v;
    }

    /** The index just past the msgpack value at {@code p} (containers included), or -1 if it passes {@code end}. */
    private static int skip(byte[] b, int p, int end) {
        long values = 1;
        while (values > 0) {
            if (p >= end) {
                return -1;
            }
            int t = b[p++] & 0xff;
            values--;
            long extra;
            if (t <= 0x7f || t >= 0xe0) {
                continue;
            } else if (t <= 0x8f) {
                values += 2L * (t & 0x0f);
                continue;
            } else if (t <= 0x9f) {
                values += t & 0x0f;
                continue;
            } else if (t <= 0xbf) {
                extra = t & 0x1f;
            } else {
                int size = switch (t) {
                    case 0xc4, 0xc7, 0xcc, 0xd0, 0xd9 -> 1;
                    case 0xc5, 0xc8, 0xcd, 0xd1, 0xda, 0xdc, 0xde -> 2;
                    case 0xc6, 0xc9, 0xca, 0xce, 0xd2, 0xdb, 0xdd, 0xdf -> 4;
                    case 0xcb, 0xcf, 0xd3 -> 8;
                    case 0xc0, 0xc2, 0xc3 -> 0;
                    case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8 -> 0;
                    default -> -1;
                };
                if (size < 0 || p + size > end) {
                    return -1;
                }
                switch (t) {
                    case 0xc4, 0xc5, 0xc6, 0xd9, 0xda, 0xdb -> extra = size + uint(b, p, size);
                    case 0xc7, 0xc8, 0xc9 -> extra = size + 1 + uint(b, p, size);
                    case 0xdc, 0xdd -> {
                        values += uint(b, p, size);
                        extra = size;
                    }
                    case 0xde, 0xdf -> {
                        values += 2 * uint(b, p, size);
                        extra = size;
                    }
                    case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8 -> extra = 1 + (1 << (t - 0xd4));
                    default -> extra = size;
                }
            }
            if (extra > end - p) {
                return -1;
            }
            p += (int) extra;
        }
        return p;
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
