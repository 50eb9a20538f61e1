package io.github.camelhpx.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.camelhpx.client.HpxProtocolException;

/**
 * Blanks what may be a secret in text or bytes shown to people (logs, error messages): runs of 32 or more hex
 * digits (HPX session ids are 32), and the values of {@code session} and of any key that names a password,
 * as JSON text ({@code "password": "..."}) or as MessagePack (the string after such a key). Bytes are compared as
 * ISO-8859-1, so masking keeps every length and offset of what it masks.
 */
final class SecretMask {

    static final char MASK = '*';

    private static final Pattern HEX_RUN = Pattern.compile("[0-9a-fA-F]{32,}");
    // Up to the value's opening quote: the value is scanned by hand (maskString), since a regex group repeated per
    // character recurses per character, and a long value overflowed the stack.
    private static final Pattern JSON_SECRET_KEY = Pattern.compile(
            "\"(?:session|[^\"]{0,64}password[^\"]{0,64})\"\\s*:\\s*\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern MSGPACK_KEY = Pattern.compile("(?:session|password)", Pattern.CASE_INSENSITIVE);

    private SecretMask() {
    }

    static String mask(String text) {
        char[] chars = text.toCharArray();
        maskMatches(HEX_RUN.matcher(text), chars);
        Matcher key = JSON_SECRET_KEY.matcher(text);
        int from = 0;
        // The next key is looked for after the value: one seen inside it (after an escaped quote) is no key.
        while (from < chars.length && key.find(from)) {
            from = maskString(chars, key.end());
        }
        return new String(chars);
    }

    /**
     * A JSON string's characters from {@code at} to its closing quote (or the text's end), escapes included; returns
     * where it stopped.
     */
    private static int maskString(char[] chars, int at) {
        int i = at;
        while (i < chars.length && chars[i] != '"') {
            int length = chars[i] == '\\' && i + 1 < chars.length ? 2 : 1;
            Arrays.fill(chars, i, i + length, MASK);
            i += length;
        }
        return i;
    }

    /**
     * A protocol error whose message ends with {@code quoted}, masked: a parser's or a binder's text, which quotes
     * the value it failed on (and a reply's function name, which the server chose, may come before it). When masking
     * changed it, or would change a message down the cause's chain, {@code cause} is left out: those quote the value
     * too, and a logged stack trace prints them all.
     */
    static HpxProtocolException protocolError(String message, String quoted, Throwable cause) {
        String text = message + quoted;
        String masked = mask(text);
        return new HpxProtocolException(masked, masked.equals(text) && !quotesSecret(cause) ? cause : null);
    }

    private static boolean quotesSecret(Throwable cause) {
        // Bounded: a chain can loop (A caused by B caused by A); one too long to check is taken to quote it.
        Throwable current = cause;
        for (int depth = 0; current != null && depth < 32; depth++, current = current.getCause()) {
            String text = current.getMessage();
            if (text != null && !mask(text).equals(text)) {
                return true;
            }
        }
        return current != null;
    }

    /** Masks {@code bytes} in place. */
    static void mask(byte[] bytes) {
        String latin = new String(bytes, StandardCharsets.ISO_8859_1);
        char[] chars = mask(latin).toCharArray();
        Matcher key = MSGPACK_KEY.matcher(latin);
        while (key.find()) {
            maskMsgpackString(bytes, chars, key.end());
        }
        for (int i = 0; i < bytes.length; i++) {
            if (chars[i] == MASK && bytes[i] != MASK) {
                bytes[i] = MASK;
            }
        }
    }

    private static void maskMatches(Matcher matcher, char[] chars) {
        while (matcher.find()) {
            Arrays.fill(chars, matcher.start(), matcher.end(), MASK);
        }
    }

    /** A MessagePack string whose header starts at {@code at}: its bytes are masked, as far as they are there. */
    private static void maskMsgpackString(byte[] bytes, char[] chars, int at) {
        if (at >= bytes.length) {
            return;
        }
        int header = bytes[at] & 0xff;
        int lengthBytes;
        long length;
        if (header >= 0xa0 && header <= 0xbf) {
            lengthBytes = 0;
            length = header & 0x1f;
        } else if (header >= 0xd9 && header <= 0xdb) {
            lengthBytes = 1 << (header - 0xd9);
            length = 0;
            for (int i = 1; i <= lengthBytes && at + i < bytes.length; i++) {
                length = (length << 8) | (bytes[at + i] & 0xff);
            }
        } else {
            return;
        }
        int start = at + 1 + lengthBytes;
        int end = (int) Math.min(bytes.length, start + length);
        if (start < end) {
            Arrays.fill(chars, start, end, MASK);
        }
    }
}
