package io.github.camelhpx.client;

/** The session expired and a new handshake failed or was not allowed (SessionExpiredError). HPX code 408. */
public class HpxSessionExpiredException extends HpxAuthException {

    public static final int CODE = 408;

    public HpxSessionExpiredException(String serverMessage) {
        super(CODE, serverMessage);
    }
}
