package io.github.camelhpx.client.internal;

import java.time.Duration;
import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.ServerAddress;

/**
 * What a connection needs to know, fixed when the client is built; {@code host} and {@code port} are those of the
 * server its transport talks to. {@code msgpackMapper} is the user's mapper
 * with a MessagePack factory, made once: G2 messages are read and written with the user's settings.
 * {@code dumpFailedFrames}: whether {@link FailedFrames} logs the messages that fail to decode. {@code failover}:
 * whether the client has other servers to move to, so that one server's connect must leave a call time for them.
 * {@code idleWatchDelay}: how long a G2 connection's reader thread leaves an idle socket to blocking callers, which
 * read their own replies, before it reads it itself to see a broadcast or a close.
 */
public record ClientSettings(String host, int port, String clientName, HpxProtocol protocol, Duration connectTimeout,
        Duration requestTimeout, SSLContext sslContext, long maxMessageSize, int compressionLevel, int maxInFlight,
        boolean retryOnConnectionFailure, ObjectMapper mapper, ObjectMapper msgpackMapper, boolean dumpFailedFrames,
        boolean failover, Duration idleWatchDelay) {

    /** The server these settings talk to. */
    public ServerAddress server() {
        return new ServerAddress(host, port);
    }

    /** The same settings for a connect after which no other server is tried: the connect may take the whole call. */
    public ClientSettings alone() {
        return with(host, port, false);
    }

    /** The same settings for a transport to {@code server}. */
    public ClientSettings at(ServerAddress server) {
        return with(server.host(), server.port(), failover);
    }

    private ClientSettings with(String toHost, int toPort, boolean withFailover) {
        return new ClientSettings(toHost, toPort, clientName, protocol, connectTimeout, requestTimeout, sslContext,
                maxMessageSize, compressionLevel, maxInFlight, retryOnConnectionFailure, mapper, msgpackMapper,
                dumpFailedFrames, withFailover, idleWatchDelay);
    }
}
