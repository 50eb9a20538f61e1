package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every fault of the G1 mode in G2, plus the unsolicited frame without {@code __id__}. */
class G2FaultTest {

    private static final String GET_VERSION = "{\"fname\": \"get_version\"}";

    @RegisterExtension
    HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.protocol(Protocol.G2));

    private Faults faults() {
        return hpx.server().faults();
    }

    private static void sendGetVersion(G2RawClient c, Object id) {
        c.send(G2RawClient.message(id, "call", c.session(), RawClient.parse("[" + GET_VERSION + "]")));
    }

    private static boolean containsMarker(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).contains("<EOF>");
    }

    @Test
    void delayHoldsTheReplyBack() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.delay(Duration.ofMillis(400)));
            long start = System.nanoTime();
            assertThat(c.callOne(GET_VERSION).has("error")).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    @Test
    void cutMidFrameSendsHalfAMsgpackFrameAndCloses() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.cutMidFrame());
            sendGetVersion(c, 1);
            byte[] got = c.readUntilClosed();
            assertThat(got.length).isPositive();
            assertThat(got[0] & 0xf0).isEqualTo(0x80);
            assertThat(containsMarker(got)).isFalse();
        }
    }

    @Test
    void garbageIsNoMsgpackButFramedAndTheConnectionStaysUsable() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.garbage());
            sendGetVersion(c, 1);
            byte[] payload = c.readUntilMarker();
            assertThat(payload[0] & 0xff).isEqualTo(0xc1);
            assertThat(c.callOne(GET_VERSION).has("error")).isFalse();
        }
    }

    @Test
    void oversizedIsAValidReplyWithTheIdAndAtLeastThatManyBytes() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.oversized(300_000));
            sendGetVersion(c, "big");
            byte[] body = c.readFrameBody();
            assertThat(body.length).isGreaterThanOrEqualTo(300_000);
            assertThat(containsMarker(body)).isFalse();
            JsonNode reply = RawClient.parse(org.msgpack.core.MessagePack.newDefaultUnpacker(body).unpackValue().toJson());
            assertThat(reply.path("__id__").asText()).isEqualTo("big");
            assertThat(reply.path("data").asText().length()).isGreaterThanOrEqualTo(300_000);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void lyingLengthDeclaresMoreThanItSendsAfterTheId() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.lyingLength(1_000_000));
            sendGetVersion(c, 7);
            byte[] payload = c.readUntilMarker();
            // fixmap(2), fixstr "__id__", 7, fixstr "data", str32 of 1,000,000, then 16 bytes only
            assertThat(payload).startsWith(0x82, 0xa6, '_', '_', 'i', 'd', '_', '_', 0x07, 0xa4, 'd', 'a', 't', 'a',
                    0xdb, 0x00, 0x0f, 0x42, 0x40);
            assertThat(payload).hasSize(19 + 16);
        }
        assertThatThrownBy(() -> faults().nextReply(Fault.lyingLength(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noReplySwallowsOneReplyAndCloseClosesInstead() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.noReply());
            sendGetVersion(c, 1);
            assertThat(c.silentFor(300)).isTrue();
            assertThat(c.callOne(GET_VERSION).has("error")).isFalse();
            faults().nextReply(Fault.close());
            sendGetVersion(c, 2);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void closeAfterMessagesCountsTheHandshake() {
        faults().closeAfterMessages(2);
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            assertThat(c.callOne(GET_VERSION).has("error")).isFalse();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aWelcomeFaultAppliesToTheWelcome() {
        faults().nextWelcome(Fault.garbage());
        try (G2RawClient c = G2RawClient.connect(hpx.server())) {
            assertThat(c.readUntilMarker()[0] & 0xff).isEqualTo(0xc1);
        }
    }

    @Test
    void unsolicitedBeforeSendsAFrameWithoutIdRightBeforeTheReply() {
        try (G2RawClient c = G2RawClient.guest(hpx.server())) {
            faults().nextReply(Fault.unsolicitedBefore("serverquit"));
            sendGetVersion(c, 5);
            JsonNode unsolicited = c.read();
            assertThat(unsolicited.has("__id__")).isFalse();
            assertThat(unsolicited.path("data").asText()).isEqualTo("serverquit");
            assertThat(unsolicited.path("session").asText()).isEqualTo(c.session());
            assertThat(c.read().path("__id__").asInt()).isEqualTo(5);
        }
    }

    @Test
    void broadcastReachesEveryConnectionWithoutId() {
        try (G2RawClient a = G2RawClient.guest(hpx.server()); G2RawClient b = G2RawClient.welcomed(hpx.server())) {
            hpx.server().broadcast(7);
            JsonNode toA = a.read();
            assertThat(toA.has("__id__")).isFalse();
            assertThat(toA.path("data").asInt()).isEqualTo(7);
            assertThat(toA.path("session").asText()).isEqualTo(a.session());
            JsonNode toB = b.read();
            assertThat(toB.path("data").asInt()).isEqualTo(7);
            assertThat(toB.path("session").asText()).isEmpty();
        }
    }

    @Test
    void compressionFaultsAreRefusedOnAG2Server() {
        assertThatThrownBy(() -> faults().nextReply(Fault.gzipBomb(1000))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults().nextReply(Fault.brokenDeflate())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unsolicitedBeforeWorksInG1Too() throws Exception {
        try (HpxTestServer g1 = HpxTestServer.builder().build().start(); RawClient c = RawClient.guest(g1)) {
            g1.faults().nextReply(Fault.unsolicitedBefore(2));
            c.writeJson("{\"session\": \"" + c.session() + "\", \"name\": \"t\", \"data\": [" + GET_VERSION + "]}");
            assertThat(c.read().path("data").asInt()).isEqualTo(2);
            assertThat(c.read().path("data").path(0).path("fname").asText()).isEqualTo("get_version");
        }
    }
}
