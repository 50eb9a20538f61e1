package io.github.camelhpx.client;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.BinaryNode;

/**
 * Reads a reply of function results without parsing it: the message's JSON is inflated into one array and
 * handed to the caller as the server sent it, carried as the envelope's {@code data} in a {@link BinaryNode}.
 * Only the envelope's first members are parsed, to tell function results (whose {@code data} is a list) from
 * what the client must act on itself: a server-level error, a lost session, a broadcast; those are parsed
 * whole and classified as usual. Function-level errors stay in the JSON, in their result's {@code error}.
 * <p>
 * What follows the start of a list of results is not looked at: not its syntax, and not a message-level
 * {@code error} after it, which HPX never sends (its errors come with {@code "data": null}).
 */
final class RawReply {

    private RawReply() {
    }

    static Envelope read(MessageCodec codec, FrameDecoder.Frame frame) {
        byte[] json = codec.decodeBytes(frame);
        Envelope results = functionResults(codec, json);
        if (results != null) {
            return results;
        }
        Envelope parsed = Envelope.parse(codec.parse(json));
        // Function results after all, with their members in another order.
        return parsed.hasError() || !parsed.data().isArray() ? parsed
                : new Envelope(parsed.session(), parsed.serverName(), BinaryNode.valueOf(json), null);
    }

    /**
     * The envelope of a reply whose {@code data} is a list, once its string {@code session} and {@code name}
     * have been seen and no {@code error}; {@code null} for any other message.
     */
    private static Envelope functionResults(MessageCodec codec, byte[] json) {
        try (JsonParser parser = codec.parser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String session = null;
            String name = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "session" -> session = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "name" -> name = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "data" -> {
                        boolean complete = value == JsonToken.START_ARRAY && session != null && name != null;
                        return complete ? new Envelope(session, name, BinaryNode.valueOf(json), null) : null;
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
