package io.github.camelhpx.docs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails when the component page and the metadata disagree: the page must include the tables rendered from
 * {@code hpx.json} (and the built HTML must hold them), and every option, header and Spring Boot property the page
 * names in its text and examples must exist.
 */
class HpxComponentPageTest {

    /**
     * Words in backquotes that look like option names but are not: Java, Camel and HPX names the page uses. A
     * camelCase word in backquotes that is neither an option of hpx.json nor listed here fails the test: it is
     * probably an option that was renamed or removed.
     */
    private static final Set<String> NOT_OPTIONS = Set.of("onException", "camelHealth", "cutMidFrame", "noReply", "toD",
            "pollEnrich", "toString");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String page;
    private static JsonNode hpx;
    private static Set<String> endpointOptions;
    private static Set<String> componentOptions;
    private static Set<String> headers;
    private static Set<String> springProperties;

    @BeforeAll
    static void read() throws IOException {
        page = Files.readString(Path.of(System.getProperty("hpx.docs.page", "src/main/docs/hpx-component.adoc")));
        try (InputStream in = HpxComponentPageTest.class.getClassLoader().getResourceAsStream(HpxDocsGenerator.HPX_JSON)) {
            hpx = JSON.readTree(in);
        }
        endpointOptions = names(hpx.path("properties"));
        componentOptions = names(hpx.path("componentProperties"));
        headers = names(hpx.path("headers"));
        springProperties = new LinkedHashSet<>();
        try (InputStream in = HpxComponentPageTest.class.getClassLoader()
                .getResourceAsStream(HpxDocsGenerator.SPRING_METADATA)) {
            JSON.readTree(in).path("properties").forEach(p -> springProperties.add(p.path("name").asText()));
        }
    }

    @Test
    void thePageIncludesEveryGeneratedFragment() {
        for (String fragment : HpxDocsGenerator.FRAGMENTS) {
            assertThat(page).contains("include::{generated}/" + fragment + "[]");
        }
        assertThat(page).startsWith("= " + hpx.path("component").path("title").asText() + " Component\n");
    }

    @Test
    void theBuiltFragmentsAreTheOnesOfThisJson() throws IOException {
        Path dir = Path.of(System.getProperty("hpx.docs.generated", "target/generated-adoc"));
        for (Map.Entry<String, String> fragment : HpxDocsGenerator.fromClassPath().render().entrySet()) {
            assertThat(Files.readString(dir.resolve(fragment.getKey()), StandardCharsets.UTF_8))
                    .as(fragment.getKey()).isEqualTo(fragment.getValue());
        }
    }

    @Test
    void theHtmlHoldsEveryOptionHeaderAndProperty() throws IOException {
        String html = Files.readString(Path.of(System.getProperty("hpx.docs.html",
                "target/generated-docs/hpx-component.html")));
        assertThat(html).doesNotContain("Unresolved directive").doesNotContain("{hpx-");
        for (Set<String> names : List.of(componentOptions, endpointOptions, headers, springProperties)) {
            for (String name : names) {
                assertThat(html).as("the HTML page lists " + name).contains("<strong>" + name + "</strong>");
            }
        }
    }

    @Test
    void hpxUrisInThePageUseOnlyEndpointOptions() {
        List<String> unknown = new ArrayList<>();
        // Java and prose: hpx:function?name=value&name=value
        Matcher uri = Pattern.compile("hpx:([a-z_]+)\\?([^\\s\"'`)\\]]+)").matcher(page);
        while (uri.find()) {
            for (String parameter : uri.group(2).replace("\"\n", "").split("&")) {
                checkOption(parameter.split("=", 2)[0].replaceAll("[^A-Za-z_.]", ""), uri.group(), unknown);
            }
        }
        // YAML: uri: hpx:function, then parameters: name: value
        String[] lines = page.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].trim().matches("uri: \"?hpx:.*")) {
                int indent = indent(lines[i]);
                int j = i + 1;
                while (j < lines.length && indent(lines[j]) == indent && !lines[j].trim().startsWith("parameters:")
                       && !lines[j].trim().startsWith("steps:")) {
                    j++;
                }
                if (j < lines.length && lines[j].trim().equals("parameters:")) {
                    for (int k = j + 1; k < lines.length && indent(lines[k]) > indent; k++) {
                        checkOption(lines[k].trim().split(":", 2)[0], lines[i].trim(), unknown);
                    }
                }
            }
        }
        assertThat(unknown).as("options in hpx: URIs of the page that are no endpoint option of hpx.json").isEmpty();
    }

    @Test
    void headersInThePageExist() {
        Set<String> named = matches("CamelHpx[A-Za-z]+");
        named.removeAll(headers);
        assertThat(named).as("headers the page names that hpx.json does not have").isEmpty();
    }

    @Test
    void springBootPropertiesInThePageExist() {
        Set<String> named = new TreeSet<>();
        for (String property : matches("camel\\.component\\.hpx\\.[a-z.-]+")) {
            named.add(property.replaceAll("\\.$", ""));
        }
        named.removeIf(p -> springProperties.contains(p) || p.equals("camel.component.hpx.args"));
        // camel.component.hpx.host=... in Camel Main style (camelCase) is fine when it is an option
        named.removeIf(p -> componentOptions.contains(p.substring("camel.component.hpx.".length())));
        assertThat(named).as("camel.component.hpx.* properties the page names that the starter does not have").isEmpty();
    }

    @Test
    void optionNamesInTheTextExist() {
        Set<String> named = matches("`([a-z]+[A-Z][A-Za-z]*)`", 1);
        named.removeAll(endpointOptions);
        named.removeAll(componentOptions);
        named.removeAll(NOT_OPTIONS);
        assertThat(named).as("camelCase names in backquotes that are no option of hpx.json (a renamed or removed"
                             + " option? if not, add the word to NOT_OPTIONS)").isEmpty();
    }

    private static void checkOption(String name, String where, List<String> unknown) {
        boolean known = endpointOptions.contains(name)
                        || name.startsWith("arg.") && hpx.path("properties").path("args").path("prefix").asText().equals("arg.");
        if (!known) {
            unknown.add(name + " in " + where);
        }
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return line.isBlank() ? Integer.MAX_VALUE : i;
    }

    private static Set<String> matches(String regex) {
        return matches(regex, 0);
    }

    private static Set<String> matches(String regex, int group) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(page);
        while (m.find()) {
            found.add(m.group(group));
        }
        return found;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new LinkedHashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
