package io.github.camelhpx.testkit;

/** Ends the handling of a message without any reply, as when the server shuts itself down mid-call. */
final class NoReply extends RuntimeException {

    private static final long serialVersionUID = 1L;

    NoReply() {
        super("no reply", null, false, false);
    }
}
