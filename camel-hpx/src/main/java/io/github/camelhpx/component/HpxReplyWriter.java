package io.github.camelhpx.component;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.camelhpx.client.CommandResult;
import io.github.camelhpx.client.FunctionResult;
import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.ServerCommand;
import io.github.camelhpx.client.Welcome;

import org.apache.camel.Message;

/** Puts the server's answer into the exchange's message: the body and the headers of {@link HpxConstants}. */
final class HpxReplyWriter {

    private final ObjectMapper mapper;
    private final Class<?> outputClass;

    HpxReplyWriter(ObjectMapper mapper, Class<?> outputClass) {
        this.mapper = mapper;
        this.outputClass = outputClass;
    }

    void call(Message message, String fname, JsonNode data, HpxClient client) {
        message.setBody(convert(data));
        message.setHeader(HpxConstants.CALLED_FUNCTION, fname);
        session(message, client);
    }

    void awaited(Message message, String fname, CommandResult result, HpxClient client) {
        call(message, fname, result.value(), client);
        message.setHeader(HpxConstants.COMMAND_ID, result.commandId());
        message.setHeader(HpxConstants.COMMAND_STATE, result.state().wireName());
    }

    /**
     * The body becomes an array with one object per call, in request order, shaped like the server's own
     * function results: {@code fname}, {@code data}, and for a failed call {@code error} with {@code code} and
     * {@code msg}. The failures are counted in a header, so a route can branch without scanning the list.
     */
    void batch(Message message, List<FunctionResult> results, HpxClient client) {
        ArrayNode body = mapper.createArrayNode();
        int failures = 0;
        for (FunctionResult result : results) {
            ObjectNode element = body.addObject();
            element.put("fname", result.fname());
            element.set("data", result.data());
            if (!result.isSuccess()) {
                failures++;
                element.putObject("error").put("code", result.error().code()).put("msg", result.error().msg());
            }
        }
        message.setBody(body);
        message.setHeader(HpxConstants.BATCH_FAILURES, failures);
        session(message, client);
    }

    /** {@code requestauth} answers with the server's welcome; quit and restart with nothing. */
    void command(Message message, ServerCommand command, JsonNode welcome, HpxClient client) {
        message.setBody(welcome);
        message.setHeader(HpxConstants.CALLED_FUNCTION, command.wireName());
        session(message, client);
    }

    private void session(Message message, HpxClient client) {
        message.setHeader(HpxConstants.SESSION_ID, client.sessionId());
        Welcome welcome = client.welcome();
        if (welcome != null) {
            message.setHeader(HpxConstants.SERVER_NAME, welcome.serverName());
            message.setHeader(HpxConstants.SERVER_VERSION, welcome.coreVersion());
        }
    }

    private Object convert(JsonNode data) {
        return outputClass == null ? data : mapper.convertValue(data, outputClass);
    }
}
