package io.github.camelhpx.client;

import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.HpxFaultProxy;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.Toxic;

import org.msgpack.jackson.dataformat.MessagePackFactory;

/** Client builders pointed at an embedded server, with timeouts short enough for tests. */
final class TestClients {

    private TestClients() {
    }

    /** Reads a raw G1 reply (JSON). */
    static final ObjectMapper JSON = new ObjectMapper();
    /** Reads a raw G2 reply (MessagePack). */
    static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

    /** Base64 text of {@code bytes} random bytes, the same each time: it does not compress, and holds no {@code <EOF>}. */
    static String randomText(int bytes) {
        byte[] random = new byte[bytes];
        new Random(7).nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    /**
     * A proxy to {@code server} that lets the handshake through and then, after 4 KiB of the next request, takes
     * nothing more, as a server that stopped reading, until {@link HpxFaultProxy#releaseStalls()}.
     */
    static HpxFaultProxy stallingProxy(HpxTestServer server) {
        return HpxFaultProxy.builder().upstream(server.host(), server.port()).build().start()
                .connection(1, Toxic.stallUntilReleased(Toxic.Direction.UPSTREAM, 4096));
    }

    /** A started G2 server configured by {@code config}: what the G2 counterparts of G1-only tests run against. */
    static HpxTestServer startG2(Consumer<HpxTestServer.Builder> config) {
        HpxTestServer.Builder b = HpxTestServer.builder();
        config.accept(b);
        b.protocol(Protocol.G2);
        return b.build().start();
    }

    /** The mapper that reads the raw replies of {@code server}'s generation. */
    static ObjectMapper rawMapper(HpxTestServer server) {
        return server.protocol() == Protocol.G2 ? MSGPACK : JSON;
    }

    /** The items of a {@code get_items} / {@code search_items} result: G1 sends a list, G2 {@code {count, items}}. */
    static JsonNode items(HpxTestServer server, JsonNode result) {
        return server.protocol() == Protocol.G2 ? result.get("items") : result;
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
     * Runs {@code call} on a one-connection client with {@code broadcast} arriving on its connection while it waits:
     * the server writes the broadcast right before the reply, in one go. (A broadcast sent from the test while the
     * server held the reply back for a fixed time came after the reply when the machine was slow.)
     */
    static <T> T callWhileBroadcasting(HpxTestServer server, HpxClient client, Supplier<CompletableFuture<T>> call,
            Object broadcast) throws Exception {
        client.authenticate();
        server.faults().nextReply(Fault.unsolicitedBefore(broadcast));
        return call.get().get();
    }
}
