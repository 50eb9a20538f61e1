package io.github.camelhpx.client;

import java.util.regex.Pattern;

/**
 * The server rejected the whole message with a root-level error (for example 403 for a malformed call, 100 for
 * a function that crashed on the server).
 */
public class HpxServerException extends HpxException {

    // An HPX session id is 32 hex digits (a uuid4's hex); the server names it in some messages, e.g. 408's
    // "Session '<id>' has expired", and the id is a credential.
    private static final Pattern SESSION_ID = Pattern.compile("(?<![0-9A-Fa-f])[0-9a-f]{32}(?![0-9A-Fa-f])");

    private final String serverMessage;

    public HpxServerException(int code, String serverMessage) {
        super(code, "HPX server error " + code + ": " + masked(serverMessage));
        this.serverMessage = masked(serverMessage);
    }

    private static String masked(String serverMessage) {
        return serverMessage == null ? null : SESSION_ID.matcher(serverMessage).replaceAll("xxxxxx");
    }

    /** The server's own {@code msg} text, with any session id in it masked. */
    public String getServerMessage() {
        return serverMessage;
    }
}
