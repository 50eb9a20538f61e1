package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;

/**
 * A JSON parser that accepts and rejects exactly what Python 3.6's {@code json.loads} (C scanner) does and
 * reports the same error texts and positions, because the server's 900 replies quote them verbatim.
 */
final class PyJsonParser {

    /** Python's {@code json.JSONDecodeError}; {@link #getMessage()} is its {@code str()}. */
    static final class DecodeError extends Exception {
        DecodeError(String msg, String doc, int charPos) {
            super(format(msg, doc, charPos), null, false, false);
        }

        private static String format(String msg, String doc, int charPos) {
            // Python positions count code points, and line/column derive from '\n' only
            int pos = doc.codePointCount(0, Math.min(charPos, doc.length()));
            int line = 1;
            int lastNl = -1;
            for (int i = 0; i < Math.min(charPos, doc.length()); i++) {
                if (doc.charAt(i) == '\n') {
                    line++;
                    lastNl = i;
                }
            }
            int col = lastNl < 0 ? pos + 1 : pos - doc.codePointCount(0, lastNl);
            return String.format("%s: line %d column %d (char %d)", msg, line, col, pos);
        }
    }

    /** Raised where Python would have raised RecursionError. */
    static final class TooDeep extends Exception {
        TooDeep() {
            super("RecursionError", null, false, false);
        }
    }

