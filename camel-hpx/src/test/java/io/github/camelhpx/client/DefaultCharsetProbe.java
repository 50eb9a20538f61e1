package io.github.camelhpx.client;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.Protocol;

/**
 * Run by {@link G2DefaultCharsetTest} in a JVM of its own, whose default charset is not UTF-8: calls a G2 server whose
 * reply holds short and long non-ASCII strings, read as a tree, bound to a type and as results, and sends them to be
 * echoed (so the embedded server reads them too), and prints one line per way (in ASCII, whatever the charset) saying
 * whether the strings came back as sent.
 */
public final class DefaultCharsetProbe {

    static final String SHORT = "Ōkami réader 大神";
    static final String LONG = "长".repeat(30) + " — " + "é".repeat(20);

    public record Gallery(String title, List<String> tags) {
    }

    private DefaultCharsetProbe() {
    }

    public static void main(String[] args) {
        Map<String, Object> gallery = Map.of("title", SHORT, "tags", List.of(LONG, "日本"));
        try (HpxTestServer server = HpxTestServer.builder().protocol(Protocol.G2).host("127.0.0.1").port(0)
                .function(FunctionSpec.of("gallery").handler(call -> gallery)).function(FunctionSpec.echo()).build()
                .start();
                HpxClient client = HpxClient.builder().host("127.0.0.1").port(server.port())
                        .protocol(HpxProtocol.G2).build()) {
            System.out.println("CHARSET " + Charset.defaultCharset());
            JsonNode tree = client.call("gallery");
            report("tree", tree.path("title").asText(), tree.path("tags").path(0).asText());
            Gallery typed = client.call("gallery", Map.of(), Gallery.class);
            report("typed", typed.title(), typed.tags().get(0));
            JsonNode result = client.callAll(List.of(FunctionCall.of("gallery", Map.of()))).get(0).data();
            report("results", result.path("title").asText(), result.path("tags").path(0).asText());
            // The embedded server decodes the request: the strings it echoes are the ones it read.
            report("echo", client.call("echo", Map.of("value", SHORT)).asText(),
                    client.call("echo", Map.of("value", LONG)).asText());
        }
    }

    private static void report(String way, String title, String tag) {
        System.out.println("READ " + way + " " + (SHORT.equals(title) && LONG.equals(tag) ? "intact"
                : "changed: " + escaped(title) + " / " + escaped(tag)));
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(c < 128 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return out.toString();
    }
}
