package io.github.camelhpx.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives the progress of an asynchronous command each time it changes. Called on the client's executor, so
 * keep it short; an exception it throws is logged and does not disturb the wait.
 */
@FunctionalInterface
public interface CommandProgressListener {

    /**
     * @param commandId the command's id
     * @param progress  the command's {@code get_command_progress} entry: title, subtitle, text, value, percent
     *                  (negative when unknown), max, type, state, timestamp
     */
    void onProgress(String commandId, JsonNode progress);
}
