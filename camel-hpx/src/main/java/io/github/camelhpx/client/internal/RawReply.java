package io.github.camelhpx.client.internal;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Reads a reply of function results without parsing it: the message's JSON is inflated into one array and
 * handed to the caller as the server sent it, carried as the envelope's {@code data} in {@link RawResults}.
 * Only the envelope's first members are parsed, to tell function results (whose {@code data} is a list) from
 * what the client must act on itself: a server-level error, a lost session, a broadcast; those are parsed
 * whole and classified as usual. Function-level errors stay in the message, in their result's {@code error}; G2's
 * results are looked through for one that reports a lost session, which the client acts on as on a whole message's.
 * <p>
 * What follows the start of a list of results is not looked at: not its syntax, and not a message-level
 * {@code error} after it, which HPX never sends (its errors come with {@code "data": null}).
 */
public final class RawReply {

    private RawReply() {
    }

    static Envelope read(WireCodec codec, FrameBuffer.Frame frame) {
        byte[] json = codec.decodeBytes(frame);
        Envelope results = functionResults(codec, json);
        if (results != null) {
            return results;
        }
        Envelope parsed = Envelope.parse(codec.parse(json));
        // Function results after all, with their members in another order.
        return parsed.hasError() || !parsed.data().isArray() ? parsed
                : parsed.withData(new RawResults(json, codec.reportsLostSession(json)));
    }

    /** An {@code __id__} as the tree parser would give it: an integer or a string; anything else is skipped. */
    static JsonNode idValue(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return LongNode.valueOf(parser.getLongValue());
        }
        if (value == JsonToken.VALUE_STRING) {
            return TextNode.valueOf(parser.getText());
        }
        parser.skipChildren();
        return null;
    }

    /**
     * The envelope of a reply whose {@code data} is a list, once its string {@code session} and {@code name}
     * have been seen and no {@code error}; {@code null} for any other message.
     */
    private static Envelope functionResults(WireCodec codec, byte[] json) {
        try (JsonParser parser = codec.parser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String session = null;
            String name = null;
            JsonNode id = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "session" -> session = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "name" -> name = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case Envelope.ID -> id = idValue(parser, value);
                    case "data" -> {
                        boolean complete = value == JsonToken.START_ARRAY && session != null && name != null;
                        return complete ? new Envelope(session, name, new RawResults(json, codec.reportsLostSession(json)),
                                null, id) : null;
                    }
                    case "error" -> {
                        if (value != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            return null;
        } catch (IOException e) {
            // Not even its first members parse: the full parse reports what is wrong.
            return null;
        }
    }
}
