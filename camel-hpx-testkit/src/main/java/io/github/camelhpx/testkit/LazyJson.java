package io.github.camelhpx.testkit;

/**
 * A value written straight into the reply instead of being built as a tree first: get_items over a big
 * library produces tens of megabytes, and streaming keeps the test JVM's heap flat.
 */
interface LazyJson {

    void writeTo(PyJsonWriter writer);
}
