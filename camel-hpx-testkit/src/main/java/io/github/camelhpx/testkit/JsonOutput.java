package io.github.camelhpx.testkit;

/**
 * A JSON value described as a sequence of events. The sample library describes each item once this way, and
 * the same description either becomes a Jackson tree ({@link JsonTreeOutput}) or is streamed straight into a
 * reply ({@link PyJsonOutput}), so a big get_items never builds a tree per item.
 */
interface JsonOutput {

    void beginObject();

    void endObject();

    void beginArray();

    void endArray();

    /** The name of the next member of the current object. */
    void key(String name);

    void value(String text);

    // int and long stay apart so that trees keep the node types Jackson gives them (IntNode, LongNode)
    void value(int number);

    void value(long number);

    void value(boolean bool);

    void nullValue();

    default void member(String name, String text) {
        key(name);
        value(text);
    }

    default void member(String name, int number) {
        key(name);
        value(number);
    }

    default void member(String name, long number) {
        key(name);
        value(number);
    }

    default void member(String name, boolean bool) {
        key(name);
        value(bool);
    }
}
