package io.github.camelhpx.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How an asynchronous HPX command ended.
 *
 * @param commandId the command's id
 * @param state     {@link CommandState#FINISHED}, or {@link CommandState#STOPPED} when someone stopped it
 * @param value     what {@code get_command_value} returned (JSON {@code null} for a stopped command)
 */
public record CommandResult(String commandId, CommandState state, JsonNode value) {
}
