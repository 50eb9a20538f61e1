package io.github.camelhpx.client;

/**
 * The server rejected the whole message with a root-level error (for example 403 for a malformed call, 100 for
 * a function that crashed on the server).
 */
public class HpxServerException extends HpxException {

    private final String serverMessage;

    public HpxServerException(int code, String serverMessage) {
        super(code, "HPX server error " + code + ": " + maskSessionIds(serverMessage));
        this.serverMessage = maskSessionIds(serverMessage);
    }

    /** The server's own {@code msg} text, with any session id in it masked. */
    public String getServerMessage() {
        return serverMessage;
    }
}
