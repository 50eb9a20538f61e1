package io.github.camelhpx.client;

/**
 * A message broke the protocol: not gzip, truncated, bad UTF-8 or JSON, a frame or its decompressed content
 * over {@code maxMessageSize}, or a reply that is no HPX message. The connection it came on is closed. HPX
 * client-side code 500.
 */
public class HpxProtocolException extends HpxException {

    public static final int CODE = 500;

    public HpxProtocolException(String message) {
        this(message, null);
    }

    public HpxProtocolException(String message, Throwable cause) {
        super(CODE, message, cause);
    }
}
