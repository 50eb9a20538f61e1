package io.github.camelhpx.client;

import java.time.Duration;

import io.github.camelhpx.testkit.HpxTestServer;

/** Client builders pointed at an embedded server, with timeouts short enough for tests. */
final class TestClients {

    private TestClients() {
    }

    static HpxClient.Builder to(HpxTestServer server) {
        return HpxClient.builder()
                .host(server.host())
                .port(server.port())
                .clientName("client-test")
                .connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(5));
    }
}
