package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The 1.0 command functions over the shared {@link CommandService}: command ids are strings (the decimal
 * form of the service's counter; integers are accepted too), states are the CommandState integers.
 */
final class G2CommandFunctions {

    static final int STARTED = 3;
    static final int FINISHED = 4;
    static final int STOPPED = 5;
    static final int FAILED = 6;

    private G2CommandFunctions() {
    }

    static List<FunctionSpec> all() {
        return List.of(
                FunctionSpec.of("get_command_state").param("command_ids")
                        .handler(call -> perCommand(call, c -> Json.NODES.numberNode(state(c.state())))),
                FunctionSpec.of("get_command_progress").param("command_ids", null)
                        .handler(G2CommandFunctions::progress),
                FunctionSpec.of("get_command_value").param("command_ids").param("raise_error", false)
                        .handler(call -> perCommand(call, c -> value(c, PyFormat.truthy(call.arg("raise_error"))))),
                FunctionSpec.of("start_command").param("command_ids")
                        .handler(call -> perCommand(call, c -> Json.NODES.numberNode(state(c.state())))),
                FunctionSpec.of("stop_command").param("command_ids")
                        .handler(call -> perCommand(call, c -> Json.NODES.numberNode(state(c.stop())))));
    }

    /** The id a G2 client sees for a command of the service. */
    static String idOf(int commandId) {
        return Integer.toString(commandId);
    }

    static int state(String g1State) {
        switch (g1State) {
            case CommandService.FINISHED: return FINISHED;
            case CommandService.STOPPED: return STOPPED;
            case CommandService.FAILED: return FAILED;
            default: return STARTED;
        }
    }

    /** {@code {"<id>": f(command)}}; every id is checked before any is used; an unknown one is 120. */
    private static ObjectNode perCommand(FunctionCallContext call, Function<CommandService.Command, JsonNode> f) {
        List<CommandService.Command> commands = lookup(call.server().commands(), call.arg("command_ids"));
        ObjectNode out = Json.object();
        for (CommandService.Command c : commands) {
            out.set(idOf(c.id), f.apply(c));
        }
        return out;
    }

    private static List<CommandService.Command> lookup(CommandService service, JsonNode ids) {
        List<CommandService.Command> found = new ArrayList<>();
        for (JsonNode id : ids.isArray() ? ids : Json.array().add(ids)) {
            Integer n = null;
            if (id.isIntegralNumber() && id.canConvertToInt()) {
                n = id.intValue();
            } else if (id.isTextual() && id.textValue().matches("\\d{1,9}")) {
                n = Integer.valueOf(id.textValue());
            }
            found.add(service.get(n != null ? (Object) n : PyFormat.str(id)));
        }
        return found;
    }

    /**
     * A command's value. {@code raise_error} true: 120 unless it finished or was stopped, as in G1. False (the
     * default): null instead of that error.
     */
    private static JsonNode value(CommandService.Command c, boolean raiseError) {
        String state = c.state();
        if (CommandService.FINISHED.equals(state)) {
            return (JsonNode) c.value;
        }
        if (CommandService.STOPPED.equals(state) || !raiseError) {
            return Json.NODES.nullNode();
        }
        throw new HpxApiError(120, CommandService.FAILED.equals(state)
                ? "Command with ID '" + idOf(c.id) + "' has failed"
                : "Command with ID '" + idOf(c.id) + "' has not finished running");
    }

    /** With ids: {@code {"<id>": progress}}; without: a list with the progress of every command. */
    private static Object progress(FunctionCallContext call) {
        JsonNode ids = call.arg("command_ids");
        if (ids.isNull()) {
            ArrayNode all = Json.array();
            call.server().commands().all().forEach(c -> all.add(progressOf(c)));
            return all;
        }
        return perCommand(call, G2CommandFunctions::progressOf);
    }

    /** The web client's {@code CommandProgress}: G1's progress with {@code id} and an integer {@code state}. */
    private static ObjectNode progressOf(CommandService.Command c) {
        ObjectNode g1 = c.progress();
        ObjectNode p = Json.object();
        p.put("id", idOf(c.id));
        p.setAll(g1);
        p.put("state", state(g1.get("state").textValue()));
        return p;
    }
}
