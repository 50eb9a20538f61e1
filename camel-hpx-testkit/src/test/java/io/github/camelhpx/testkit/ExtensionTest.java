package io.github.camelhpx.testkit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The JUnit 5 extension: one server per class as a static field, one per test as an instance field. */
class ExtensionTest {

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerClass {

        @RegisterExtension
        static HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.user("bob", "secret").serverName("per_class"));

        static int firstPort;

        @Test
        @Order(1)
        void aServerRunsAndIsConfigured() {
            firstPort = hpx.port();
            assertThat(hpx.host()).isEqualTo("127.0.0.1");
            try (RawClient c = RawClient.welcomed(hpx.server())) {
                c.handshake(RawClient.parse("{\"user\": \"bob\", \"password\": \"secret\"}"));
            }
            hpx.server().faults().nextReply(Fault.close());
            hpx.server().quit();
        }

        @Test
        @Order(2)
        void theSameServerServesTheNextTestRestartedAndWithoutLeftoverFaults() {
            assertThat(hpx.port()).isEqualTo(firstPort);
            assertThat(hpx.server().isRunning()).isTrue();
            assertThat(hpx.server().faults().pendingReplyFaults()).isZero();
            assertThat(hpx.server().serverName()).isEqualTo("per_class");
        }
    }

    @Nested
    class PerTest {

        @RegisterExtension
        HpxTestServerExtension hpx = HpxTestServerExtension.create();

        @Test
        void eachTestHasItsOwnFreshServer() {
            assertThat(hpx.server().receivedMessages()).isEmpty();
            try (RawClient c = RawClient.guest(hpx.server())) {
                assertThat(hpx.server().receivedMessages()).hasSize(1);
            }
        }

        @Test
        void anotherTestAnotherServer() {
            assertThat(hpx.server().receivedMessages()).isEmpty();
            assertThat(hpx.server().isRunning()).isTrue();
        }
    }
}
