package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocolException;
import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * dumpFailedFrames: a reply that cannot be decoded, or is of the wrong shape, is logged once at WARN with a
 * bounded dump that names the generation and the connection and shows no secret; without the option, nothing.
 */
class HpxFailedFrameDumpTest extends HpxCamelTestSupport {

    private static final String PASSWORD = "Dump-pa55word-never-shown";
    private static final String UNDECODABLE = "HPX message could not be decoded";
    private static final String WRONG_SHAPE = "HPX reply is not what the request asks for";
    // two edges of 256 bytes in 16-byte lines of about 80 characters, and the lines above them
    private static final int MAX_DUMP_CHARS = 4_000;

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(b -> b
            .guestsAllowed(false)
            .user("bob", PASSWORD));

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dump").to("hpx:get_version?user=bob&password=" + PASSWORD + "&dumpFailedFrames=true");
                from("direct:small").to("hpx:get_version?user=bob&password=" + PASSWORD
                                         + "&dumpFailedFrames=true&maxMessageSize=4096");
                from("direct:quiet").to("hpx:get_version?user=bob&password=" + PASSWORD);
            }
        };
    }

    private String session;

    @BeforeEach
    void logIn() {
        server().faults().clear();
        Exchange first = template.request("direct:dump", null);
        assertThat(template.request("direct:quiet", null).getException()).isNull();
        session = first.getMessage().getHeader(HpxConstants.SESSION_ID, String.class);
        assertThat(session).hasSize(32);
    }

    /** Runs the route with {@code fault} on the next reply and returns the WARN log and the exchange's failure. */
    private Failed failed(String route, Fault fault) {
        try (LogCapture logs = new LogCapture(Level.WARN)) {
            server().faults().nextReply(fault);
            Exchange done = template.request(route, null);
            return new Failed(logs.text(), done.getException());
        }
    }

    private record Failed(String log, Exception exception) {
    }

    private void assertOneBoundedDumpWithoutSecrets(String log, String title) {
        assertThat(log.split(title, -1)).hasSize(2);
        String dump = log.substring(log.indexOf(title)).split("\n(?=[A-Z]+ )")[0];
        assertThat(dump.length()).isLessThan(MAX_DUMP_CHARS);
        assertThat(log).contains("(" + protocol().name()).doesNotContain(session).doesNotContain(PASSWORD);
    }

    @Test
    void garbageIsDumpedWithItsLengthTheConnectionAndTheGeneration() {
        Failed garbage = failed("direct:dump", Fault.garbage());

        assertThat(garbage.exception()).isInstanceOf(HpxProtocolException.class);
        assertOneBoundedDumpWithoutSecrets(garbage.log(), UNDECODABLE);
        assertThat(garbage.log()).contains("bytes received", "127.0.0.1", "-> ", ":" + server().port(), "00000000  ");
    }

    /**
     * G1: a gzip whose data fails before it inflates to a byte still holds the whole reply, session included, for
     * whoever mends the one bad byte: only its header is shown.
     */
    @Test
    @Tag("g1")
    void aGzipThatInflatesToNothingShowsOnlyItsHeader() {
        Failed broken = failed("direct:dump", Fault.brokenDeflate());

        assertThat(broken.exception()).isInstanceOf(HpxProtocolException.class);
        assertOneBoundedDumpWithoutSecrets(broken.log(), UNDECODABLE);
        assertThat(broken.log()).contains("only its header shown", "00000000  1f 8b 08 00")
                .doesNotContain("00000010  ");
    }

    @Test
    void aFrameCutShortIsDumpedAsFarAsItCameWithTheSessionMasked() {
        Failed cut = failed("direct:dump", Fault.cutMidFrame());

        assertThat(cut.exception()).isInstanceOf(HpxException.class);
        assertOneBoundedDumpWithoutSecrets(cut.log(), UNDECODABLE);
        assertThat(cut.log()).contains("frame incomplete", "|****************|");
    }

    @Test
    void aReplyOfTheWrongShapeIsDumpedBoundedWithTheSessionMasked() {
        // a valid message with the call's id and session, but text of 20 kB where the function results belong
        Failed wrongShape = failed("direct:dump", Fault.oversized(20_000));

        assertThat(wrongShape.exception()).isInstanceOf(HpxProtocolException.class)
                .hasMessageContaining("not a list of function results");
        assertOneBoundedDumpWithoutSecrets(wrongShape.log(), WRONG_SHAPE);
        assertThat(wrongShape.log()).contains("first 256 bytes", "last 256 bytes", "|{\"session\":\"****|");
    }

    @Test
    void aReplyOverTheSizeLimitIsDumpedBoundedAndFailsTyped() {
        // Read (G2) or inflated (G1) in pieces: the dump keeps its edges across all of them.
        Failed tooBig = failed("direct:small", Fault.oversized(20_000));

        assertThat(tooBig.exception()).isInstanceOf(HpxProtocolException.class).hasMessageContaining("4096");
        assertOneBoundedDumpWithoutSecrets(tooBig.log(), UNDECODABLE);
        assertThat(tooBig.log()).contains("first 256 bytes", "last 256 bytes");
    }

    @Test
    void withoutTheOptionNothingIsDumped() {
        Failed garbage = failed("direct:quiet", Fault.garbage());

        assertThat(garbage.exception()).isInstanceOf(HpxProtocolException.class);
        assertThat(garbage.log()).doesNotContain(UNDECODABLE).doesNotContain("00000000  ");
    }
}
