package io.github.camelhpx.client;

/** Authentication is required but none was given (AuthRequiredError). HPX code 407. */
public class HpxAuthRequiredException extends HpxAuthException {

    public static final int CODE = 407;

    public HpxAuthRequiredException(String serverMessage) {
        super(CODE, serverMessage);
    }
}
