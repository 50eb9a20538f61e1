package io.github.camelhpx.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;

/** Builds the Jackson tree that a sequence of {@link JsonOutput} events describes. */
final class JsonTreeOutput implements JsonOutput {

    private final Deque<ContainerNode<?>> open = new ArrayDeque<>();
    private String key;
    private JsonNode root;

    /** The value described so far: complete once every object and array begun has ended. */
    JsonNode root() {
        return root;
    }

    @Override
    public void beginObject() {
        begin(Json.object());
    }

    @Override
    public void endObject() {
        open.pop();
    }

    @Override
    public void beginArray() {
        begin(Json.array());
    }

    @Override
    public void endArray() {
        open.pop();
    }

    @Override
    public void key(String name) {
        key = name;
    }

    @Override
    public void value(String text) {
        add(Json.NODES.textNode(text));
    }

    @Override
    public void value(int number) {
        add(Json.NODES.numberNode(number));
    }

    @Override
    public void value(long number) {
        add(Json.NODES.numberNode(number));
    }

    @Override
    public void value(boolean bool) {
        add(Json.NODES.booleanNode(bool));
    }

    @Override
    public void nullValue() {
        add(Json.NODES.nullNode());
    }

    private void begin(ContainerNode<?> container) {
        add(container);
        open.push(container);
    }

    private void add(JsonNode value) {
        ContainerNode<?> parent = open.peek();
        if (parent == null) {
            root = value;
        } else if (parent.isArray()) {
            ((ArrayNode) parent).add(value);
        } else {
            ((ObjectNode) parent).set(key, value);
        }
    }
}
