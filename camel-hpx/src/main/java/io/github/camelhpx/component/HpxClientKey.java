package io.github.camelhpx.component;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * What makes two endpoints share a session: every setting the client is built from. TLS parameters and object
 * mappers are compared by identity. {@link #toString()} leaves the password out.
 */
record HpxClientKey(String host, int port, boolean failback, long failbackInterval, String clientName, String user, String password, String sessionId,
        SSLContextParameters sslContextParameters, long connectTimeout, long requestTimeout, int poolSize,
        String protocol, int maxInFlight, boolean retryOnConnectionFailure, long idleTimeout, long maxMessageSize,
        int compressionLevel, boolean dumpFailedFrames, ObjectMapper objectMapper) {

    static HpxClientKey of(HpxConfiguration c) {
        return new HpxClientKey(c.getHost(), c.getPort(), c.isFailback(), c.getFailbackInterval(), c.getClientName(), c.getUser(), c.getPassword(),
                c.getSessionId(), c.getSslContextParameters(), c.getConnectTimeout(), c.getRequestTimeout(),
                c.getPoolSize(), c.getProtocol(), c.getMaxInFlight(), c.isRetryOnConnectionFailure(), c.getIdleTimeout(),
                c.getMaxMessageSize(), c.getCompressionLevel(), c.isDumpFailedFrames(), c.getObjectMapper());
    }

    @Override
    public String toString() {
        return "hpx client " + (user == null ? "guest" : user) + "@" + HpxEndpoint.serviceUrl(host, port)
                + (sslContextParameters == null ? "" : " (TLS)");
    }
}
