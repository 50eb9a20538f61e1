package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * G1 frames are gzip + {@code <EOF>}, and the server splits at the first marker. Compressed text rarely holds it,
 * but stored deflate blocks (compression level 0) carry the JSON as it is: the client must still send a string
 * holding the marker intact, in one frame, or every later call of a lock-step connection reads the reply of the one
 * before it.
 */
@Tag("g1")
class G1FramingTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .protocol(Protocol.G1)
            .user("bob", "s3cret")
            .function(FunctionSpec.echo()));

    @Test
    void markerInAStringArgumentGoesOutIntactUncompressed() {
        try (HpxClient client = TestClients.to(hpx.server()).compressionLevel(0).poolSize(1).build()) {
            assertThat(client.call("echo", Map.of("value", "Nights <EOF> Days")).asText())
                    .isEqualTo("Nights <EOF> Days");
            assertThat(client.call("echo", Map.of("value", "next")).asText()).isEqualTo("next");
            assertThat(hpx.server().receivedMessages()).extracting(ReceivedMessage::data).map(String::valueOf)
                    .anyMatch(data -> data.contains("Nights <EOF> Days"));
        }
    }

    /** A user's session keeps its connection across calls: each call must still get its own reply. */
    @Test
    void markerInAUserSessionLeavesEachLaterCallItsOwnReply() {
        try (HpxClient client = TestClients.to(hpx.server()).compressionLevel(0).build()) {
            String session = client.login("bob", "s3cret");
            for (String value : new String[] {"a<EOF>b", "second", "third"}) {
                assertThat(client.execute(HpxRequest.function("echo", Map.of("value", value)).inSession(session))
                        .asText()).isEqualTo(value);
            }
        }
    }
}
