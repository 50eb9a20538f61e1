package io.github.camelhpx.client;

/** The server closed the connection (quit, restart, crash) before a whole reply arrived. HPX code 502. */
public class HpxServerDisconnectedException extends HpxConnectionException {

    public static final int CODE = 502;

    private final boolean midMessage;

    public HpxServerDisconnectedException(String message) {
        this(message, false);
    }

    public HpxServerDisconnectedException(String message, boolean midMessage) {
        this(message, midMessage, null);
    }

    public HpxServerDisconnectedException(String message, boolean midMessage, Throwable cause) {
        super(CODE, message, cause);
        this.midMessage = midMessage;
    }

    /** Whether part of a message had arrived when the connection closed (the server may have run the request). */
    public boolean isMidMessage() {
        return midMessage;
    }
}
