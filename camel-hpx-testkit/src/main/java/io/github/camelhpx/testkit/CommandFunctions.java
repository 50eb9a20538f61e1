package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** get_command_state/progress/value and stop/start_command over the {@link CommandService}. */
final class CommandFunctions {

    private CommandFunctions() {
    }

    static List<FunctionSpec> all() {
        return List.of(
                FunctionSpec.of("get_command_state").param("command_ids").handler(call ->
                        perCommand(call, c -> Json.NODES.textNode(c.state()))),
                FunctionSpec.of("get_command_progress").param("command_ids", null)
                        .handler(CommandFunctions::progress),
                FunctionSpec.of("get_command_value").param("command_ids").handler(call ->
                        perCommand(call, CommandFunctions::value)),
                FunctionSpec.of("stop_command").param("command_ids").handler(call ->
                        perCommand(call, c -> Json.NODES.textNode(c.stop()))),
                FunctionSpec.of("start_command").param("command_ids").handler(call ->
                        perCommand(call, c -> Json.NODES.textNode(c.state()))));
    }

    private static ObjectNode perCommand(FunctionCallContext call,
                                         java.util.function.Function<CommandService.Command, Object> f) {
        CommandService commands = call.server().commands();
        List<Object> ids = Args.commandIds(call.arg("command_ids"));
        // every id is checked before any is used, as the real server did
        ids.forEach(commands::get);
        ObjectNode out = Json.object();
        for (Object id : ids) {
            Object v = f.apply(commands.get(id));
            out.set(String.valueOf(id), v instanceof JsonNode ? (JsonNode) v : Json.MAPPER.valueToTree(v));
        }
        return out;
    }

    private static Object value(CommandService.Command c) {
        String state = c.state();
        if (CommandService.FAILED.equals(state)) {
            throw new HpxApiError(120, "Command with ID '" + c.id + "' has failed");
        }
        if (!CommandService.FINISHED.equals(state) && !CommandService.STOPPED.equals(state)) {
            throw new HpxApiError(120, "Command with ID '" + c.id + "' has not finished running");
        }
        if (CommandService.STOPPED.equals(state)) {
            return Json.NODES.nullNode();
        }
        return c.value;
    }

    private static Object progress(FunctionCallContext call) {
        JsonNode ids = call.arg("command_ids");
        if (ids.isNull()) {
            // interface/meta.py get_command_progress: without ids a list from CoreCommand.get_all_progress(),
            // which inserts each command's progress at index 0: the newest command comes first
            ArrayNode out = Json.array();
            for (CommandService.Command c : call.server().commands().all()) {
                out.insert(0, c.progress());
            }
            return out;
        }
        return perCommand(call, CommandService.Command::progress);
    }
}
