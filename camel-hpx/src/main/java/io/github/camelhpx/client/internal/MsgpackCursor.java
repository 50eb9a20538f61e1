package io.github.camelhpx.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Walks MessagePack values straight in their bytes, for the few members the client looks at in a frame it does
 * not parse (a reply's {@code __id__}, the errors of raw results): a parser would copy the frame and build a token
 * for every value. Once the bytes end early or hold what a method does not expect, the cursor is {@link #broken()}
 * and every method answers "nothing here".
 */
final class MsgpackCursor {

    private final byte[] b;
    private final int end;
    private int p;

    MsgpackCursor(byte[] bytes, int offset, int length) {
        this.b = bytes;
        this.p = offset;
        this.end = offset + length;
    }

    boolean broken() {
        return p < 0;
    }

    /** A cursor of its own at this one's place, to look into the value here while this one moves past it. */
    MsgpackCursor copy() {
        MsgpackCursor copy = new MsgpackCursor(b, 0, end);
        copy.p = p;
        return copy;
    }

    /** Moves to the value of member {@code key} of the map here; {@code false} when no map is here or it has none. */
    boolean seekMember(byte[] key) {
        long members = mapSize();
        for (long i = 0; i < members && !broken(); i++) {
            if (skipString(key)) {
                return true;
            }
            skip();
        }
        return false;
    }

    /** The member count of the map here, moving past its header; -1, and broken, when no map is here. */
    long mapSize() {
        return containerSize(0x80, 0xde);
    }

    /** The element count of the array here, moving past its header; -1, and broken, when no array is here. */
    long arraySize() {
        return containerSize(0x90, 0xdc);
    }

    private long containerSize(int fix, int sized16) {
        if (broken() || p >= end) {
            stop();
            return -1;
        }
        int head = b[p] & 0xff;
        if ((head & 0xf0) == fix) {
            p++;
            return head & 0x0f;
        }
        int n = head == sized16 ? 2 : head == sized16 + 1 ? 4 : -1;
        if (n < 0 || p + 1 + n > end) {
            stop();
            return -1;
        }
        long size = uint(p + 1, n);
        p += 1 + n;
        return size;
    }

    /** Moves past the value here, a key say, and tells whether it was the string {@code name} (UTF-8). */
    boolean skipString(byte[] name) {
        int from = p;
        if (!skip()) {
            return false;
        }
        int t = b[from] & 0xff;
        int header = (t & 0xe0) == 0xa0 ? 1 : t == 0xd9 ? 2 : t == 0xda ? 3 : t == 0xdb ? 5 : -1;
        return header > 0 && p - from - header == name.length && Arrays.equals(b, from + header, p, name, 0, name.length);
    }

    /**
     * The integer or string here, as a {@code LongNode} or {@code TextNode}, moving past it; {@code null} for any
     * other value (a uint64 beyond a long included), which is skipped.
     */
    JsonNode scalar() {
        int from = p;
        if (!skip()) {
            return null;
        }
        int t = b[from] & 0xff;
        if (t <= 0x7f) {
            return LongNode.valueOf(t);
        }
        if (t >= 0xe0) {
            return LongNode.valueOf((byte) t);
        }
        int n = switch (t) {
            case 0xcc, 0xd0, 0xd9 -> 1;
            case 0xcd, 0xd1, 0xda -> 2;
            case 0xce, 0xd2, 0xdb -> 4;
            case 0xcf, 0xd3 -> 8;
            default -> (t & 0xe0) == 0xa0 ? 0 : -1;
        };
        if (n < 0) {
            return null;
        }
        if ((t & 0xe0) == 0xa0 || t >= 0xd9) {
            int start = from + 1 + n;
            return TextNode.valueOf(new String(b, start, p - start, StandardCharsets.UTF_8));
        }
        long v = uint(from + 1, n);
        if (t >= 0xd0) {
            // int8..int64: sign-extend
            return LongNode.valueOf(n == 8 ? v : (v << (64 - 8 * n)) >> (64 - 8 * n));
        }
        // a uint64 above Long.MAX_VALUE is no value the client looks for
        return n == 8 && v < 0 ? null : LongNode.valueOf(v);
    }

    /** Moves past the value here, containers included; {@code false}, and broken, when it reaches past the end. */
    boolean skip() {
        if (broken()) {
            return false;
        }
        long values = 1;
        while (values > 0) {
            if (p >= end) {
                return stop();
            }
            int t = b[p++] & 0xff;
            values--;
            long extra;
            if (t <= 0x7f || t >= 0xe0) {
                continue;
            } else if (t <= 0x8f) {
                values += 2L * (t & 0x0f);
                continue;
            } else if (t <= 0x9f) {
                values += t & 0x0f;
                continue;
            } else if (t <= 0xbf) {
                extra = t & 0x1f;
            } else {
                int size = switch (t) {
                    case 0xc4, 0xc7, 0xcc, 0xd0, 0xd9 -> 1;
                    case 0xc5, 0xc8, 0xcd, 0xd1, 0xda, 0xdc, 0xde -> 2;
                    case 0xc6, 0xc9, 0xca, 0xce, 0xd2, 0xdb, 0xdd, 0xdf -> 4;
                    case 0xcb, 0xcf, 0xd3 -> 8;
                    case 0xc0, 0xc2, 0xc3 -> 0;
                    case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8 -> 0;
                    default -> -1;
                };
                if (size < 0 || p + size > end) {
                    return stop();
                }
                switch (t) {
                    case 0xc4, 0xc5, 0xc6, 0xd9, 0xda, 0xdb -> extra = size + uint(p, size);
                    case 0xc7, 0xc8, 0xc9 -> extra = size + 1 + uint(p, size);
                    case 0xdc, 0xdd -> {
                        values += uint(p, size);
                        extra = size;
                    }
                    case 0xde, 0xdf -> {
                        values += 2 * uint(p, size);
                        extra = size;
                    }
                    case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8 -> extra = 1 + (1 << (t - 0xd4));
                    default -> extra = size;
                }
            }
            if (extra > end - p) {
                return stop();
            }
            p += (int) extra;
        }
        return true;
    }

    private boolean stop() {
        p = -1;
        return false;
    }

    private long uint(int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}
