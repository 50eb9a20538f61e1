package io.github.camelhpx.client;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.github.camelhpx.testkit.Fault;
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

    /**
     * Starts {@code call} on a one-connection client with the reply held back by the server, broadcasts
     * {@code broadcast} (without closing) while the call waits for it, and returns the call's result.
     */
    static <T> T callWhileBroadcasting(HpxTestServer server, HpxClient client, Supplier<CompletableFuture<T>> call,
            Object broadcast) throws Exception {
        client.authenticate();
        int before = server.receivedMessages().size();
        server.faults().nextReply(Fault.delay(Duration.ofMillis(300)));
        CompletableFuture<T> pending = call.get();
        await().until(() -> server.receivedMessages().size() == before + 1);
        server.broadcast(broadcast);
        return pending.get();
    }
}
