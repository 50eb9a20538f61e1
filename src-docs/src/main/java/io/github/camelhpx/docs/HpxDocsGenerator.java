package io.github.camelhpx.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Renders the parts of {@code hpx-component.adoc} that come from metadata, as AsciiDoc fragments the page includes:
 * the component, endpoint and header tables from the generated {@code hpx.json} (in the camel-hpx jar), the Spring
 * Boot properties from the starter's {@code spring-configuration-metadata.json}, and attributes (title, Maven
 * coordinates, URI syntax, ...). The build runs it before rendering the page, so the page cannot drift from the
 * code.
 */
public final class HpxDocsGenerator {

    public static final String HPX_JSON = "META-INF/io/github/camelhpx/component/hpx.json";
    public static final String SPRING_METADATA = "META-INF/spring-configuration-metadata.json";
    public static final String STARTER_PREFIX = "camel.component.hpx.";

    /** The fragments, by file name; the page includes each one as {@code include::{generated}/<name>[]}. */
    public static final List<String> FRAGMENTS = List.of("hpx-attributes.adoc", "hpx-component-options.adoc",
            "hpx-endpoint-options.adoc", "hpx-headers.adoc", "hpx-spring-boot-options.adoc");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]\n|===\n"
                                        + "| Name | Description | Default | Type\n";

    private final JsonNode hpx;
    private final JsonNode spring;

    public HpxDocsGenerator(JsonNode hpx, JsonNode spring) {
        this.hpx = hpx;
        this.spring = spring;
    }

    /** From the metadata on the class path. */
    public static HpxDocsGenerator fromClassPath() {
        return new HpxDocsGenerator(readJson(HPX_JSON), springMetadata());
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: HpxDocsGenerator <output directory>");
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (Map.Entry<String, String> fragment : fromClassPath().render().entrySet()) {
            Files.writeString(dir.resolve(fragment.getKey()), fragment.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** Every fragment, by file name. */
    public Map<String, String> render() {
        Map<String, String> fragments = new LinkedHashMap<>();
        fragments.put("hpx-attributes.adoc", attributes());
        fragments.put("hpx-component-options.adoc", componentOptions());
        fragments.put("hpx-endpoint-options.adoc", endpointOptions());
        fragments.put("hpx-headers.adoc", headers());
        fragments.put("hpx-spring-boot-options.adoc", springBootOptions());
        if (!fragments.keySet().equals(new LinkedHashSet<>(FRAGMENTS))) {
            throw new IllegalStateException("FRAGMENTS and render() disagree");
        }
        return fragments;
    }

    String attributes() {
        JsonNode c = hpx.path("component");
        String header = c.path("consumerOnly").asBoolean() ? "Only consumer is supported"
                : c.path("producerOnly").asBoolean() ? "Only producer is supported"
                : "Both producer and consumer are supported";
        StringBuilder sb = new StringBuilder("// Generated from hpx.json by HpxDocsGenerator: do not edit\n");
        attribute(sb, "hpx-title", c.path("title").asText());
        attribute(sb, "hpx-description", c.path("description").asText());
        attribute(sb, "hpx-scheme", c.path("scheme").asText());
        attribute(sb, "hpx-syntax", c.path("syntax").asText());
        attribute(sb, "hpx-since", c.path("firstVersion").asText());
        attribute(sb, "hpx-support-level", c.path("supportLevel").asText());
        attribute(sb, "hpx-component-header", header);
        attribute(sb, "hpx-group-id", c.path("groupId").asText());
        attribute(sb, "hpx-artifact-id", c.path("artifactId").asText());
        attribute(sb, "hpx-version", c.path("version").asText());
        // the starter and the testkit are released with the component, under the same groupId and version
        attribute(sb, "hpx-starter-artifact-id", c.path("artifactId").asText() + "-starter");
        attribute(sb, "hpx-testkit-artifact-id", c.path("artifactId").asText() + "-testkit");
        attribute(sb, "hpx-component-option-count", String.valueOf(hpx.path("componentProperties").size()));
        attribute(sb, "hpx-endpoint-option-count", String.valueOf(hpx.path("properties").size()));
        attribute(sb, "hpx-header-count", String.valueOf(hpx.path("headers").size()));
        return sb.toString();
    }

    String componentOptions() {
        JsonNode options = hpx.path("componentProperties");
        StringBuilder sb = new StringBuilder("// Generated from hpx.json by HpxDocsGenerator: do not edit\n");
        sb.append("The ").append(title()).append(" component supports ").append(options.size())
                .append(" options, which are listed below.\n\n");
        table(sb, options);
        return sb.toString();
    }

    String endpointOptions() {
        JsonNode properties = hpx.path("properties");
        Map<String, JsonNode> path = new LinkedHashMap<>();
        Map<String, JsonNode> query = new LinkedHashMap<>();
        properties.properties().forEach(e -> ("path".equals(e.getValue().path("kind").asText()) ? path : query)
                .put(e.getKey(), e.getValue()));
        StringBuilder sb = new StringBuilder("// Generated from hpx.json by HpxDocsGenerator: do not edit\n");
        sb.append("The ").append(title()).append(" endpoint is configured using URI syntax:\n\n----\n")
                .append(hpx.path("component").path("syntax").asText()).append("\n----\n\n")
                .append("With the following path and query parameters:\n\n");
        sb.append("=== Path Parameters (").append(path.size()).append(" parameters)\n\n");
        table(sb, JSON.valueToTree(path));
        sb.append("\n=== Query Parameters (").append(query.size()).append(" parameters)\n\n");
        table(sb, JSON.valueToTree(query));
        return sb.toString();
    }

    String headers() {
        JsonNode headers = hpx.path("headers");
        StringBuilder sb = new StringBuilder("// Generated from hpx.json by HpxDocsGenerator: do not edit\n");
        sb.append("The ").append(title()).append(" component supports ").append(headers.size())
                .append(headers.size() == 1 ? " message header, which is listed below:\n\n"
                        : " message headers, which are listed below:\n\n");
        sb.append(TABLE);
        headers.properties().forEach(e -> {
            JsonNode h = e.getValue();
            String constant = h.path("constantName").asText();
            sb.append("| *").append(e.getKey()).append("* (").append(text(h.path("group").asText())).append(")");
            if (!constant.isEmpty()) {
                sb.append(" +\n*Constant:* `").append(constant.substring(constant.lastIndexOf('.') + 1).replace('#', '.'))
                        .append('`');
            }
            sb.append(" | ").append(description(h)).append(" | ").append(text(h.path("defaultValue").asText()))
                    .append(" | ").append(text(shortType(h.path("javaType").asText()))).append('\n');
        });
        sb.append("|===\n");
        return sb.toString();
    }

    String springBootOptions() {
        List<JsonNode> properties = new ArrayList<>();
        spring.path("properties").forEach(p -> {
            if (p.path("name").asText().startsWith(STARTER_PREFIX)) {
                properties.add(p);
            }
        });
        properties.sort((a, b) -> a.path("name").asText().compareTo(b.path("name").asText()));
        StringBuilder sb = new StringBuilder("// Generated from the starter's spring-configuration-metadata.json by"
                                             + " HpxDocsGenerator: do not edit\n");
        sb.append("The starter supports ").append(properties.size()).append(" options, which are listed below.\n\n");
        sb.append(TABLE);
        for (JsonNode p : properties) {
            sb.append("| *").append(p.path("name").asText()).append("* | ").append(text(p.path("description").asText()))
                    .append(" | ").append(text(p.path("defaultValue").isMissingNode() ? "" : p.path("defaultValue").asText()))
                    .append(" | ").append(text(shortType(p.path("type").asText()))).append('\n');
        }
        sb.append("|===\n");
        return sb.toString();
    }

    private void table(StringBuilder sb, JsonNode options) {
        sb.append(TABLE);
        options.properties().forEach(e -> {
            JsonNode o = e.getValue();
            String type = o.path("type").asText();
            sb.append("| *").append(e.getKey()).append("* (").append(text(o.path("group").asText())).append(") | ")
                    .append(description(o)).append(" | ").append(text(o.path("defaultValue").asText())).append(" | ")
                    .append(text("duration".equals(type) || "enum".equals(type) ? type
                            : shortType(o.path("javaType").asText())))
                    .append('\n');
        });
        sb.append("|===\n");
    }

    private static String description(JsonNode option) {
        StringBuilder sb = new StringBuilder();
        if (option.path("deprecated").asBoolean()) {
            sb.append("*Deprecated* ");
        }
        if (option.path("required").asBoolean()) {
            sb.append("*Required* ");
        }
        if (option.path("autowired").asBoolean()) {
            sb.append("*Autowired* ");
        }
        sb.append(text(option.path("description").asText()));
        if (option.path("secret").asBoolean()) {
            sb.append(" _(secret)_");
        }
        if (option.has("enum")) {
            sb.append("\n\nEnum values:\n");
            option.path("enum").forEach(v -> sb.append("\n* ").append(text(v.asText())));
            sb.append('\n');
        }
        return sb.toString();
    }

    private String title() {
        return hpx.path("component").path("title").asText();
    }

    /** {@code java.util.Map<java.lang.String, java.lang.Object>} → {@code Map<String, Object>}. */
    static String shortType(String javaType) {
        return javaType.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+(?=[A-Za-z])", "").replace("$", ".");
    }

    /** Metadata text as AsciiDoc table cell text: no cell separators, no accidental formatting or attributes. */
    static String text(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '|' -> sb.append("\\|");
                case '{' -> sb.append("&#123;");
                case '}' -> sb.append("&#125;");
                case '*' -> sb.append("&#42;");
                case '#' -> sb.append("&#35;");
                case '`' -> sb.append("&#96;");
                case '^' -> sb.append("&#94;");
                case '~' -> sb.append("&#126;");
                case '+' -> sb.append("&#43;");
                case '_' -> sb.append("&#95;");
                case '[' -> sb.append("&#91;");
                case ']' -> sb.append("&#93;");
                case '\n' -> sb.append(' ');
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static void attribute(StringBuilder sb, String name, String value) {
        sb.append(':').append(name).append(": ").append(value.replace("\n", " ")).append('\n');
    }

    private static JsonNode springMetadata() {
        try {
            for (URL url : Collections.list(HpxDocsGenerator.class.getClassLoader().getResources(SPRING_METADATA))) {
                try (InputStream in = url.openStream()) {
                    JsonNode metadata = JSON.readTree(in);
                    for (JsonNode group : metadata.path("groups")) {
                        if (group.path("name").asText().equals(STARTER_PREFIX.substring(0, STARTER_PREFIX.length() - 1))) {
                            return metadata;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no " + SPRING_METADATA + " of the starter on the class path");
    }

    private static JsonNode readJson(String resource) {
        try (InputStream in = HpxDocsGenerator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the class path");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
