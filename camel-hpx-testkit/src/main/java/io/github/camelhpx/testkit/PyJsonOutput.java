package io.github.camelhpx.testkit;

/** Streams {@link JsonOutput} events into a {@link PyJsonWriter}, which adds the separators json.dumps would. */
final class PyJsonOutput implements JsonOutput {

    private final PyJsonWriter writer;
    /** Whether the next key or value follows a sibling, and so needs {@code ", "} first. */
    private boolean afterSibling;

    PyJsonOutput(PyJsonWriter writer) {
        this.writer = writer;
    }

    @Override
    public void beginObject() {
        separate();
        writer.beginObject();
        afterSibling = false;
    }

    @Override
    public void endObject() {
        writer.endObject();
        afterSibling = true;
    }

    @Override
    public void beginArray() {
        separate();
        writer.beginArray();
        afterSibling = false;
    }

    @Override
    public void endArray() {
        writer.endArray();
        afterSibling = true;
    }

    @Override
    public void key(String name) {
        separate();
        writer.key(name);
        afterSibling = false;
    }

    @Override
    public void value(String text) {
        separate();
        writer.string(text);
        afterSibling = true;
    }

    @Override
    public void value(int number) {
        value((long) number);
    }

    @Override
    public void value(long number) {
        separate();
        writer.number(number);
        afterSibling = true;
    }

    @Override
    public void value(boolean bool) {
        separate();
        writer.bool(bool);
        afterSibling = true;
    }

    @Override
    public void nullValue() {
        separate();
        writer.nullValue();
        afterSibling = true;
    }

    private void separate() {
        if (afterSibling) {
            writer.separator();
        }
    }
}
