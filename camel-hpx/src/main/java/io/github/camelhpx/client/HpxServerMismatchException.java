package io.github.camelhpx.client;

/**
 * What answered at the server's address is not the HPX server the client is set for: no HPX server at all (its first
 * byte is neither gzip nor a MessagePack map, its welcome no HPX welcome), or one of another protocol generation than
 * the {@code protocol} set. No call can work there until that changes.
 */
public class HpxServerMismatchException extends HpxProtocolException {

    public HpxServerMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
