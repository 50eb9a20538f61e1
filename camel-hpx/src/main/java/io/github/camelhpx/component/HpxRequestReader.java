package io.github.camelhpx.component;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.github.camelhpx.client.FunctionCall;
import io.github.camelhpx.client.ServerCommand;

import org.apache.camel.Message;

/**
 * Reads an {@link HpxExchangeRequest} from a message. The body is turned into JSON (text is parsed, anything else
 * converted by Jackson): an array is a batch of calls that each name their {@code fname}; an object, or no
 * body, gives the arguments of a call to the endpoint's function, over the endpoint's {@code arg.*} options.
 */
final class HpxRequestReader {

    private final String function;
    private final boolean allowServerCommands;
    private final ObjectMapper mapper;
    private final ObjectReader strictReader;
    private final Map<String, JsonNode> endpointArgs;

    HpxRequestReader(HpxEndpoint endpoint, ObjectMapper mapper) {
        HpxConfiguration configuration = endpoint.getConfiguration();
        this.function = endpoint.getFunction();
        this.allowServerCommands = configuration.isAllowServerCommands();
        this.mapper = mapper;
        this.strictReader = HpxArgs.strictReader(mapper);
        this.endpointArgs = HpxArgs.of(configuration, mapper);
    }

    HpxExchangeRequest read(Message message) {
        Object raw = message.getBody();
        // The client's own call objects are taken as they are: as JSON they would be {"fname", "args"}.
        if (raw instanceof FunctionCall call) {
            return new HpxExchangeRequest.Call(call);
        }
        if (raw instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(FunctionCall.class::isInstance)) {
            return new HpxExchangeRequest.Batch(list.stream().map(FunctionCall.class::cast).toList());
        }
        JsonNode body = bodyAsJson(raw);
        if (body.isArray()) {
            return new HpxExchangeRequest.Batch(batch(body));
        }
        String fname = message.getHeader(HpxConstants.FUNCTION, function, String.class);
        Optional<ServerCommand> command = ServerCommand.byName(fname);
        if (command.isPresent()) {
            if (!allowServerCommands) {
                throw new IllegalArgumentException("'" + fname + "' is an HPX server command; the endpoint must set"
                                                   + " allowServerCommands=true to send it");
            }
            return new HpxExchangeRequest.Command(command.get());
        }
        if (!body.isObject() && !body.isNull()) {
            throw new IllegalArgumentException("The arguments of HPX function '" + fname
                                               + "' must be a JSON object, not " + body.getNodeType());
        }
        Map<String, Object> args = new LinkedHashMap<>(endpointArgs);
        body.properties().forEach(field -> args.put(field.getKey(), field.getValue()));
        return new HpxExchangeRequest.Call(FunctionCall.of(fname, args));
    }

    private List<FunctionCall> batch(JsonNode calls) {
        List<FunctionCall> batch = new ArrayList<>(calls.size());
        for (JsonNode element : calls) {
            JsonNode fname = element.get("fname");
            if (!element.isObject() || fname == null || !fname.isTextual()) {
                throw new IllegalArgumentException("Call " + batch.size() + " of the HPX batch is no object with a"
                                                   + " string 'fname'");
            }
            Map<String, Object> args = new LinkedHashMap<>();
            element.properties().forEach(field -> args.put(field.getKey(), field.getValue()));
            args.remove("fname");
            batch.add(FunctionCall.of(fname.textValue(), args));
        }
        return batch;
    }

    private JsonNode bodyAsJson(Object body) {
        try {
            if (body instanceof String text) {
                return text.isBlank() ? mapper.nullNode() : strictReader.readTree(text);
            }
            if (body instanceof byte[] bytes) {
                return bytes.length == 0 ? mapper.nullNode() : strictReader.readTree(bytes);
            }
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("The body is not JSON: " + reason, e);
        }
        JsonNode json = mapper.valueToTree(body);
        return json == null || json.isMissingNode() ? mapper.nullNode() : json;
    }
}