    private static final int MAX_DEPTH = 990;
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);

    private final String s;
    private final int len;
    private int depth;

    private PyJsonParser(String s) {
        this.s = s;
        this.len = s.length();
    }

    static JsonNode parse(String doc) throws DecodeError, TooDeep {
        return new PyJsonParser(doc).parseDocument();
    }

    private JsonNode parseDocument() throws DecodeError, TooDeep {
        if (len > 0 && s.charAt(0) == '\ufeff') {
            throw new DecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", s, 0);
        }
        int idx = skipWs(0);
        int[] end = new int[1];
        JsonNode value = scanOnce(idx, end);
        if (value == null) {
            throw new DecodeError("Expecting value", s, end[0]);
        }
        int after = skipWs(end[0]);
        if (after != len) {
            throw new DecodeError("Extra data", s, after);
        }
        return value;
    }

    private int skipWs(int idx) {
        while (idx < len) {
            char c = s.charAt(idx);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            idx++;
        }
        return idx;
    }

    /** Returns null for Python's StopIteration, with the failing index in end[0]. */
    private JsonNode scanOnce(int idx, int[] end) throws DecodeError, TooDeep {
        if (idx >= len) {
            end[0] = idx;
            return null;
        }
        char c = s.charAt(idx);
        switch (c) {
            case '"':
                return NODES.textNode(scanString(idx + 1, end));
            case '{':
                return parseObject(idx + 1, end);
            case '[':
                return parseArray(idx + 1, end);
            case 'n':
                if (s.startsWith("null", idx)) {
                    end[0] = idx + 4;
                    return NODES.nullNode();
                }
                break;
            case 't':
                if (s.startsWith("true", idx)) {
                    end[0] = idx + 4;
                    return NODES.booleanNode(true);
                }
                break;
            case 'f':
                if (s.startsWith("false", idx)) {
                    end[0] = idx + 5;
                    return NODES.booleanNode(false);
                }
                break;
            case 'N':
                if (s.startsWith("NaN", idx)) {
                    end[0] = idx + 3;
                    return NODES.numberNode(Double.NaN);
                }
                break;
            case 'I':
                if (s.startsWith("Infinity", idx)) {
                    end[0] = idx + 8;
                    return NODES.numberNode(Double.POSITIVE_INFINITY);
                }
                break;
            case '-':
                if (s.startsWith("-Infinity", idx)) {
                    end[0] = idx + 9;
                    return NODES.numberNode(Double.NEGATIVE_INFINITY);
                }
                break;
            default:
                break;
        }
        return matchNumber(idx, end);
    }

    private JsonNode matchNumber(int start, int[] end) {
        int idx = start;
        int endIdx = len - 1;
        if (s.charAt(idx) == '-') {
            idx++;
            if (idx > endIdx) {
                end[0] = start;
                return null;
            }
        }
        char c = s.charAt(idx);
        if (c >= '1' && c <= '9') {
            idx++;
            while (idx <= endIdx && isDigit(s.charAt(idx))) {
                idx++;
            }
        } else if (c == '0') {
            idx++;
        } else {
            end[0] = start;
            return null;
        }
        boolean isFloat = false;
        if (idx < endIdx && s.charAt(idx) == '.' && isDigit(s.charAt(idx + 1))) {
            isFloat = true;
            idx += 2;
            while (idx <= endIdx && isDigit(s.charAt(idx))) {
                idx++;
            }
        }
        if (idx < endIdx && (s.charAt(idx) == 'e' || s.charAt(idx) == 'E')) {
            int eStart = idx;
            idx++;
            if (idx < endIdx && (s.charAt(idx) == '-' || s.charAt(idx) == '+')) {
                idx++;
            }
            while (idx <= endIdx && isDigit(s.charAt(idx))) {
                idx++;
            }
            if (isDigit(s.charAt(idx - 1))) {
                isFloat = true;
            } else {
                idx = eStart;
            }
        }
        end[0] = idx;
        String text = s.substring(start, idx);
        if (isFloat) {
            return NODES.numberNode(Double.parseDouble(text));
        }
        if (text.length() < 19) {
            long v = Long.parseLong(text);
            return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
        }
        return NODES.numberNode(new BigInteger(text));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String scanString(int endPos, int[] end) throws DecodeError {
        int begin = endPos - 1;
        int idx = endPos;
        StringBuilder sb = null;
        int chunkStart = idx;
        while (true) {
            int next = idx;
            char c = 0;
            for (; next < len; next++) {
                c = s.charAt(next);
                if (c == '"' || c == '\\') {
                    break;
                } else if (c <= 0x1f) {
                    throw new DecodeError("Invalid control character at", s, next);
                }
            }
            if (next >= len) {
                throw new DecodeError("Unterminated string starting at", s, begin);
            }
            if (c == '"') {
                end[0] = next + 1;
                if (sb == null) {
                    return s.substring(chunkStart, next);
                }
                return sb.append(s, chunkStart, next).toString();
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(s, chunkStart, next);
            next++;
            if (next == len) {
                throw new DecodeError("Unterminated string starting at", s, begin);
            }
            c = s.charAt(next);
            if (c != 'u') {
                idx = next + 1;
                switch (c) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    default: throw new DecodeError("Invalid \\escape", s, idx - 2);
                }
            } else {
                next++;
                idx = next + 4;
                if (idx >= len) {
                    throw new DecodeError("Invalid \\uXXXX escape", s, next - 1);
                }
                int cp = hex4(next, idx);
                if (Character.isHighSurrogate((char) cp) && idx + 6 < len
                        && s.charAt(idx) == '\\' && s.charAt(idx + 1) == 'u') {
                    int low = hex4(idx + 2, idx + 6);
                    if (Character.isLowSurrogate((char) low)) {
                        sb.append((char) cp).append((char) low);
                        idx += 6;
                        chunkStart = idx;
                        continue;
                    }
                }
                sb.append((char) cp);
            }
            chunkStart = idx;
        }
    }

    private int hex4(int from, int to) throws DecodeError {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0 || s.charAt(i) > 'f') {
                throw new DecodeError("Invalid \\uXXXX escape", s, to - 5);
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private ObjectNode parseObject(int idx, int[] end) throws DecodeError, TooDeep {
        enter();
        ObjectNode obj = NODES.objectNode();
        int endIdx = len - 1;
        idx = skipWs(idx);
        if (idx > endIdx || s.charAt(idx) != '}') {
            while (true) {
                if (idx > endIdx || s.charAt(idx) != '"') {
                    throw new DecodeError("Expecting property name enclosed in double quotes", s, idx);
                }
                String key = scanString(idx + 1, end);
                idx = skipWs(end[0]);
                if (idx > endIdx || s.charAt(idx) != ':') {
                    throw new DecodeError("Expecting ':' delimiter", s, idx);
                }
                idx = skipWs(idx + 1);
                JsonNode value = scanOnce(idx, end);
                if (value == null) {
                    throw new DecodeError("Expecting value", s, end[0]);
                }
                obj.set(key, value);
                idx = skipWs(end[0]);
                if (idx <= endIdx && s.charAt(idx) == '}') {
                    break;
                }
                if (idx > endIdx || s.charAt(idx) != ',') {
                    throw new DecodeError("Expecting ',' delimiter", s, idx);
                }
                idx = skipWs(idx + 1);
            }
        }
        end[0] = idx + 1;
        depth--;
        return obj;
    }

    private ArrayNode parseArray(int idx, int[] end) throws DecodeError, TooDeep {
        enter();
        ArrayNode arr = NODES.arrayNode();
        int endIdx = len - 1;
        idx = skipWs(idx);
        if (idx > endIdx || s.charAt(idx) != ']') {
            while (true) {
                JsonNode value = scanOnce(idx, end);
                if (value == null) {
                    throw new DecodeError("Expecting value", s, end[0]);
                }
                arr.add(value);
                idx = skipWs(end[0]);
                if (idx <= endIdx && s.charAt(idx) == ']') {
                    break;
                }
                if (idx > endIdx || s.charAt(idx) != ',') {
                    throw new DecodeError("Expecting ',' delimiter", s, idx);
                }
                idx = skipWs(idx + 1);
            }
        }
        end[0] = idx + 1;
        depth--;
        return arr;
    }

    private void enter() throws TooDeep {
        if (++depth > MAX_DEPTH) {
            throw new TooDeep();
        }
    }
}
