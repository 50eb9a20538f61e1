package io.github.camelhpx.springboot;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.component.HpxComponent;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Keeps the starter in step with the component: every component option of the generated {@code hpx.json} (the one
 * inside the camel-hpx jar on the class path) has a documented {@code camel.component.hpx.*} property with the same
 * default, no property is left over, secrets are masked, and every property, set to a value other than its
 * default, reaches the component.
 */
class HpxStarterCoverageTest {

    private static final String PREFIX = "camel.component.hpx.";
    private static final String HPX_JSON = "META-INF/io/github/camelhpx/component/hpx.json";
    private static final String SPRING_METADATA = "META-INF/spring-configuration-metadata.json";
    /** Properties of the starter, not options of the component. */
    private static final Set<String> STARTER_PROPERTIES = Set.of(PREFIX + "enabled", PREFIX + "customizer.enabled");
    /** Checked by HpxComponentAutoConfigurationTest: a bean that the other properties then modify. */
    private static final Set<String> CHECKED_ELSEWHERE = Set.of("configuration");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Map<String, JsonNode> options;
    private static Map<String, JsonNode> properties;

    @BeforeAll
    static void readMetadata() throws IOException {
        options = new LinkedHashMap<>();
        read(HPX_JSON).path("componentProperties").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue()));
        properties = new LinkedHashMap<>();
        for (JsonNode property : read(SPRING_METADATA).path("properties")) {
            properties.put(property.path("name").asText(), property);
        }
        assertThat(options).as("component options in " + HPX_JSON).isNotEmpty();
    }

    @Test
    void everyComponentOptionHasADocumentedPropertyWithTheSameDefault() {
        List<String> problems = new ArrayList<>();
        options.forEach((name, option) -> {
            JsonNode property = properties.get(propertyName(name));
            if (property == null) {
                problems.add(name + ": no property " + propertyName(name));
                return;
            }
            if (property.path("description").asText().isBlank()) {
                problems.add(propertyName(name) + ": no description");
            }
            String expected = normalizedDefault(option, option.path("defaultValue"));
            String actual = normalizedDefault(option, property.path("defaultValue"));
            if (!expected.equals(actual)) {
                problems.add(propertyName(name) + ": default " + actual + ", the component's is " + expected);
            }
        });
        assertThat(problems).as("component options of hpx.json without a matching starter property").isEmpty();
    }

    @Test
    void everyPropertyIsAComponentOption() {
        Set<String> leftOver = new TreeSet<>(properties.keySet());
        leftOver.removeAll(STARTER_PROPERTIES);
        options.keySet().forEach(name -> leftOver.remove(propertyName(name)));
        assertThat(leftOver).as("properties that are no component option of hpx.json").isEmpty();
    }

    @Test
    void secretOptionsAreMaskedByActuator() {
        options.forEach((name, option) -> {
            if (option.path("secret").asBoolean()) {
                assertThat(HpxComponentAutoConfiguration.HpxSecretsSanitizerConfiguration.isSecret(propertyName(name)))
                        .as("secret option " + name + " masked").isTrue();
                assertThat(HpxComponentAutoConfiguration.HpxSecretsSanitizerConfiguration.isSecret(
                        propertyName(name).toUpperCase().replace('.', '_').replace("-", "")))
                        .as("secret option " + name + " masked as an environment variable").isTrue();
            }
        });
        assertThat(HpxComponentAutoConfiguration.HpxSecretsSanitizerConfiguration.isSecret(PREFIX + "user")).isFalse();
    }

    @Test
    void everyPropertyReachesTheComponent() {
        List<String> propertyValues = new ArrayList<>();
        Map<String, Object> expected = new LinkedHashMap<>();
        Map<String, Object> beans = new LinkedHashMap<>();
        options.forEach((name, option) -> {
            if (!CHECKED_ELSEWHERE.contains(name)) {
                testValue(name, option, propertyValues, expected, beans);
            }
        });

        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class, HpxComponentConverter.class,
                        HpxComponentAutoConfiguration.class))
                .withPropertyValues(propertyValues.toArray(String[]::new));
        for (Map.Entry<String, Object> bean : beans.entrySet()) {
            runner = register(runner, bean.getKey(), bean.getValue());
        }
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            HpxComponent component = context.getBean(CamelContext.class).getComponent("hpx", HpxComponent.class);
            PropertyConfigurerGetter getter = (PropertyConfigurerGetter) component.getComponentPropertyConfigurer();
            List<String> problems = new ArrayList<>();
            expected.forEach((name, value) -> {
                Object actual = getter.getOptionValue(component, name, false);
                if (!matches(value, actual)) {
                    problems.add(name + ": expected " + value + " but the component has " + actual);
                }
            });
            assertThat(problems).as("properties that did not reach the component").isEmpty();
        });
    }

    /** A property value that differs from the option's default, and what the component should then hold. */
    private static void testValue(String name, JsonNode option, List<String> propertyValues, Map<String, Object> expected,
                                  Map<String, Object> beans) {
        String property = propertyName(name);
        String type = option.path("type").asText();
        String javaType = option.path("javaType").asText();
        JsonNode defaultValue = option.path("defaultValue");
        if (option.has("enum")) {
            for (JsonNode value : option.path("enum")) {
                if (!value.asText().equals(defaultValue.asText())) {
                    propertyValues.add(property + "=" + value.asText());
                    expected.put(name, value.asText());
                    return;
                }
            }
        }
        switch (type) {
            case "string" -> {
                if (javaType.startsWith("java.lang.Class")) {
                    propertyValues.add(property + "=java.util.Map");
                    expected.put(name, Map.class);
                } else {
                    propertyValues.add(property + "=test-" + name);
                    expected.put(name, "test-" + name);
                }
            }
            case "integer" -> {
                long value = defaultValue.isMissingNode() ? 3 : defaultValue.asLong() + 1;
                propertyValues.add(property + "=" + value);
                expected.put(name, value);
            }
            case "number" -> {
                double value = defaultValue.isMissingNode() ? 0.5 : defaultValue.asDouble() + 0.5;
                propertyValues.add(property + "=" + value);
                expected.put(name, value);
            }
            case "boolean" -> {
                boolean value = !defaultValue.asBoolean(false);
                propertyValues.add(property + "=" + value);
                expected.put(name, value);
            }
            case "duration" -> {
                // Spring's form; the component holds milliseconds (or a Duration)
                propertyValues.add(property + "=1234ms");
                expected.put(name, javaType.equals("java.time.Duration") ? Duration.ofMillis(1234) : 1234L);
            }
            case "object" -> {
                if (javaType.startsWith("java.util.Map")) {
                    propertyValues.add(property + "[item_type]=Gallery");
                    propertyValues.add(property + "[limit]=10");
                    expected.put(name, Map.of("item_type", "Gallery", "limit", "10"));
                } else {
                    String beanName = name + "Bean";
                    Object bean = newInstance(javaType);
                    beans.put(beanName, bean);
                    propertyValues.add(property + "=#bean:" + beanName);
                    expected.put(name, bean);
                }
            }
            default -> fail("no test value for option " + name + " of type " + type + ": extend the test");
        }
    }

    private static boolean matches(Object expected, Object actual) {
        if (expected instanceof Number number && actual instanceof Number other) {
            return number.doubleValue() == other.doubleValue();
        }
        if (expected instanceof String && actual != null && !(actual instanceof String)) {
            return expected.equals(actual.toString()); // an enum
        }
        if (expected instanceof Map || expected instanceof Boolean || expected instanceof Class || expected instanceof Duration
            || expected instanceof String) {
            return expected.equals(actual);
        }
        return expected == actual; // the bean itself
    }

    /** The default as text both sides agree on: durations in milliseconds, data sizes in bytes. */
    private static String normalizedDefault(JsonNode option, JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        String text = value.asText();
        switch (option.path("type").asText()) {
            case "duration" -> {
                return text.matches("\\d+") ? text : String.valueOf(springDuration(text).toMillis());
            }
            case "integer" -> {
                return text.matches("-?\\d+") ? text : String.valueOf(DataSize.parse(text).toBytes());
            }
            default -> {
                return text;
            }
        }
    }

    private static Duration springDuration(String text) {
        return new org.springframework.boot.convert.ApplicationConversionService().convert(text, Duration.class);
    }

    private static String propertyName(String option) {
        return PREFIX + DataObjectPropertyName.toDashedForm(option);
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static ApplicationContextRunner register(ApplicationContextRunner runner, String name, Object bean) {
        return runner.withBean(name, (Class) bean.getClass(), () -> bean);
    }

    private static Object newInstance(String javaType) {
        try {
            return Class.forName(javaType).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot create a " + javaType + " bean to test its option: extend the test", e);
        }
    }

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = HpxStarterCoverageTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource + " on the class path").isNotNull();
            return JSON.readTree(in);
        }
    }
}
