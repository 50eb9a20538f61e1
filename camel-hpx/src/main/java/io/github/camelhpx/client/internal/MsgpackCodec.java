package io.github.camelhpx.client.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.github.camelhpx.client.HpxAuthException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxProtocolException;

import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * The G2 wire format: one MessagePack map + {@code <EOF>}, no compression. Strings go out as MessagePack
 * {@code str} and integers in their smallest form (what the official JS client sends); a request whose encoding
 * contains {@code <EOF>} is refused, since the server splits at the first one. Thread-safe as {@link WireCodec}
 * says: encoding reuses a buffer and a packer, decoding keeps no state.
 */
public final class MsgpackCodec extends WireCodec {

    private static final String FORMAT = "MessagePack";
    /**
     * Past this size a message may have grown the packer's buffer: it makes room for 3 bytes a character before it
     * encodes a string of 512 characters or more, so more than 8 KiB (its size) for one of a third of that.
     */
    private static final int BIG_MESSAGE = 2 * 1024;
    private static final byte[] ID_KEY = Envelope.ID.getBytes(StandardCharsets.UTF_8);
    private static final byte[] DATA_KEY = "data".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ERROR_KEY = "error".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CODE_KEY = "code".getBytes(StandardCharsets.UTF_8);
    /**
     * Whether msgpack-jackson's parser reads strings right on this JVM: it reads those of up to 64 bytes in the
     * default charset (see {@link MsgpackTrees}). Where it does not, typed replies are bound from a tree that
     * {@link MsgpackTrees} read.
     */
    private static final boolean JACKSON_READS_STRINGS = StandardCharsets.UTF_8.equals(Charset.defaultCharset());
    /**
     * What {@link MsgpackTrees} may do for each client's mapper, probed once per mapper rather than per connection.
     * Weak keys (compared by identity: a mapper has no equals of its own) let a closed client's mapper go.
     */
    private static final Map<ObjectMapper, TreeWalks> WALKS = Collections.synchronizedMap(new WeakHashMap<>());

    /** Whether {@link MsgpackTrees} reads and writes a mapper's trees as Jackson would. */
    private record TreeWalks(boolean reads, boolean writes) {

        static TreeWalks probe(ObjectMapper mapper) {
            return new TreeWalks(MsgpackTrees.readsAsJackson(mapper), MsgpackTrees.writesAsJackson(mapper));
        }
    }

    private final ObjectMapper mapper;
    private final ObjectReader reader;
    private final JsonNodeFactory nodes;
    private final boolean readsTrees;
    private final boolean writesTrees;
    private final GrowableBuffer frame = new GrowableBuffer();
    /**
     * With msgpack-jackson's own packer settings, so that its bytes are the generator's; made when first needed. Its
     * buffer grows to fit a long string and stays so: after a big message, or one that failed, a new one is made.
     */
    private MessagePacker packer;

    /**
     * The MessagePack mapper of a client, made once from the user's mapper: its settings, the decoding limits, and
     * parsers and generators that keep nothing on their thread. By default msgpack-jackson keeps each thread's last
     * input and output in thread-locals, so an idle reader thread would hold its last frame, up to
     * {@code maxMessageSize}, for good, and a caller the last request it encoded.
     */
    public static ObjectMapper mapperFor(ObjectMapper userMapper, long maxMessageSize) {
        MessagePackFactory factory = new MessagePackFactory();
        factory.setReuseResourceInParser(false);
        factory.setReuseResourceInGenerator(false);
        return DecodingLimits.bounded(userMapper.copyWith(factory), maxMessageSize);
    }

    /** @param mapper the client's MessagePack mapper, from {@link #mapperFor} */
    MsgpackCodec(ObjectMapper mapper, long maxMessageSize) {
        super(new MsgpackFrameDecoder(maxMessageSize));
        this.mapper = mapper;
        // Never FAIL_ON_TRAILING_TOKENS, even when the user's mapper asks for it: the frame decoder has found
        // exactly one value, and the MessagePack parser throws on looking past its end.
        this.reader = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.nodes = mapper.getNodeFactory();
        TreeWalks walks = WALKS.computeIfAbsent(mapper, TreeWalks::probe);
        this.readsTrees = walks.reads();
        this.writesTrees = walks.writes();
    }

    @Override
    public HpxProtocol protocol() {
        return HpxProtocol.G2;
    }

    @Override
    public GrowableBuffer encode(Long id, String command, String session, String name, JsonNode data) {
        frame.clear();
        try {
            if (!writesTrees || !packed(id, command, session, name, data)) {
                generate(id, command, session, name, data);
            }
        } catch (IOException | IllegalArgumentException e) {
            // e.g. an integer beyond MessagePack's 64 bits
            throw new HpxProtocolException("cannot serialise the HPX message: " + e.getMessage(), e);
        }
        if (FrameBuffer.indexOfDelimiter(frame.array(), frame.size()) >= 0) {
            throw new HpxProtocolException("HPX request '" + command + "' contains the bytes <EOF> (in a string or as"
                    + " numbers), where an HPX 1.0 server would cut it: not sent");
        }
        frame.write(FrameBuffer.DELIMITER, 0, FrameBuffer.DELIMITER.length);
        return frame;
    }

