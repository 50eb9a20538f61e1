package io.github.camelhpx.client;

/** The server closed the connection (quit, restart, crash) before a whole reply arrived. HPX code 502. */
public class HpxServerDisconnectedException extends HpxConnectionException {

    public static final int CODE = 502;

    public HpxServerDisconnectedException(String message) {
        super(CODE, message, null);
    }
}
