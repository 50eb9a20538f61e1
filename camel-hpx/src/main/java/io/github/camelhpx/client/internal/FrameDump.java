package io.github.camelhpx.client.internal;

import java.util.Arrays;

/**
 * The bounded picture of a message that failed: its length, and its first and last {@link #EDGE} bytes (all of
 * it when it is no longer than twice that) as hex and printable text, with secrets masked ({@link SecretMask}).
 * Bytes are given in pieces, as they are read or inflated; only the edges are kept.
 */
final class FrameDump {

    static final int EDGE = 256;
    // Kept beyond what is shown, so that a secret that reaches into the shown bytes is seen whole, and masked.
    private static final int MARGIN = 128;
    private static final int PER_LINE = 16;

    private final byte[] head = new byte[2 * EDGE + MARGIN];
    private final byte[] ring = new byte[EDGE + MARGIN];
    private long total;

    void write(byte[] bytes, int offset, int length) {
        int toHead = (int) Math.max(0, Math.min(length, head.length - total));
        if (toHead > 0) {
            System.arraycopy(bytes, offset, head, (int) total, toHead);
        }
        int from = Math.max(0, length - ring.length);
        for (int i = from; i < length; i++) {
            ring[(int) ((total + i) % ring.length)] = bytes[offset + i];
        }
        total += length;
    }

    long total() {
        return total;
    }

    /** The shown bytes as hex lines with their printable text, under a header per part. */
    String render() {
        StringBuilder out = new StringBuilder();
        if (total <= 2L * EDGE) {
            byte[] all = Arrays.copyOf(head, (int) total);
            SecretMask.mask(all);
            lines(out, "all " + total + " bytes", all, 0, all.length, 0);
            return out.toString();
        }
        byte[] first = head.clone();
        SecretMask.mask(first);
        lines(out, "first " + EDGE + " bytes", first, 0, EDGE, 0);
        int kept = (int) Math.min(total, ring.length);
        byte[] last = new byte[kept];
        for (int i = 0; i < kept; i++) {
            last[i] = ring[(int) ((total - kept + i) % ring.length)];
        }
        SecretMask.mask(last);
        lines(out, "last " + EDGE + " bytes", last, kept - EDGE, EDGE, total - EDGE);
        return out.toString();
    }

    private static void lines(StringBuilder out, String title, byte[] bytes, int from, int length, long position) {
        out.append("\n  ").append(title).append(':');
        for (int line = 0; line < length; line += PER_LINE) {
            int n = Math.min(PER_LINE, length - line);
            out.append(String.format("%n  %08x  ", position + line));
            for (int i = 0; i < PER_LINE; i++) {
                out.append(i < n ? String.format("%02x ", bytes[from + line + i] & 0xff) : "   ");
            }
            out.append(" |");
            for (int i = 0; i < n; i++) {
                int b = bytes[from + line + i] & 0xff;
                out.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
            }
            out.append('|');
        }
    }
}
