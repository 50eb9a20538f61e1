package io.github.camelhpx.testkit;

/**
 * Behaviours of the real HPX 0.3.0 server that a robust client must survive (hpx-protocol.md §10). All are
 * on by default so that client tests meet the server as it really is; switch one off to test the client
 * against the well-behaved variant.
 */
public enum Quirk {

    /** At most one message handled per socket read: a second frame in the same read waits for more bytes. */
    NO_PIPELINING,

    /** Validation errors of a batch that failed at server level are appended to the next successful reply. */
    STALE_VALIDATION_ERRORS,

    /** A session is forgotten once its last connection closes; its id then starts a handshake. */
    SESSION_DIES_WITH_LAST_CONNECTION,

    /** A handshake or requestauth carrying an expired session id gets 408 again. */
    EXPIRED_ID_POISONS_HANDSHAKE,

    /** With the default user disabled, user {@code default} with a null password still logs in. */
    DEFAULT_USER_NULL_PASSWORD
}
