package io.github.camelhpx.client;

import java.time.Instant;

/**
 * What an {@link HpxClient} is doing, as of one moment: a snapshot that holds no credential and no session id.
 * The numbers are read one after another without a lock, so under load they may be a call or a connection apart.
 *
 * @param server             the server's {@code host:port}
 * @param protocol           the generation it speaks, {@link HpxProtocol#AUTO} before the first connection
 * @param user               the user logged in as, or {@code null} for a guest
 * @param sessionEstablished whether the client holds a session id (the id itself is a credential, so only this)
 * @param connectionsOpen    connections open in the pool (a broadcast watch's own connection is not counted)
 * @param connectionsBusy    of those, the ones carrying a call (in G2 also one still owed the replies of calls that
 *                           timed out: the server answers those first, so new calls go elsewhere when they can)
 * @param connectionsIdle    of those, the ones carrying none
 * @param callsInFlight      calls started and not yet ended
 * @param callsCompleted     calls that ended with their result
 * @param callsFailed        calls that ended with an exception, a function's error on the server included
 * @param logins             handshakes that made a session: the first, and each renewal after the server lost one
 * @param lastError          the last failed call's exception type and message, or {@code null}
 * @param lastErrorAt        when that call failed, or {@code null}
 */
public record HpxClientStats(String server, HpxProtocol protocol, String user, boolean sessionEstablished,
        int connectionsOpen, int connectionsBusy, int connectionsIdle, long callsInFlight, long callsCompleted,
        long callsFailed, long logins, String lastError, Instant lastErrorAt) {
}
