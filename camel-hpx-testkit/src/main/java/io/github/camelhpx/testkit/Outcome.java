package io.github.camelhpx.testkit;

/** What the server sends back for one message: a reply envelope, the welcome again, or nothing. */
final class Outcome {

    enum Kind { REPLY, WELCOME, NOTHING }

    static final Outcome WELCOME = new Outcome(Kind.WELCOME, "", null, null);
    static final Outcome NOTHING = new Outcome(Kind.NOTHING, "", null, null);

    final Kind kind;
    final String session;
    final Object data;
    final HpxApiError error;

    private Outcome(Kind kind, String session, Object data, HpxApiError error) {
        this.kind = kind;
        this.session = session;
        this.data = data;
        this.error = error;
    }

    static Outcome reply(String session, Object data) {
        return new Outcome(Kind.REPLY, session, data, null);
    }

    static Outcome error(String session, HpxApiError error) {
        return new Outcome(Kind.REPLY, session, null, error);
    }
}
