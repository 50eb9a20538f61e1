package io.github.camelhpx.springboot;

import java.util.List;
import java.util.Map;

import io.github.camelhpx.component.HpxComponent;
import io.github.camelhpx.component.HpxConfiguration;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The switches of the auto-configuration, and what happens to values that are not set by properties. */
class HpxComponentAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CamelAutoConfiguration.class, HpxComponentConverter.class,
                    HpxComponentAutoConfiguration.class));

    @Test
    void disabledAutoConfigurationLeavesTheComponentAlone() {
        runner.withPropertyValues("camel.component.hpx.enabled=false", "camel.component.hpx.host=elsewhere")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(HpxComponentAutoConfiguration.class)
                            .doesNotHaveBean(ComponentCustomizer.class);
                    assertThat(hpx(context).getHost()).isEqualTo("localhost");
                });
    }

    @Test
    void disabledCustomizerLeavesTheComponentAlone() {
        runner.withPropertyValues("camel.component.hpx.customizer.enabled=false", "camel.component.hpx.host=elsewhere")
                .run(context -> assertThat(hpx(context).getHost()).isEqualTo("localhost"));
        runner.withPropertyValues("camel.component.customizer.enabled=false", "camel.component.hpx.host=elsewhere")
                .run(context -> assertThat(hpx(context).getHost()).isEqualTo("localhost"));
    }

    @Test
    void aConfigurationBeanIsTheBaseAndPropertiesThatAreSetGoOnTop() {
        HpxConfiguration shared = new HpxConfiguration();
        shared.setHost("hpx.example.org");
        shared.setPort(7777);
        shared.setClientName("from-bean");
        runner.withBean("sharedHpx", HpxConfiguration.class, () -> shared)
                .withPropertyValues("camel.component.hpx.configuration=#bean:sharedHpx", "camel.component.hpx.port=7008")
                .run(context -> {
                    HpxConfiguration applied = hpx(context);
                    assertThat(applied.getHost()).isEqualTo("hpx.example.org");
                    assertThat(applied.getClientName()).isEqualTo("from-bean"); // the starter's default did not win
                    assertThat(applied.getPort()).isEqualTo(7008);
                    assertThat(shared.getPort()).as("the bean itself is not modified").isEqualTo(7777);
                });
    }

    @Test
    void settingsMadeInJavaSurviveWhenNoPropertyIsSet() {
        runner.withBean("hpx", HpxComponent.class, () -> {
                    HpxComponent component = new HpxComponent();
                    component.getConfiguration().setHost("from-java");
                    component.getConfiguration().setPoolSize(9);
                    return component;
                })
                // Camel Main's camelCase form is one of Spring Boot's relaxed forms of pool-size
                .withPropertyValues("camel.component.hpx.poolSize=3")
                .run(context -> {
                    assertThat(hpx(context).getHost()).isEqualTo("from-java");
                    assertThat(hpx(context).getPoolSize()).isEqualTo(3);
                });
    }

    @Test
    void argumentsWrittenAsListsAreListsAndGoOnTopOfTheConfigurationBeansOwn() {
        HpxConfiguration shared = new HpxConfiguration();
        shared.getArgs().put("item_type", "Gallery");
        shared.getArgs().put("limit", 5);
        runner.withBean("sharedHpx", HpxConfiguration.class, () -> shared)
                .withPropertyValues("camel.component.hpx.configuration=#bean:sharedHpx",
                        "camel.component.hpx.args[limit]=10", "camel.component.hpx.args.tags[0]=a",
                        "camel.component.hpx.args.tags[1]=b", "camel.component.hpx.args.filter.view=library")
                .run(context -> assertThat(hpx(context).getArgs()).containsEntry("item_type", "Gallery")
                        .containsEntry("limit", "10").containsEntry("tags", List.of("a", "b"))
                        .containsEntry("filter", Map.of("view", "library")));
    }

    @Test
    void anotherHpxComponentBeanKeepsItsOwnSettings() {
        runner.withBean("hpxArchive", HpxComponent.class, () -> {
                    HpxComponent component = new HpxComponent();
                    component.getConfiguration().setHost("archive");
                    return component;
                })
                .withPropertyValues("camel.component.hpx.host=elsewhere")
                .run(context -> {
                    CamelContext camel = context.getBean(CamelContext.class);
                    assertThat(camel.getComponent("hpxArchive", HpxComponent.class).getConfiguration().getHost())
                            .isEqualTo("archive");
                    assertThat(hpx(context).getHost()).isEqualTo("elsewhere");
                });
    }

    @Test
    void everyPasswordAndSessionIdUnderTheComponentIsMaskedAsActuatorNamesIt() {
        runner.run(context -> {
            SanitizingFunction sanitizer = context.getBean(SanitizingFunction.class);
            // env's relaxed forms, and configprops' paths into a configuration bean and the TLS parameters
            for (String key : List.of("camel.component.hpx.password", "CAMEL_COMPONENT_HPX_SESSION_ID",
                    "camel.component.hpx.session-id", "camel.component.hpx.configuration.password",
                    "camel.component.hpx.configuration.sessionId",
                    "camel.component.hpx.sslContextParameters.keyManagers.keyPassword",
                    "camel.component.hpx.sslContextParameters.keyManagers.keyStore.password")) {
                assertThat(sanitizer.apply(new SanitizableData(null, key, "s3cret")).getValue()).as(key)
                        .isEqualTo(SanitizableData.SANITIZED_VALUE);
            }
            for (String key : List.of("camel.component.hpx.user", "camel.component.hpx.configuration.host",
                    "camel.component.other.password")) {
                assertThat(sanitizer.apply(new SanitizableData(null, key, "shown")).getValue()).as(key)
                        .isEqualTo("shown");
            }
        });
    }

    @Test
    void aValueWhereABeanReferenceBelongsFailsClearly() {
        runner.withPropertyValues("camel.component.hpx.ssl-context-parameters=localhost")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("bean reference such as #bean:name"));
    }

    private static HpxConfiguration hpx(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        return context.getBean(CamelContext.class).getComponent("hpx", HpxComponent.class).getConfiguration();
    }
}
