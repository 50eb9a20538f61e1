package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static io.github.camelhpx.testkit.Replies.assertServerError;
import static org.assertj.core.api.Assertions.assertThat;

/** Every row of §6's protocol-failure table, sent as raw bytes. */
class ProtocolFailureTest {

    private static final String CRASH = "[100] HappypandaError: An unhandled critical error has occurred: ";

    @RegisterExtension
    static HpxTestServerExtension hpx = HpxTestServerExtension.create();

    private static JsonNode sendPayload(byte[] payload) {
        try (RawClient c = RawClient.welcomed(hpx.server())) {
            c.writeFrame(payload);
            return c.read();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void plainJsonIsNotAGzippedFile() {
        assertServerError(sendPayload(utf8("{\"session\": \"\"}")), 410, "Not a gzipped file (b'{\"')");
    }

    @Test
    void aRawZlibStreamIsRejectedShowingItsFirstBytesPythonStyle() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(bos)) {
            z.write(utf8("{}"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertServerError(sendPayload(bos.toByteArray()), 410, "Not a gzipped file (b'x\\x9c')");
    }

    @Test
    void aSingleByteIsShownAlone() {
        assertServerError(sendPayload(new byte[] {'\''}), 410, "Not a gzipped file (b\"'\")");
    }

    @Test
    void aBadChecksumReportsStoredAndComputedCrc() {
        byte[] gz = RawClient.gzip(utf8("{\"session\": \"\", \"name\": \"x\", \"data\": {}}"));
        CRC32 crc = new CRC32();
        crc.update(utf8("{\"session\": \"\", \"name\": \"x\", \"data\": {}}"));
        int at = gz.length - 8;
        gz[at] ^= 0x01;
        long stored = (gz[at] & 0xffL) | (gz[at + 1] & 0xffL) << 8 | (gz[at + 2] & 0xffL) << 16 | (gz[at + 3] & 0xffL) << 24;
        assertServerError(sendPayload(gz), 410,
                "CRC check failed 0x" + Long.toHexString(stored) + " != 0x" + Long.toHexString(crc.getValue()));
    }

    @Test
    void aWrongLengthInTheTrailerIsRejected() {
        byte[] gz = RawClient.gzip(utf8("{}"));
        gz[gz.length - 4] ^= 0x01;
        assertServerError(sendPayload(gz), 410, "Incorrect length of data produced");
    }

    @Test
    void corruptDeflateDataIsAZlibError() {
        byte[] gz = RawClient.gzip(utf8("{}"));
        // block type 11 (reserved) right after the 10-byte header
        gz[10] = (byte) 0x07;
        JsonNode reply = sendPayload(gz);
        assertThat(reply.path("error").path("code").asInt()).isEqualTo(410);
        assertThat(reply.path("error").path("msg").asText()).startsWith("Error -3 while decompressing data: invalid block type");
    }

    @Test
    void aTruncatedGzipIsAnUnhandledEofError() {
        byte[] gz = RawClient.gzip(utf8("{\"session\": \"\", \"name\": \"x\", \"data\": {}}"));
        assertServerError(sendPayload(Arrays.copyOf(gz, gz.length - 12)), 100, CRASH + "EOFError");
        assertServerError(sendPayload(Arrays.copyOf(gz, 5)), 100, CRASH + "EOFError");
        assertServerError(sendPayload(Arrays.copyOf(gz, gz.length - 3)), 100, CRASH + "EOFError");
    }

    @Test
    void anEmptyPayloadIsAJsonParseError() {
        assertServerError(sendPayload(new byte[0]), 900, "Failed parsing JSON data: Expecting value: line 1 column 1 (char 0)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``|Expecting value: line 1 column 1 (char 0)",
        "`   `|Expecting value: line 1 column 4 (char 3)",
        "`{`|Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        "`[`|Expecting value: line 1 column 2 (char 1)",
        "`{\"a\": }`|Expecting value: line 1 column 7 (char 6)",
        "`{\"a\" 1}`|Expecting ':' delimiter: line 1 column 6 (char 5)",
        "`{\"a\": 1 \"b\": 2}`|Expecting ',' delimiter: line 1 column 9 (char 8)",
        "`{\"a\": 1,}`|Expecting property name enclosed in double quotes: line 1 column 9 (char 8)",
        "`[1, 2`|Expecting ',' delimiter: line 1 column 6 (char 5)",
        "`{} x`|Extra data: line 1 column 4 (char 3)",
        "`\"abc`|Unterminated string starting at: line 1 column 1 (char 0)",
        "`\"a\\x\"`|Invalid \\escape: line 1 column 3 (char 2)",
        "`\"\\u12\"`|Invalid \\uXXXX escape: line 1 column 3 (char 2)",
        "`{'a': 1}`|Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        "`01`|Extra data: line 1 column 2 (char 1)",
        "`[\n1,\n]`|Expecting value: line 3 column 1 (char 5)",
        "`\"é`|Unterminated string starting at: line 1 column 1 (char 0)",
        "`[\"é\", x]`|Expecting value: line 1 column 7 (char 6)"})
    void invalidJsonGivesPythonsMessage(String json, String pythonMessage) {
        assertServerError(sendPayload(RawClient.gzip(utf8(json))), 900, "Failed parsing JSON data: " + pythonMessage);
    }

    @Test
    void aControlCharacterInAStringIsInvalid() {
        assertServerError(sendPayload(RawClient.gzip(utf8("[\"a\tb\"]"))), 900,
                "Failed parsing JSON data: Invalid control character at: line 1 column 4 (char 3)");
    }

    @Test
    void invalidUtf8IsAnUnhandledUnicodeDecodeError() {
        assertServerError(sendPayload(RawClient.gzip(new byte[] {'"', (byte) 0xff, '"'})), 100, CRASH + "UnicodeDecodeError");
        assertServerError(sendPayload(RawClient.gzip(new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'})), 100,
                CRASH + "UnicodeDecodeError");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "5|A list/dict was expected, not: 5",
        "null|A list/dict was expected, not: None",
        "\"text\"|A list/dict was expected, not: text",
        "true|A list/dict was expected, not: True",
        "1e400|A list/dict was expected, not: inf",
        "{\"name\": \"x\", \"data\": {}}|JSON dict missing 'session' key",
        "{\"session\": \"\", \"data\": {}}|JSON dict missing 'name' key",
        "{\"session\": \"\", \"name\": \"x\"}|JSON dict missing 'data' key",
        "{\"session\": \"\", \"name\": \"x\", \"data\": {}, \"__id__\": 1}|JSON dict contains unknown key '__id__'",
        "[\"session\", \"name\"]|JSON dict missing 'data' key"})
    void rootChecksFollowTheServersOrder(String json, String msg) {
        assertServerError(sendPayload(RawClient.gzip(utf8(json))), 403, msg);
    }

    @Test
    void aListWithTheThreeRootKeysCrashesLikeThePythonServer() {
        assertServerError(sendPayload(RawClient.gzip(utf8("[\"session\", \"name\", \"data\"]"))), 100, CRASH + "AttributeError");
    }

    @Test
    void anyValidGzipMemberIsAcceptedIncludingHeaderFlagsAndSeveralMembers() {
        byte[] json = utf8("{\"session\": \"\", \"name\": \"x\", \"data\": \"requestauth\"}");
        byte[] half1 = RawClient.gzip(Arrays.copyOf(json, 20));
        byte[] half2 = RawClient.gzip(Arrays.copyOfRange(json, 20, json.length));
        byte[] twoMembers = new byte[half1.length + half2.length];
        System.arraycopy(half1, 0, twoMembers, 0, half1.length);
        System.arraycopy(half2, 0, twoMembers, half1.length, half2.length);
        assertThat(sendPayload(twoMembers).path("data").has("guest_allowed")).isTrue();
        assertThat(sendPayload(gzipWithNameAndComment(json)).path("data").has("guest_allowed")).isTrue();
    }

    // utils.convert_to_json (0.3.0): "if buffer.endswith(constants.postfix): buffer = buffer[:-len(constants.postfix)]",
    // on the gunzipped bytes before decoding: one trailing <EOF> inside the payload is cut off, a second is not
    @Test
    void aPayloadEndingInEofHasOneMarkerCutOffBeforeParsing() {
        String json = "{\"session\": \"\", \"name\": \"x\", \"data\": \"requestauth\"}";
        assertThat(sendPayload(RawClient.gzip(utf8(json + "<EOF>"))).path("data").has("guest_allowed")).isTrue();
        assertServerError(sendPayload(RawClient.gzip(utf8(json + "<EOF><EOF>"))), 900,
                "Failed parsing JSON data: Extra data: line 1 column " + (json.length() + 1) + " (char " + json.length() + ")");
        assertServerError(sendPayload(RawClient.gzip(utf8("<EOF>"))), 900,
                "Failed parsing JSON data: Expecting value: line 1 column 1 (char 0)");
        // only at the very end: a marker with whitespace after it stays in the JSON text
        assertServerError(sendPayload(RawClient.gzip(utf8(json + "<EOF> "))), 900,
                "Failed parsing JSON data: Extra data: line 1 column " + (json.length() + 1) + " (char " + json.length() + ")");
    }

    @Test
    void theConnectionSurvivesAProtocolError() {
        try (RawClient c = RawClient.welcomed(hpx.server())) {
            c.writeFrame(utf8("junk"));
            assertThat(c.read().path("error").path("code").asInt()).isEqualTo(410);
            Replies.assertAuthenticated(c.send("", RawClient.MAPPER.createObjectNode()));
        }
    }

    /** A gzip member with FNAME and FCOMMENT set, written by hand (GZIPOutputStream never sets them). */
    private static byte[] gzipWithNameAndComment(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 8 | 16, 0, 0, 0, 0, 0, (byte) 255});
        out.writeBytes(utf8("name.json\0a comment\0"));
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[1024];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        CRC32 crc = new CRC32();
        crc.update(data);
        writeLe(out, (int) crc.getValue());
        writeLe(out, data.length);
        return out.toByteArray();
    }

    private static void writeLe(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }
}
