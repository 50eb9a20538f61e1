package io.github.camelhpx.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WelcomeTest {

    private static final String VERSION = "{\"core\": [0, 3, 0], \"db\": [0, 2, 0], \"torrent\": [0, 0, 0]}";

    @Test
    void welcomeIsSentFirstWithExactText() {
        try (HpxTestServer server = HpxTestServer.builder().serverName("rias_momo_albedo").build().start();
             RawClient c = RawClient.connect(server)) {
            assertThat(c.readText()).isEqualTo("{\"session\": \"\", \"name\": \"rias_momo_albedo\", \"data\": "
                    + "{\"version\": " + VERSION + ", \"guest_allowed\": true}}");
        }
    }

    @Test
    void welcomeTellsWhenGuestsAreNotAllowed() {
        try (HpxTestServer server = HpxTestServer.builder().serverName("x").guestsAllowed(false).build().start();
             RawClient c = RawClient.connect(server)) {
            assertThat(c.readText()).isEqualTo("{\"session\": \"\", \"name\": \"x\", \"data\": "
                    + "{\"version\": " + VERSION + ", \"guest_allowed\": false}}");
        }
    }

    @Test
    void everyConnectionGetsItsOwnWelcomeAlsoWhenReusingASession() {
        try (HpxTestServer server = HpxTestServer.builder().build().start();
             RawClient first = RawClient.guest(server);
             RawClient second = RawClient.connect(server)) {
            assertThat(second.read().path("data").path("guest_allowed").asBoolean()).isTrue();
            second.session(first.session());
            assertThat(Replies.result(second.callOne("{\"fname\": \"get_version\"}"), 0, "get_version").toString())
                    .isEqualTo("{\"core\":[0,3,0],\"db\":[0,2,0],\"torrent\":[0,0,0]}");
        }
    }

    @Test
    void defaultServerNameIsThreeWordsJoinedByUnderscores() {
        try (HpxTestServer server = HpxTestServer.builder().build().start();
             RawClient c = RawClient.connect(server)) {
            assertThat(server.serverName()).matches("[a-z]+_[a-z]+_[a-z]+");
            assertThat(c.read().path("name").asText()).isEqualTo(server.serverName());
        }
    }

    @Test
    void framesAreGzipLevelFiveStyleWithXfl2AndOneEofMarker() {
        try (HpxTestServer server = HpxTestServer.builder().build().start();
             RawClient c = RawClient.connect(server)) {
            byte[] frame = c.readFramePayload();
            assertThat(frame[0] & 0xff).isEqualTo(0x1f);
            assertThat(frame[1] & 0xff).isEqualTo(0x8b);
            assertThat(frame[8]).as("XFL").isEqualTo((byte) 2);
            assertThat(new String(RawClient.gunzip(frame), java.nio.charset.StandardCharsets.UTF_8)).startsWith("{\"session\": \"\"");
        }
    }
}
