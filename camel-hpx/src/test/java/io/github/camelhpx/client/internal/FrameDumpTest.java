package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** The dump of a failed frame: bounded, both edges shown, and no secret in it, as JSON text or as MessagePack. */
class FrameDumpTest {

    private static final String SESSION = "0123456789abcdef0123456789abcdef";
    private static final String PASSWORD = "hunter2 is never shown";

    private static String dump(byte[] bytes) {
        FrameDump dump = new FrameDump();
        dump.write(bytes, 0, bytes.length);
        return dump.render();
    }

    /** The printable-text column of a dump, its lines joined. */
    private static String text(String shown) {
        StringBuilder text = new StringBuilder();
        Matcher column = Pattern.compile("\\|(.*)\\|$", Pattern.MULTILINE).matcher(shown);
        while (column.find()) {
            text.append(column.group(1));
        }
        return text.toString();
    }

    @Test
    void passwordsAndSessionsAreMaskedInJsonText() {
        String json = "{\"session\": \"not-hex-but-secret\", \"data\": [{\"fname\": \"get_config\", \"data\":"
                + " {\"db.password\": \"" + PASSWORD + "\", \"other\": \"" + SESSION + "\"}}]}";

        String shown = dump(json.getBytes(StandardCharsets.UTF_8));

        assertThat(text(shown)).doesNotContain("hunter2").doesNotContain("not-hex").doesNotContain("0123456789")
                .contains("get_config", "\"db.password\": \"****");
    }

    @Test
    void passwordsAndSessionsAreMaskedInMessagePack() throws Exception {
        byte[] msgpack = new ObjectMapper(new MessagePackFactory()).writeValueAsBytes(Map.of(
                "session", "short-secret", "data", Map.of("password", PASSWORD, "name", "visible")));

        String shown = dump(msgpack);

        assertThat(text(shown)).doesNotContain("hunter2").doesNotContain("short-secret").contains("visible", "password");
    }

    @Test
    void aBigFrameShowsItsTwoEdgesOnly() {
        byte[] big = new byte[100_000];
        Arrays.fill(big, (byte) 'x');
        System.arraycopy("BEGIN".getBytes(StandardCharsets.US_ASCII), 0, big, 0, 5);
        System.arraycopy("END".getBytes(StandardCharsets.US_ASCII), 0, big, big.length - 3, 3);

        String shown = dump(big);

        assertThat(shown).contains("first 256 bytes", "last 256 bytes", "|BEGIN", "xEND|", "  000185a0  ");
        assertThat(shown.length()).isLessThan(3_000);
    }

    @Test
    void aSessionIdAcrossTheEdgeOfWhatIsShownIsMaskedWhole() {
        byte[] frame = new byte[10_000];
        Arrays.fill(frame, (byte) '.');
        byte[] id = SESSION.getBytes(StandardCharsets.US_ASCII);
        // across the end of the first 256 bytes, and across the start of the last 256
        System.arraycopy(id, 0, frame, 256 - 10, id.length);
        System.arraycopy(id, 0, frame, frame.length - 256 - 10, id.length);

        String shown = dump(frame);

        assertThat(text(shown)).doesNotContain("0123").doesNotContain("cdef").contains("**********");
    }
}
