package io.github.camelhpx.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The JUnit extension runs a G2 server through its builder customiser; faults are cleared between tests. */
class G2ExtensionTest {

    @RegisterExtension
    static HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.protocol(Protocol.G2));

    @Test
    void theExtensionsServerSpeaksG2() {
        assertThat(hpx.server().protocol()).isEqualTo(Protocol.G2);
        assertThat(hpx.server().toString()).contains("G2");
        try (G2RawClient c = G2RawClient.connect(hpx.server())) {
            assertThat(c.peekFirstByte()).isBetween(0x80, 0x8f);
        }
        hpx.server().faults().reorderReplies(3);
    }

    @Test
    void aDefaultServerStillSpeaksG1() throws Exception {
        assertThat(hpx.server().faults().pendingReplyFaults()).isZero();
        try (HpxTestServer g1 = HpxTestServer.builder().build().start(); RawClient c = RawClient.connect(g1)) {
            assertThat(g1.protocol()).isEqualTo(Protocol.G1);
            assertThat(c.readFramePayload()[0] & 0xff).isEqualTo(0x1f);
        }
    }
}
