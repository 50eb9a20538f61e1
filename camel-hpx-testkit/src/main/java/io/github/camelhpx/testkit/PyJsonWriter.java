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
            out.writeAscii("null");
        } else if (n.isTextual()) {
            string(n.textValue());
        } else if (n.isObject()) {
            out.write('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) {
                    out.write(',');
                    out.write(' ');
                }
                first = false;
                string(e.getKey());
                out.write(':');
                out.write(' ');
                node(e.getValue());
            }
            out.write('}');
        } else if (n.isArray()) {
            out.write('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    out.write(',');
                    out.write(' ');
                }
                node(n.get(i));
            }
            out.write(']');
        } else if (n.isBoolean()) {
            out.writeAscii(n.booleanValue() ? "true" : "false");
        } else if (n.isIntegralNumber()) {
            out.writeAscii(n.isBigInteger() ? n.bigIntegerValue().toString() : Long.toString(n.longValue()));
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
        out.writeAscii(Long.toString(v));
    }

    void raw(String ascii) {
        out.writeAscii(ascii);
    }

    void string(String s) {
        out.ensure(s.length() + 2);
        out.write('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.write(c);
                continue;
            }
            switch (c) {
                case '"': out.write('\\'); out.write('"'); break;
                case '\\': out.write('\\'); out.write('\\'); break;
                case '\n': out.write('\\'); out.write('n'); break;
                case '\r': out.write('\\'); out.write('r'); break;
                case '\t': out.write('\\'); out.write('t'); break;
                case '\b': out.write('\\'); out.write('b'); break;
                case '\f': out.write('\\'); out.write('f'); break;
                default:
                    // one escape per UTF-16 unit gives Python's surrogate pairs for astral characters
                    out.write('\\');
                    out.write('u');
                    out.write(HEX[(c >> 12) & 0xf]);
                    out.write(HEX[(c >> 8) & 0xf]);
                    out.write(HEX[(c >> 4) & 0xf]);
                    out.write(HEX[c & 0xf]);
            }
        }
        out.write('"');
    }

    /** Helpers for {@link LazyJson} writers. */
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
