package io.github.camelhpx.client.internal;

import static io.github.camelhpx.client.internal.Frames.frames;
import static io.github.camelhpx.client.internal.Frames.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.POJONode;

import io.github.camelhpx.client.HpxError;
import io.github.camelhpx.client.HpxProtocolException;
import io.github.camelhpx.client.ServerCommand;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The three ways a reply is read: bound function data, raw JSON, and how both hand everything else to the tree. */
class ReplyReadingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long LIMIT = 1024 * 1024;
    private static final JavaType ITEMS = MAPPER.getTypeFactory().constructCollectionType(List.class, Item.class);

    record Item(int id, String name) {
    }

    private final MessageCodec codec = new MessageCodec(MAPPER, 5, LIMIT);

    @AfterEach
    void release() {
        codec.close();
    }

    private static FrameDecoder.Frame frame(byte[] gzipped) {
        try {
            return new FrameDecoder(LIMIT).read(new ByteArrayInputStream(frames(gzipped)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FrameDecoder.Frame frame(String json) {
        return frame(gzip(json));
    }

    private static byte[] withDeclaredLength(byte[] gzipped, long length) {
        byte[] copy = gzipped.clone();
        for (int i = 0; i < 4; i++) {
            copy[copy.length - 4 + i] = (byte) (length >>> (8 * i));
        }
        return copy;
    }

    @Test
    void boundReadingBindsEachFunctionsDataAndKeepsTheRestATree() {
        JsonNode root = codec.decodeBound(frame("{\"session\": \"s\", \"name\": \"n\", \"data\": ["
                + "{\"fname\": \"get_items\", \"data\": [{\"id\": 1, \"name\": \"Caf\\u00e9\"}]},"
                + "{\"fname\": \"get_item\", \"data\": null, \"error\": {\"code\": 404, \"msg\": \"gone\"}}]}"), ITEMS);

        Envelope envelope = Envelope.parse(root);
        assertThat(envelope.session()).isEqualTo("s");
        assertThat(envelope.data().get(0).get("data")).isInstanceOfSatisfying(POJONode.class,
                bound -> assertThat(bound.getPojo()).isEqualTo(List.of(new Item(1, "Café"))));
        assertThat(envelope.data().get(1).get("data").isNull()).isTrue();
        assertThat(envelope.data().get(1).get("error").get("code").intValue()).isEqualTo(404);
    }

    @Test
    void anEnvelopePrintsNoSession() {
        String session = "0123456789abcdef0123456789abcdef";
        Envelope envelope = Envelope.parse(codec.decode(frame("{\"session\": \"" + session
                + "\", \"name\": \"srv\", \"data\": {\"core\": [0, 3, 0]}}")));

        assertThat(envelope.session()).isEqualTo(session);
        assertThat(envelope.toString()).contains("srv", "core").doesNotContain(session);
    }

    @Test
    void boundReadingLeavesEverythingButFunctionResultsAlone() {
        assertThat(Envelope.parse(codec.decodeBound(frame("{\"session\": \"\", \"name\": \"n\", \"data\": 2}"), ITEMS))
                .broadcast()).contains(ServerCommand.SERVER_RESTART);
        assertThat(codec.decodeBound(frame("[1, 2]"), ITEMS).toString()).isEqualTo("[1,2]");
    }

    @Test
    void boundDataThatDoesNotFitNamesTheFunctionAndTheType() {
        assertThatThrownBy(() -> codec.decodeBound(frame("{\"session\": \"s\", \"name\": \"n\", \"data\": ["
                + "{\"fname\": \"get_items\", \"data\": \"not a list\"}]}"), ITEMS))
                .isInstanceOf(HpxProtocolException.class)
                .hasMessageStartingWith("HPX reply data of 'get_items' cannot be read as [collection type;");
    }

    @Test
    void boundReadingStopsAtTheSizeLimitInsideTheData() {
        String big = "{\"session\": \"s\", \"name\": \"n\", \"data\": [{\"fname\": \"f\", \"data\": "
                + "[{\"id\": 1, \"name\": \"" + "x".repeat((int) LIMIT) + "\"}]}]}";

        assertThatThrownBy(() -> codec.decodeBound(frame(big), ITEMS))
                .isInstanceOf(HpxProtocolException.class)
                .hasMessage("HPX message decompresses to more than maxMessageSize of " + LIMIT + " bytes");
    }

    @Test
    void boundReadingRefusesWhatTheTreeRefuses() {
        assertThatThrownBy(() -> codec.decodeBound(frame("{\"data\": []} {}"), ITEMS))
                .isInstanceOf(HpxProtocolException.class).hasMessage("HPX message has data after its JSON value");
        assertThatThrownBy(() -> codec.decodeBound(frame("{\"data\": [{\"fname\": \"f\", \"data\": [{\"id\": 1, }]}]}"), ITEMS))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("not valid UTF-8 JSON");
        assertThatThrownBy(() -> codec.decodeBound(frame("  "), ITEMS))
                .isInstanceOf(HpxProtocolException.class).hasMessage("HPX message is empty");
    }

    @Test
    void rawReadingReturnsTheJsonAsSentForFunctionResults() throws IOException {
        String json = "{\"session\": \"s\", \"name\": \"n\", \"data\": [{\"fname\": \"f\", \"data\": \"\\u00e9\"}]}";

        Envelope envelope = ReplyReading.RAW.read(codec, frame(json));

        assertThat(envelope.hasError()).isFalse();
        assertThat(envelope.session()).isEqualTo("s");
        assertThat(new String(envelope.data().binaryValue(), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @Test
    void rawReadingTakesFunctionResultsInAnyMemberOrder() {
        String json = "{\"data\": [{\"fname\": \"f\", \"data\": 1}], \"name\": \"n\", \"session\": \"s\"}";

        Envelope envelope = ReplyReading.RAW.read(codec, frame(json));

        assertThat(envelope.data().isBinary()).isTrue();
        assertThat(envelope.serverName()).isEqualTo("n");
    }

    @Test
    void rawReadingLooksNoFurtherThanTheStartOfTheResults() throws IOException {
        // HPX sends message-level errors with "data": null; an error after a list of results is not looked for.
        String json = "{\"session\": \"s\", \"name\": \"n\", \"data\": [], \"error\": {\"code\": 100, \"msg\": \"x\"}}";

        Envelope envelope = ReplyReading.RAW.read(codec, frame(json));

        assertThat(envelope.hasError()).isFalse();
        assertThat(new String(envelope.data().binaryValue(), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @Test
    void rawReadingParsesWhatTheClientMustActOn() {
        Envelope serverError = ReplyReading.RAW.read(codec,
                frame("{\"session\": \"s\", \"name\": \"n\", \"data\": null, \"error\": {\"code\": 408, \"msg\": \"x\"}}"));
        assertThat(serverError.error()).isEqualTo(new HpxError(408, "x"));

        Envelope errorFirst = ReplyReading.RAW.read(codec,
                frame("{\"error\": {\"code\": 100, \"msg\": \"y\"}, \"session\": \"s\", \"name\": \"n\", \"data\": []}"));
        assertThat(errorFirst.error()).isEqualTo(new HpxError(100, "y"));

        Envelope broadcast = ReplyReading.RAW.read(codec, frame("{\"session\": \"\", \"name\": \"n\", \"data\": 1}"));
        assertThat(broadcast.broadcast()).contains(ServerCommand.SERVER_QUIT);

        assertThat(ReplyReading.RAW.read(codec, frame("{\"session\": \"s\", \"name\": \"n\", \"data\": \"Authenticated\"}"))
                .isAuthenticated()).isTrue();

        assertThatThrownBy(() -> ReplyReading.RAW.read(codec, frame("{\"data\": [1]}")))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("lacks the string 'session' and 'name'");
        assertThatThrownBy(() -> ReplyReading.RAW.read(codec, frame("{\"session\": \"s\" \"name\"")))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("not valid UTF-8 JSON");
    }

    @Test
    void bytesAreInflatedIntoOneArrayOfTheDeclaredLength() {
        String json = "{\"a\": \"" + "x".repeat(100_000) + "\"}";

        assertThat(codec.decodeBytes(frame(json))).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        assertThat(codec.decodeBytes(frame(""))).isEmpty();
    }

    @Test
    void declaredLengthThatLiesIsAWrongLength() {
        byte[] gzipped = gzip("{\"a\": \"" + "x".repeat(1000) + "\"}");
        long actual = 1000 + 9;

        assertThatThrownBy(() -> codec.decodeBytes(frame(withDeclaredLength(gzipped, actual + 1))))
                .isInstanceOf(HpxProtocolException.class).hasMessage("HPX message has a wrong gzip length");
        assertThatThrownBy(() -> codec.decodeBytes(frame(withDeclaredLength(gzipped, actual - 1))))
                .isInstanceOf(HpxProtocolException.class).hasMessage("HPX message has a wrong gzip length");
    }

    @Test
    void declaredLengthIsCheckedBeforeAnythingIsAllocated() {
        byte[] small = gzip("{}");

        assertThatThrownBy(() -> codec.decodeBytes(frame(withDeclaredLength(small, LIMIT + 1))))
                .isInstanceOf(HpxProtocolException.class)
                .hasMessage("HPX message decompresses to more than maxMessageSize of " + LIMIT + " bytes");
        // More than deflate can expand a few bytes to, though within the limit.
        assertThatThrownBy(() -> codec.decodeBytes(frame(withDeclaredLength(small, LIMIT - 1))))
                .isInstanceOf(HpxProtocolException.class).hasMessageStartingWith(
                        "HPX message declares a gzip length of " + (LIMIT - 1) + " bytes, more than its");
    }
}