    /** Packs the message; {@code false}, with nothing written, when {@code data} holds what only Jackson writes. */
    private boolean packed(Long id, String command, String session, String name, JsonNode data) throws IOException {
        if (packer == null) {
            packer = new MessagePack.PackerConfig().newPacker(frame);
        }
        boolean packedWhole = false;
        try {
            packer.packMapHeader(id == null ? 4 : 5);
            if (id != null) {
                packer.packString(Envelope.ID);
                packer.packLong(id);
            }
            packMember("command", command);
            packMember("session", session);
            packMember("name", name);
            packer.packString("data");
            if (data == null) {
                packer.packNil();
            } else {
                MsgpackTrees.write(data, packer);
            }
            packer.flush();
            packedWhole = true;
            return true;
        } catch (MsgpackTrees.Unknown e) {
            frame.clear();
            return false;
        } finally {
            if (!packedWhole || frame.size() > BIG_MESSAGE) {
                // What it left buffered, or a buffer grown for a long string, is not kept.
                packer = null;
            }
        }
    }

    private void packMember(String key, String value) throws IOException {
        packer.packString(key);
        if (value == null) {
            packer.packNil();
        } else {
            packer.packString(value);
        }
    }

    private void generate(Long id, String command, String session, String name, JsonNode data) throws IOException {
        try (JsonGenerator g = mapper.createGenerator(frame)) {
            g.writeStartObject();
            if (id != null) {
                g.writeNumberField(Envelope.ID, id);
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
        }
    }

    @Override
    public JsonNode decode(FrameBuffer.Frame payload) {
        return MessageCodec.parsed(p -> tree(p.bytes(), p.offset(), p.length()), payload, FORMAT);
    }

    private JsonNode tree(byte[] bytes, int offset, int length) throws IOException {
        if (readsTrees) {
            try {
                return MsgpackTrees.read(bytes, offset, length, nodes);
            } catch (MsgpackTrees.Unknown e) {
                // Jackson's own nodes and names for what the walk does not know
            }
        }
        return reader.readTree(bytes, offset, length);
    }

    @Override
    public JsonNode decodeBound(FrameBuffer.Frame payload, JavaType functionDataType) {
        return MessageCodec.parsed(p -> FunctionDataBinding.read(parser(p.bytes(), p.offset(), p.length()), reader,
                functionDataType, false), payload, FORMAT);
    }

    private JsonParser parser(byte[] bytes, int offset, int length) throws IOException {
        return JACKSON_READS_STRINGS ? reader.createParser(new ByteArrayInputStream(bytes, offset, length))
                : reader.treeAsTokens(tree(bytes, offset, length));
    }

    @Override
    public byte[] decodeBytes(FrameBuffer.Frame payload) {
        // A detached frame's array is the payload's own already: a caller that read a raw reply for another call
        // copied it once, out of the decoder's buffer.
        return payload.ownBytes();
    }

    /**
     * The frame's {@code __id__}, read without decoding the rest (the members before it are skipped), so that
     * the request it answers can say how to read it; {@code null} when it has none or is no map, or when the id
     * is neither an integer nor a string. Read straight from the bytes: a MessagePack parser here (as before)
     * copied the whole frame and allocated its buffers for every reply, only to find the first key.
     */
    JsonNode peekId(FrameBuffer.Frame payload) {
        MsgpackCursor cursor = new MsgpackCursor(payload.bytes(), payload.offset(), payload.length());
        return cursor.seekMember(ID_KEY) ? cursor.scalar() : null;
    }

    /**
     * Whether a function's result in this message reports that the session is lost (G2 does so per function too):
     * read from the bytes of a raw reply, which are not parsed.
     */
    @Override
    public boolean reportsLostSession(byte[] message) {
        MsgpackCursor cursor = new MsgpackCursor(message, 0, message.length);
        if (!cursor.seekMember(DATA_KEY)) {
            return false;
        }
        long results = cursor.arraySize();
        for (long r = 0; r < results && !cursor.broken(); r++) {
            MsgpackCursor result = cursor.copy();
            cursor.skip();
            if (result.seekMember(ERROR_KEY) && result.seekMember(CODE_KEY)) {
                JsonNode code = result.scalar();
                if (code != null && code.canConvertToInt() && HpxAuthException.isAuthCode(code.intValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public JsonNode parse(byte[] message) {
        return MessageCodec.parsed(m -> tree(m, 0, m.length), message, FORMAT);
    }

    @Override
    public JsonParser parser(byte[] message) throws IOException {
        return parser(message, 0, message.length);
    }

    @Override
    public void close() {
        // Nothing native to free: buffers go with the codec.
    }
}
