package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;

/**
 * The 1.0 API's dotted paths: {@code fields} of the item functions (lenient: unknown paths are left out,
 * {@code *} takes every member, a path through a list applies to each element) and {@code keys} of
 * get_properties (strict: an unknown path is an error).
 */
final class G2Fields {

    private G2Fields() {
    }

    /** The item reduced to {@code id} and the given paths; a null or empty list keeps the whole item. */
    static JsonNode project(JsonNode item, JsonNode fields) {
        if (fields == null || fields.isNull() || !fields.isArray() || fields.isEmpty() || !item.isObject()) {
            return item;
        }
        ObjectNode out = Json.object();
        if (item.has("id")) {
            out.set("id", item.get("id"));
        }
        for (JsonNode f : fields) {
            merge(out, item, PyFormat.str(f).split("\\."), 0);
        }
        return out;
    }

    private static void merge(ObjectNode out, JsonNode src, String[] path, int i) {
        if (!src.isObject()) {
            return;
        }
        if ("*".equals(path[i])) {
            for (Iterator<String> it = src.fieldNames(); it.hasNext(); ) {
                mergeMember(out, src, it.next(), path, i);
            }
        } else if (src.has(path[i])) {
            mergeMember(out, src, path[i], path, i);
        }
    }

    private static void mergeMember(ObjectNode out, JsonNode src, String name, String[] path, int i) {
        JsonNode v = src.get(name);
        boolean last = i == path.length - 1;
        if (last || !(v.isObject() || v.isArray())) {
            out.set(name, v);
        } else if (v.isObject()) {
            JsonNode existing = out.get(name);
            ObjectNode target = existing instanceof ObjectNode ? (ObjectNode) existing : out.putObject(name);
            merge(target, v, path, i + 1);
        } else {
            JsonNode existing = out.get(name);
            ArrayNode target = existing instanceof ArrayNode ? (ArrayNode) existing : out.putArray(name);
            for (int j = 0; j < v.size(); j++) {
                if (target.size() <= j) {
                    target.addObject();
                }
                if (target.get(j) instanceof ObjectNode element) {
                    merge(element, v.get(j), path, i + 1);
                }
            }
        }
    }

    /**
     * The members of {@code tree} named by {@code keys} (dotted paths), nested as in the tree; null keys give the
     * whole tree. An unknown path is a 404.
     */
    static ObjectNode pick(ObjectNode tree, JsonNode keys) {
        if (keys == null || keys.isNull()) {
            return tree;
        }
        if (!keys.isArray()) {
            throw new HpxApiError(404, "A list of property keys is required, not: " + PyFormat.str(keys));
        }
        ObjectNode out = Json.object();
        for (JsonNode k : keys) {
            String key = PyFormat.str(k);
            String[] path = key.split("\\.");
            JsonNode src = tree;
            ObjectNode target = out;
            for (int i = 0; i < path.length; i++) {
                JsonNode v = src.get(path[i]);
                if (v == null) {
                    throw new HpxApiError(404, "Property '" + key + "' does not exist");
                }
                if (i == path.length - 1) {
                    target.set(path[i], v);
                } else {
                    JsonNode existing = target.get(path[i]);
                    target = existing instanceof ObjectNode ? (ObjectNode) existing : target.putObject(path[i]);
                    src = v;
                }
            }
        }
        return out;
    }
}
