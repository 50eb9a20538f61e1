package io.github.camelhpx.client;

import java.time.Duration;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.ObjectMapper;

/** What a connection needs to know, fixed when the client is built. */
record ClientSettings(String host, int port, String clientName, Duration connectTimeout, Duration requestTimeout,
        SSLContext sslContext, long maxMessageSize, int compressionLevel, ObjectMapper mapper) {
}
