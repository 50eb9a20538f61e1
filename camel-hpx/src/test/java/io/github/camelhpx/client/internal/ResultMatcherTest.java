package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.github.camelhpx.client.FunctionCall;
import io.github.camelhpx.client.FunctionResult;
import io.github.camelhpx.client.HpxError;
import io.github.camelhpx.client.HpxFunctionException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxProtocolException;

import org.junit.jupiter.api.Test;

/** The server's ordering rule (validated calls first, validation failures last), undone. */
class ResultMatcherTest {

    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

    private static JsonNode json(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    @Test
    void validationFailuresAreMovedBackToTheirCalls() throws JsonProcessingException {
        List<FunctionCall> calls = List.of(
                FunctionCall.of("get_item", Map.of("bogus", 1)),
                FunctionCall.of("get_item", Map.of("item_id", 3)),
                FunctionCall.of("nope"),
                FunctionCall.of("get_version"));
        JsonNode reply = json("[{'fname': 'get_item', 'data': {'id': 3}},"
                + " {'fname': 'get_version', 'data': {'core': [0, 3, 0]}},"
                + " {'fname': 'get_item', 'data': null, 'error': {'code': 403, 'msg': \"Unexpected argument in function 'get_item': 'bogus'\"}},"
                + " {'fname': 'nope', 'data': null, 'error': {'code': 403, 'msg': \"Function not found: 'nope'\"}}]");

        List<FunctionResult> results = ResultMatcher.inRequestOrder(calls, reply, HpxProtocol.G1);

        assertThat(results).extracting(FunctionResult::fname).containsExactly("get_item", "get_item", "nope", "get_version");
        assertThat(results.get(0).error().msg()).contains("'bogus'");
        assertThat(results.get(1).data().path("id").intValue()).isEqualTo(3);
        assertThat(results.get(2).error().code()).isEqualTo(403);
        assertThat(results.get(3).isSuccess()).isTrue();
    }

    @Test
    void missingArgumentFailureGoesToTheCallThatLacksIt() throws JsonProcessingException {
        List<FunctionCall> calls = List.of(
                FunctionCall.of("echo", Map.of("value", "a")),
                FunctionCall.of("echo"),
                FunctionCall.of("echo", Map.of("value", "c")));
        JsonNode reply = json("[{'fname': 'echo', 'data': 'a'}, {'fname': 'echo', 'data': 'c'},"
                + " {'fname': 'echo', 'data': null, 'error': {'code': 403, 'msg': \"Missing a required argument in function 'echo': 'value'\"}}]");

        List<FunctionResult> results = ResultMatcher.inRequestOrder(calls, reply, HpxProtocol.G1);

        assertThat(results.get(0).data().asText()).isEqualTo("a");
        assertThat(results.get(1).isSuccess()).isFalse();
        assertThat(results.get(2).data().asText()).isEqualTo("c");
    }

    @Test
    void functionErrorsRaisedWhileRunningKeepTheirPlace() throws JsonProcessingException {
        List<FunctionCall> calls = List.of(FunctionCall.of("get_item", Map.of("item_id", 0)), FunctionCall.of("get_version"));
        JsonNode reply = json("[{'fname': 'get_item', 'data': null, 'error': {'code': 404, 'msg': 'A valid item id is required, not 0'}},"
                + " {'fname': 'get_version', 'data': {}}]");

        List<FunctionResult> results = ResultMatcher.inRequestOrder(calls, reply, HpxProtocol.G1);

        assertThat(results.get(0).error()).isEqualTo(new HpxError(404, "A valid item id is required, not 0"));
        assertThatThrownBy(() -> results.get(0).dataOrThrow())
                .isInstanceOfSatisfying(HpxFunctionException.class, e -> {
                    assertThat(e.getFunctionName()).isEqualTo("get_item");
                    assertThat(e.getCode()).isEqualTo(404);
                });
    }

    @Test
    void staleValidationErrorsOfAnEarlierBatchAreDropped() throws JsonProcessingException {
        List<FunctionCall> calls = List.of(FunctionCall.of("get_version"));
        JsonNode reply = json("[{'fname': 'get_version', 'data': {}},"
                + " {'fname': 'ghost', 'data': null, 'error': {'code': 403, 'msg': \"Function not found: 'ghost'\"}}]");

        assertThat(ResultMatcher.inRequestOrder(calls, reply, HpxProtocol.G1)).singleElement()
                .satisfies(r -> assertThat(r.fname()).isEqualTo("get_version"));
    }

    @Test
    void aMissingOrForeignResultIsAProtocolError() throws JsonProcessingException {
        List<FunctionCall> calls = List.of(FunctionCall.of("a"), FunctionCall.of("b"));
        assertThatThrownBy(() -> ResultMatcher.inRequestOrder(calls, json("[{'fname': 'a', 'data': 1}]"), HpxProtocol.G1))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("no result for call 1 ('b')");
        assertThatThrownBy(() -> ResultMatcher.inRequestOrder(calls, json("[{'fname': 'b', 'data': 1}, {'fname': 'a', 'data': 1}]"), HpxProtocol.G1))
                .isInstanceOf(HpxProtocolException.class);
        assertThatThrownBy(() -> ResultMatcher.inRequestOrder(calls, json("{'fname': 'a'}"), HpxProtocol.G1))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("not a list of function results");
        assertThatThrownBy(() -> ResultMatcher.inRequestOrder(calls, json("[{'data': 1}]"), HpxProtocol.G1))
                .isInstanceOf(HpxProtocolException.class).hasMessageContaining("without 'fname'");
    }

    /**
     * A validation message that repeats the pattern's separator thousands of times is read in one pass: it took
     * seconds before, growing with the square of its length, on the caller's thread and past its deadline.
     */
    @Test
    void aLongValidationMessageIsMatchedInOnePass() {
        String argument = "': '".repeat(100_000) + "x";
        String msg = "Unexpected argument in function 'f': '" + argument + "'";
        ObjectMapper plain = new ObjectMapper();
        JsonNode reply = plain.createArrayNode().add(plain.createObjectNode().put("fname", "f").set("error",
                plain.createObjectNode().put("code", 403).put("msg", msg)));

        List<FunctionResult> results = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> ResultMatcher
                .inRequestOrder(List.of(FunctionCall.of("f", Map.of(argument, 1))), reply, HpxProtocol.G1));

        assertThat(results.get(0).error().msg()).isEqualTo(msg);
    }
}
