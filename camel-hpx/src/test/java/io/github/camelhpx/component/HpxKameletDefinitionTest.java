package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Kamelets in the jar are in the catalog's format: their type, secrets marked as camel-kamelets marks them,
 * a dependency on this very artifact, and a template that uses exactly the properties it declares.
 */
class HpxKameletDefinitionTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([A-Za-z]+)}}");

    @ParameterizedTest
    @CsvSource({"hpx-source, source", "hpx-sink, sink"})
    void theKameletIsInTheCatalogsFormat(String name, String type) throws IOException {
        String text = read("kamelets/" + name + ".kamelet.yaml");
        Map<String, Object> kamelet = map(new Load(LoadSettings.builder().build()).loadFromString(text));

        assertThat(kamelet).containsEntry("apiVersion", "camel.apache.org/v1").containsEntry("kind", "Kamelet");
        Map<String, Object> metadata = map(kamelet.get("metadata"));
        assertThat(metadata).containsEntry("name", name);
        assertThat(map(metadata.get("labels"))).containsEntry("camel.apache.org/kamelet.type", type);

        Map<String, Object> spec = map(kamelet.get("spec"));
        Map<String, Object> properties = map(map(spec.get("definition")).get("properties"));
        for (String secret : List.of("password", "sessionId")) {
            assertThat(map(properties.get(secret))).containsEntry("format", "password")
                    .extractingByKey("x-descriptors").asInstanceOf(InstanceOfAssertFactories.LIST)
                    .contains("urn:camel:group:credentials");
        }
        assertThat(spec.get("dependencies")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .contains("mvn:io.github.camelhpx:camel-hpx:" + System.getProperty("hpx.expected.project.version"));

        Set<String> used = new TreeSet<>();
        Matcher placeholder = PLACEHOLDER.matcher(text.substring(text.indexOf("  template:")));
        while (placeholder.find()) {
            used.add(placeholder.group(1));
        }
        assertThat(used).isEqualTo(new TreeSet<>(properties.keySet()));
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = HpxKameletDefinitionTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
