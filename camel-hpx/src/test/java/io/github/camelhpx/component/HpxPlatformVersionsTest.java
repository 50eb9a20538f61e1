package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The tests run on the Camel and Jackson the build names: 4.22 and 2.22 by default, the oldest supported with the
 * camel-4.18 profile. Guards against a profile that only seems to change them.
 */
class HpxPlatformVersionsTest {

    @Test
    void theTestsRunOnTheCamelAndJacksonOfTheBuild() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            assertThat(context.getVersion()).isEqualTo(System.getProperty("hpx.expected.camel.version"));
        }
        assertThat(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString())
                .isEqualTo(System.getProperty("hpx.expected.jackson.version"));
        assertThat(com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString())
                .isEqualTo(System.getProperty("hpx.expected.jackson.version"));
    }
}
