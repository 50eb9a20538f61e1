package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON exactly like Python's {@code json.dumps} with default options: {@code ", "} and {@code ": "}
 * separators, every non-ASCII character as a lowercase {@code \\uXXXX} escape, floats in Python's repr.
 */
final class PyJsonWriter {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ByteSink out;

    PyJsonWriter(ByteSink out) {
        this.out = out;
    }

    void value(Object value) {
        if (value instanceof LazyJson) {
            ((LazyJson) value).writeTo(this);
        } else {
            node((JsonNode) value);
        }
    }

    void node(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            nullValue();
        } else if (n.isTextual()) {
            string(n.textValue());
        } else if (n.isObject()) {
            beginObject();
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) {
                    separator();
                }
                first = false;
                key(e.getKey());
                node(e.getValue());
            }
            endObject();
        } else if (n.isArray()) {
            beginArray();
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    separator();
                }
                node(n.get(i));
            }
            endArray();
        } else if (n.isBoolean()) {
            bool(n.booleanValue());
        } else if (n.isBigInteger()) {
            out.writeAscii(n.bigIntegerValue().toString());
        } else if (n.isIntegralNumber()) {
            number(n.longValue());
        } else if (n.isNumber()) {
            number(n.doubleValue());
        } else if (n.isPojo()) {
            node(Json.MAPPER.valueToTree(((com.fasterxml.jackson.databind.node.POJONode) n).getPojo()));
        } else {
            string(n.asText());
        }
    }

    void number(double d) {
        if (Double.isNaN(d)) {
            out.writeAscii("NaN");
        } else if (Double.isInfinite(d)) {
            out.writeAscii(d > 0 ? "Infinity" : "-Infinity");
        } else {
            out.writeAscii(PyFormat.floatRepr(d));
        }
    }

    void number(long v) {
        out.writeDecimal(v);
    }

    void bool(boolean b) {
        out.writeAscii(b ? "true" : "false");
    }

    void nullValue() {
        out.writeAscii("null");
    }

    void raw(String ascii) {
        out.writeAscii(ascii);
    }

    void string(String s) {
        out.write('"');
        int n = s.length();
        // characters that need no escape are copied in runs: replies are mostly such text
        int run = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                out.writeAscii(s, run, i);
                escape(c);
                run = i + 1;
            }
        }
        out.writeAscii(s, run, n);
        out.write('"');
    }

    private void escape(char c) {
        out.write('\\');
        switch (c) {
            case '"': out.write('"'); break;
            case '\\': out.write('\\'); break;
            case '\n': out.write('n'); break;
            case '\r': out.write('r'); break;
            case '\t': out.write('t'); break;
            case '\b': out.write('b'); break;
            case '\f': out.write('f'); break;
            default:
                // one escape per UTF-16 unit gives Python's surrogate pairs for astral characters
                out.write('u');
                out.write(HEX[(c >> 12) & 0xf]);
                out.write(HEX[(c >> 8) & 0xf]);
                out.write(HEX[(c >> 4) & 0xf]);
                out.write(HEX[c & 0xf]);
        }
    }

    /** A member's name and the {@code ": "} after it. */
    void key(String name) {
        string(name);
        out.write(':');
        out.write(' ');
    }

    void beginObject() {
        out.write('{');
    }

    void endObject() {
        out.write('}');
    }

    void beginArray() {
        out.write('[');
    }

    void endArray() {
        out.write(']');
    }

    void separator() {
        out.write(',');
        out.write(' ');
    }
}
