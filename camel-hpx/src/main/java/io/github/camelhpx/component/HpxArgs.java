package io.github.camelhpx.component;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.TextNode;

/** Turns an endpoint's {@code arg.*} options into the JSON arguments of its function call. */
final class HpxArgs {

    private HpxArgs() {
    }

    /** A URI value is sent as the JSON literal it spells, else as text; other values as Jackson maps them. */
    static Map<String, JsonNode> of(HpxConfiguration configuration, ObjectMapper mapper) {
        ObjectReader strictReader = strictReader(mapper);
        Map<String, JsonNode> args = new LinkedHashMap<>();
        configuration.getArgs().forEach((name, value) -> args.put(name, optionValue(value, mapper, strictReader)));
        return args;
    }

    /** Reads JSON text as a whole: without this, "10abc" would read as 10. */
    static ObjectReader strictReader(ObjectMapper mapper) {
        return mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private static JsonNode optionValue(Object value, ObjectMapper mapper, ObjectReader strictReader) {
        if (!(value instanceof String text)) {
            return mapper.valueToTree(value);
        }
        try {
            JsonNode literal = strictReader.readTree(text);
            return literal == null || literal.isMissingNode() ? TextNode.valueOf(text) : literal;
        } catch (IOException notJson) {
            return TextNode.valueOf(text);
        }
    }
}
