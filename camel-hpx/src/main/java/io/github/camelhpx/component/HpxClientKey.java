package io.github.camelhpx.component;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.ServerAddress;

import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * What makes two endpoints share a session: every setting the client is built from, as the client reads it (so
 * {@code host=hpx} with port 7007 and {@code host=hpx:7007}, or {@code protocol=G2} and {@code g2}, share one). TLS
 * parameters and object mappers are compared by identity. {@link #toString()} leaves the password out.
 */
record HpxClientKey(List<ServerAddress> servers, boolean failback, long failbackInterval, String clientName,
        String user, String password, String sessionId, SSLContextParameters sslContextParameters, long connectTimeout,
        long requestTimeout, int poolSize, HpxProtocol protocol, int maxInFlight, boolean retryOnConnectionFailure,
        long idleTimeout, long maxMessageSize, int compressionLevel, boolean dumpFailedFrames, ObjectMapper objectMapper) {

    static HpxClientKey of(HpxConfiguration c) {
        return new HpxClientKey(c.servers(), c.isFailback(), c.getFailbackInterval(), c.getClientName(), c.getUser(),
                c.getPassword(), c.getSessionId(), c.getSslContextParameters(), c.getConnectTimeout(),
                c.getRequestTimeout(), c.getPoolSize(), HpxClientFactory.protocol(c.getProtocol()), c.getMaxInFlight(),
                c.isRetryOnConnectionFailure(), c.getIdleTimeout(), c.getMaxMessageSize(), c.getCompressionLevel(),
                c.isDumpFailedFrames(), c.getObjectMapper());
    }

    @Override
    public String toString() {
        return "hpx client " + (user == null ? "guest" : user) + "@" + ServerAddress.join(servers)
                + (sslContextParameters == null ? "" : " (TLS)");
    }
}
