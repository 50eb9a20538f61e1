package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.List;

/**
 * The real server's key checks ({@code _check_missing}, {@code _check_unknown}, {@code _expect_iterable}),
 * which accept a JSON list wherever they expect a dict and test membership the Python way.
 */
final class Keys {

    private Keys() {
    }

    static void checkMissing(JsonNode data, List<String> keys, String what) {
        if (data == null || !(data.isObject() || data.isArray())) {
            throw new HpxApiError(403, "A list/dict was expected, not: " + PyFormat.str(data));
        }
        for (String k : keys) {
            if (!contains(data, k)) {
                throw new HpxApiError(403, what + " missing '" + k + "' key");
            }
        }
    }

    static void checkBoth(JsonNode data, List<String> keys, String what) {
        checkMissing(data, keys, what);
        if (data.size() != keys.size()) {
            for (Iterator<JsonNode> it = members(data); it.hasNext(); ) {
                JsonNode x = it.next();
                if (!(x.isTextual() && keys.contains(x.textValue()))) {
                    throw new HpxApiError(403, what + " contains unknown key '" + PyFormat.str(x) + "'");
                }
            }
        }
    }

    /** Python's {@code key in data} for a dict (keys) or a list (elements). */
    private static boolean contains(JsonNode data, String key) {
        if (data.isObject()) {
            return data.has(key);
        }
        for (JsonNode e : data) {
            if (e.isTextual() && e.textValue().equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** Python's iteration of a dict (its keys) or a list (its elements). */
    private static Iterator<JsonNode> members(JsonNode data) {
        if (data.isArray()) {
            return data.elements();
        }
        Iterator<String> names = data.fieldNames();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return names.hasNext();
            }

            @Override
            public JsonNode next() {
                return Json.NODES.textNode(names.next());
            }
        };
    }
}
