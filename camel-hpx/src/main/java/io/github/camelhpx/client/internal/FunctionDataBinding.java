package io.github.camelhpx.client.internal;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;

import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocolException;

/**
 * Reads a message as a tree except for the {@code data} of each function result, which is bound from the
 * stream to the caller's type and carried in a {@link POJONode}: a big result is never held twice, as a
 * tree and as objects. The rest of the message keeps its tree shape, so it is classified like any other.
 */
public final class FunctionDataBinding {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonParser parser;
    private final ObjectReader values;
    private final ObjectReader functionData;

    private FunctionDataBinding(JsonParser parser, ObjectReader reader, JavaType type) {
        this.parser = parser;
        // Values are read one after another from one stream: trailing tokens are the next value, not an error.
        this.values = reader.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.functionData = values.forType(type);
    }

    /**
     * The message's root, or {@code null} when the content holds no value. With {@code checkTrailing} a value
     * after the root is an error; without, the framing has already made sure there is none (G2's MessagePack
     * parser fails on reading past the end instead of reporting it).
     */
    static JsonNode read(InputStream content, ObjectReader reader, JavaType functionDataType, boolean checkTrailing)
            throws IOException {
        return read(reader.createParser(content), reader, functionDataType, checkTrailing);
    }

    /** As {@link #read(InputStream, ObjectReader, JavaType, boolean)}, from {@code parser}, which it closes. */
    static JsonNode read(JsonParser content, ObjectReader reader, JavaType functionDataType, boolean checkTrailing)
            throws IOException {
        try (JsonParser parser = content) {
            if (parser.nextToken() == null) {
                return null;
            }
            JsonNode root = new FunctionDataBinding(parser, reader, functionDataType).message();
            if (checkTrailing && parser.nextToken() != null) {
                throw new HpxProtocolException("HPX message has data after its JSON value");
            }
            return root;
        }
    }

    private JsonNode message() throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return tree();
        }
        ObjectNode root = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            boolean results = "data".equals(field) && parser.currentToken() == JsonToken.START_ARRAY;
            root.set(field, results ? functionResults() : tree());
        }
        return root;
    }

    private ArrayNode functionResults() throws IOException {
        ArrayNode results = NODES.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            results.add(parser.currentToken() == JsonToken.START_OBJECT ? functionResult() : tree());
        }
        return results;
    }

    private ObjectNode functionResult() throws IOException {
        ObjectNode result = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            result.set(field, "data".equals(field) ? bound(result.path("fname").asText("?")) : tree());
        }
        return result;
    }

    private JsonNode tree() throws IOException {
        return values.readTree(parser);
    }

    private JsonNode bound(String fname) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return NullNode.getInstance();
        }
        try {
            return new POJONode(functionData.readValue(parser));
        } catch (DatabindException e) {
            // Jackson's readers wrap what failed beneath them too (a syntax error, a message over maxMessageSize):
            // those are the message's fault, not the type's.
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof StreamReadException malformed) {
                    throw malformed;
                }
                if (cause instanceof HpxException failure) {
                    throw failure;
                }
            }
            throw unreadable(fname, e.getOriginalMessage(), e);
        } catch (HpxException e) {
            throw e;
        } catch (RuntimeException e) {
            // The caller's own deserializer failed. The frame was read whole, so only this reply is lost to it.
            throw unreadable(fname, e.getMessage(), e);
        }
    }

    private HpxProtocolException unreadable(String fname, String why, Exception cause) {
        return unreadable(fname, functionData.getValueType(), why, cause);
    }

    private static HpxProtocolException unreadable(String fname, JavaType type, String why, Exception cause) {
        return SecretMask.protocolError("HPX reply data of '" + fname + "' cannot be read as " + type + ": ", why, cause);
    }

    /** {@code data}, read as a tree, bound to {@code type}, failing as data bound from the stream does. */
    public static <T> T bind(ObjectMapper mapper, String fname, JsonNode data, Class<T> type) {
        if (data == null || data.isNull() || data.isMissingNode()) {
            return null;
        }
        try {
            return mapper.treeToValue(data, type);
        } catch (JsonProcessingException e) {
            throw unreadable(fname, mapper.constructType(type), e.getOriginalMessage(), e);
        } catch (HpxException e) {
            throw e;
        } catch (RuntimeException e) {
            // The caller's own deserializer failed, as in bound(String).
            throw unreadable(fname, mapper.constructType(type), e.getMessage(), e);
        }
    }
}
