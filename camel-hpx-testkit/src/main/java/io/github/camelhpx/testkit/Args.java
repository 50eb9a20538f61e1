package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Argument conversions with the failure the Python server would have had for a value of the wrong type. */
final class Args {

    private Args() {
    }

    static int integer(JsonNode v, int ifNull) {
        if (v == null || v.isNull()) {
            return ifNull;
        }
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? 1 : 0;
        }
        throw new PyCrash("TypeError");
    }

    /** Elements of a command_ids list: integers stay integers, anything else its Python str. */
    static List<Object> commandIds(JsonNode v) {
        List<Object> ids = new ArrayList<>();
        if (v != null && v.isArray()) {
            for (JsonNode n : v) {
                ids.add(n.isIntegralNumber() && n.canConvertToInt() ? (Object) n.intValue() : PyFormat.str(n));
            }
        } else if (v != null && v.isTextual()) {
            v.textValue().codePoints().forEach(cp -> ids.add(new String(Character.toChars(cp))));
        } else if (v != null && v.isObject()) {
            v.fieldNames().forEachRemaining(ids::add);
        } else {
            throw new PyCrash("TypeError");
        }
        return ids;
    }
}
