package io.github.camelhpx.client;

/**
 * The server rejected the whole message with a root-level error (for example 403 for a malformed call, 100 for
 * a function that crashed on the server).
 */
public class HpxServerException extends HpxException {

    private final String serverMessage;

    public HpxServerException(int code, String serverMessage) {
        super(code, "HPX server error " + code + ": " + serverMessage);
        this.serverMessage = serverMessage;
    }

    /** The server's own {@code msg} text. */
    public String getServerMessage() {
        return serverMessage;
    }
}
